import { AuditLog } from '@/features/audit-admin/components/audit-log';

export default function AuditAdminRoute() {
  return <AuditLog />;
}
