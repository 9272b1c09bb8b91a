import { useNavigate } from 'react-router-dom';
import { RegisterForm } from '@/features/auth/components/register-form';
import { paths } from '@/config/paths';
import { RedirectIfSignedIn } from '../guards';
import { AuthLayout } from '../layout';

export function RegisterRoute() {
  const navigate = useNavigate();
  return (
    <RedirectIfSignedIn to={paths.devices}>
      <AuthLayout title="Create your account" subtitle="Get a private WireGuard tunnel in a minute">
        <RegisterForm onSuccess={() => void navigate(paths.devices, { replace: true })} />
      </AuthLayout>
    </RedirectIfSignedIn>
  );
}
