import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { BillingLimitsModule } from './billing-limits.module';

export { BillingLimitsModule } from './billing-limits.module';

export const billingLimitsService: ServiceDefinition = {
  name: 'billing-limits',
  needs: ['bus', 'database', 'outbox'],
  start: (ctx) => startNestService(BillingLimitsModule, ctx),
};
