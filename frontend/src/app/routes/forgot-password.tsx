import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';
import { paths } from '@/config/paths';
import { RedirectIfSignedIn } from '../guards';
import { AuthLayout } from '../layout';

export function ForgotPasswordRoute() {
  return (
    <RedirectIfSignedIn to={paths.account}>
      <AuthLayout title="Reset your password" subtitle="We mail you a link to choose a new one">
        <ForgotPasswordForm />
      </AuthLayout>
    </RedirectIfSignedIn>
  );
}
