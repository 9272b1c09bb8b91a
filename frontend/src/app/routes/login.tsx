import { useNavigate, useSearchParams } from 'react-router-dom';
import { LoginForm } from '@/features/auth/components/login-form';
import { useSession } from '@/lib/auth';
import { RedirectIfSignedIn } from '../guards';
import { AuthLayout } from '../layout';

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { expired } = useSession();
  const next = safeNext(params.get('next'));
  return (
    <RedirectIfSignedIn to={next}>
      <AuthLayout title="Sign in" subtitle="Manage your WireGuard devices">
        <LoginForm expired={expired} onSuccess={() => void navigate(next, { replace: true })} />
      </AuthLayout>
    </RedirectIfSignedIn>
  );
}
