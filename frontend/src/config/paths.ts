/** Every route of the dashboard, in one place. */
export const paths = {
  login: (next?: string) => (next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login'),
  register: '/register',
  account: '/account',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password',
  devices: '/',
  addDevice: '/devices/new',
  device: (id: string) => `/devices/${encodeURIComponent(id)}`,
  admin: {
    servers: '/admin/servers',
    users: '/admin/users',
    plans: '/admin/plans',
    audit: '/admin/audit',
  },
} as const;
