import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { SyncModule } from './sync.module';

export { SyncModule } from './sync.module';

export const syncService: ServiceDefinition = {
  name: 'sync',
  start: (ctx) => startNestService(SyncModule, ctx),
};
