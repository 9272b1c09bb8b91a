import { useSearchParams } from 'react-router-dom';
import { ResetPasswordForm } from '@/features/auth/components/reset-password-form';
import { AuthLayout } from '../layout';

/** The page of the mailed link: /reset-password?token=… (works signed in or out). */
export function ResetPasswordRoute() {
  const [params] = useSearchParams();
  return (
    <AuthLayout title="Choose a new password" subtitle="Every session of the account will be signed out">
      <ResetPasswordForm token={params.get('token') ?? ''} />
    </AuthLayout>
  );
}
