import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { AuthModule } from './auth.module';

export { AuthModule } from './auth.module';

export const authService: ServiceDefinition = {
  name: 'auth',
  start: (ctx) => startNestService(AuthModule, ctx),
};
