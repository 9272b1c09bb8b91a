import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { ProvisioningModule } from './provisioning.module';

export { ProvisioningModule } from './provisioning.module';

export const provisioningService: ServiceDefinition = {
  name: 'provisioning',
  needs: ['bus', 'database', 'outbox', 'ssh'],
  start: (ctx) => startNestService(ProvisioningModule, ctx),
};
