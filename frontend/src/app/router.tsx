import { lazy } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router-dom';
import { paths } from '@/config/paths';
import { RequireAdmin, RequireUser } from './guards';
import { AppLayout } from './layout';
import { RouteError } from './route-error';
import { AddDeviceRoute } from './routes/add-device';
import { DeviceRoute } from './routes/device';
import { DevicesRoute } from './routes/devices';
import { ForgotPasswordRoute } from './routes/forgot-password';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { RegisterRoute } from './routes/register';
import { ResetPasswordRoute } from './routes/reset-password';

// Admin pages are code-split: most visitors never download them.
const ServersAdminRoute = lazy(() => import('./routes/admin/servers'));
const UsersAdminRoute = lazy(() => import('./routes/admin/users'));
const PlansAdminRoute = lazy(() => import('./routes/admin/plans'));
const AuditAdminRoute = lazy(() => import('./routes/admin/audit'));
const AccountRoute = lazy(() => import('./routes/account'));

const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute />, errorElement: <RouteError /> },
  { path: paths.register, element: <RegisterRoute />, errorElement: <RouteError /> },
  { path: paths.forgotPassword, element: <ForgotPasswordRoute />, errorElement: <RouteError /> },
  { path: paths.resetPassword, element: <ResetPasswordRoute />, errorElement: <RouteError /> },
  {
    element: (
      <RequireUser>
        <AppLayout />
      </RequireUser>
    ),
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          { index: true, element: <DevicesRoute /> },
          { path: 'devices/new', element: <AddDeviceRoute /> },
          { path: 'devices/:id', element: <DeviceRoute /> },
          { path: 'account', element: <AccountRoute /> },
          {
            path: 'admin',
            element: (
              <RequireAdmin>
                <Outlet />
              </RequireAdmin>
            ),
            children: [
              { index: true, element: <Navigate to={paths.admin.servers} replace /> },
              { path: 'servers', element: <ServersAdminRoute /> },
              { path: 'users', element: <UsersAdminRoute /> },
              { path: 'plans', element: <PlansAdminRoute /> },
              { path: 'audit', element: <AuditAdminRoute /> },
            ],
          },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
