import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { SyncModule } from './sync.module';

export { SyncModule } from './sync.module';

export const syncService: ServiceDefinition = {
  name: 'sync',
  needs: ['bus', 'database', 'outbox', 'ssh'],
  start: (ctx) => startNestService(SyncModule, ctx),
};
