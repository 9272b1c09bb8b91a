import { Foundation1764288000000 } from './0001-foundation';
import { Auth1764288100000 } from './0002-auth';
import { Billing1764288200000 } from './0003-billing';
import { Vpn1764288300000 } from './0004-vpn';
import { Sync1764288400000 } from './0005-sync';
import { Audit1764288500000 } from './0006-audit';
import { BillingReserve1764288600000 } from './0007-billing-reserve';
import { ServerVersion1764288700000 } from './0008-server-version';
import { ServerIdentity1764288900000 } from './0009-server-identity';
import { AuthThrottling1764289000000 } from './0010-auth-throttling';
import { AuthAccounts1764289100000 } from './0011-auth-accounts';
import { VpnSyncState1764289200000 } from './0012-vpn-sync-state';
import { BillingSubscriptions1764289300000 } from './0013-billing-subscriptions';
import { VpnDevices1764289400000 } from './0014-vpn-devices';
import { AdminListings1764289500000 } from './0015-admin-listings';

/**
 * The one ordered migration history of the database. Each context adds its own file
 * (`NNNN-<context>.ts`) and appends its class here; never edit a migration that has landed.
 */
export const MIGRATIONS = [Foundation1764288000000, Auth1764288100000, Billing1764288200000, Vpn1764288300000, Sync1764288400000, Audit1764288500000, BillingReserve1764288600000, ServerVersion1764288700000, ServerIdentity1764288900000, AuthThrottling1764289000000, AuthAccounts1764289100000, VpnSyncState1764289200000, BillingSubscriptions1764289300000, VpnDevices1764289400000, AdminListings1764289500000];
