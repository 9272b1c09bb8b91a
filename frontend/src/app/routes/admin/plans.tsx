import { PlansAdmin } from '@/features/plans-admin/components/plans-admin';

export default function PlansAdminRoute() {
  return <PlansAdmin />;
}
