import type { MeView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

/** GET /api/me with the account's security facts (API.md §5 extends it). */
export interface AccountView extends MeView {
  totpEnabled: boolean;
  /** An admin whose admin rights wait for TOTP (REQUIRE_ADMIN_TOTP). */
  adminNeedsTotp: boolean;
}

export const getAccount = (signal?: AbortSignal) => api.get<AccountView>('/api/me', { signal });

export const useAccount = () => useQuery('account', getAccount);
