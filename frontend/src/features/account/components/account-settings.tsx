import { ErrorMessage, PageHeader, SkeletonRows } from '@/components/ui';
import { useAccount } from '../api/get-account';
import { ChangePasswordCard } from './change-password-card';
import { SessionsCard } from './sessions-card';
import { TotpCard } from './totp-card';

/** The account settings page: password, two-step sign-in, sessions. */
export function AccountSettings() {
  const account = useAccount();
  return (
    <div className="space-y-6">
      <PageHeader title="Account" description={account.data?.email} />
      {account.error ? <ErrorMessage error={account.error} onRetry={account.refetch} /> : null}
      <ChangePasswordCard />
      {account.data ? (
        <TotpCard enabled={account.data.totpEnabled} adminNeedsTotp={account.data.adminNeedsTotp} onChanged={account.refetch} />
      ) : account.isLoading ? (
        <SkeletonRows rows={3} />
      ) : null}
      <SessionsCard />
    </div>
  );
}
