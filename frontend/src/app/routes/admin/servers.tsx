import { ServersAdmin } from '@/features/servers-admin/components/servers-admin';

export default function ServersAdminRoute() {
  return <ServersAdmin />;
}
