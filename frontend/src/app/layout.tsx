import { LogOut, Shield } from 'lucide-react';
import { Suspense } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, cn, focusRing } from '@/components/ui';
import { env } from '@/config/env';
import { paths } from '@/config/paths';
import { useSession } from '@/lib/auth';
import { FullPageSpinner } from './guards';

function NavItem({ to, children, activeWhen }: { to: string; children: string; activeWhen?: (path: string) => boolean }) {
  const { pathname } = useLocation();
  return (
    <NavLink
      to={to}
      end
      className={({ isActive: matched }) => {
        const isActive = activeWhen ? activeWhen(pathname) : matched;
        return cn(
          'rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap',
          focusRing,
          isActive
            ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900'
            : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100',
        );
      }}
    >
      {children}
    </NavLink>
  );
}

export function AppLayout() {
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const isAdmin = user?.role === 'admin';
  return (
    <div className="min-h-dvh">
      <a href="#main" className="sr-only rounded bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 dark:bg-slate-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
        <div className="mx-auto flex h-14 max-w-5xl items-center gap-3 px-4">
          <NavLink to={paths.devices} className={cn('flex items-center gap-2 rounded font-semibold', focusRing)}>
            <Shield className="size-5 text-teal-600 dark:text-teal-400" aria-hidden="true" />
            <span className="hidden min-[420px]:inline">{env.appName}</span>
          </NavLink>
          <div className="ml-auto flex min-w-0 items-center gap-2">
            <span className="hidden truncate text-sm text-slate-500 sm:inline dark:text-slate-400" data-testid="current-user">
              {user?.email}
            </span>
            <Button
              variant="ghost"
              size="sm"
              icon={<LogOut className="size-4" aria-hidden="true" />}
              onClick={async () => {
                await logout().catch(() => undefined);
                void navigate(paths.login(), { replace: true });
              }}
            >
              Sign out
            </Button>
          </div>
        </div>
        <nav aria-label="Main" className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4 pb-2">
          <NavItem to={paths.devices} activeWhen={(p) => p === '/' || p.startsWith('/devices')}>
            Devices
          </NavItem>
          <NavItem to={paths.account}>Account</NavItem>
          {isAdmin ? (
            <>
              <span aria-hidden="true" className="mx-1 my-1.5 w-px bg-slate-200 dark:bg-slate-700" />
              <NavItem to={paths.admin.servers}>Servers</NavItem>
              <NavItem to={paths.admin.users}>Users</NavItem>
              <NavItem to={paths.admin.plans}>Plans</NavItem>
              <NavItem to={paths.admin.audit}>Audit log</NavItem>
            </>
          ) : null}
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:py-8">
        <Suspense fallback={<FullPageSpinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <Shield className="mx-auto mb-3 size-9 text-teal-600 dark:text-teal-400" aria-hidden="true" />
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">{children}</div>
      </div>
    </main>
  );
}
