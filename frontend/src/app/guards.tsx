import { ShieldOff } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { buttonClasses, EmptyState, Spinner } from '@/components/ui';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/auth';

export function FullPageSpinner() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center">
      <Spinner size="lg" label="Loading…" />
    </div>
  );
}

/** Signed-in users only; anyone else goes to the login page and comes back here afterwards. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpinner />;
  if (status === 'signed-out') return <Navigate to={paths.login(location.pathname + location.search)} replace />;
  return children;
}

/** Admins only; a signed-in user sees a plain "no access" page (the API would answer 403 anyway). */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { user } = useSession();
  if (user?.role !== 'admin') {
    return (
      <div className="py-8" data-testid="forbidden">
        <EmptyState
          icon={<ShieldOff className="size-10" aria-hidden="true" />}
          title="Admins only"
          description="This page is for administrators. If you need access, ask an administrator of this service."
          action={
            <Link to={paths.devices} className={buttonClasses('secondary')}>
              Back to your devices
            </Link>
          }
        />
      </div>
    );
  }
  return children;
}

/** Login and register: a signed-in visitor is sent on. */
export function RedirectIfSignedIn({ children, to }: { children: ReactNode; to: string }) {
  const { status } = useSession();
  if (status === 'loading') return <FullPageSpinner />;
  if (status === 'signed-in') return <Navigate to={to} replace />;
  return children;
}
