import { UsersAdmin } from '@/features/users-admin/components/users-admin';

export default function UsersAdminRoute() {
  return <UsersAdmin />;
}
