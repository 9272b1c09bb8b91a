import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { AuditModule } from './audit.module';

export { AuditModule } from './audit.module';

export const auditService: ServiceDefinition = {
  name: 'audit',
  needs: ['bus', 'database'],
  start: (ctx) => startNestService(AuditModule, ctx),
};
