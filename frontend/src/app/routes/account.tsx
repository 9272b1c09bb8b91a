import { AccountSettings } from '@/features/account/components/account-settings';

/** Code-split: loaded when the account page is opened. */
export default function AccountRoute() {
  return <AccountSettings />;
}
