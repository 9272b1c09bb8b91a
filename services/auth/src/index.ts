import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@vpn/platform';
import { startNestService } from '@vpn/platform';
import { AuthModule } from './auth.module';
import type { AuthOptionsOverrides } from './auth.options';

export { AuthModule } from './auth.module';
export { DEFAULT_AUTH_OPTIONS, type AuthOptions, type AuthOptionsOverrides } from './auth.options';
export { adminPasswordPath } from './bootstrap/admin-bootstrap';
export { generatedKeyPath } from './tokens/signing-key';

/** The auth service with its policy from the environment, optionally overridden (tests shorten windows). */
export function createAuthService(overrides: AuthOptionsOverrides = {}): ServiceDefinition {
  return {
    name: 'auth',
    needs: ['bus', 'database', 'outbox'],
    start: (ctx) => {
      @Module({ imports: [AuthModule.forRoot(overrides)] })
      class AuthRoot {}
      return startNestService(AuthRoot, ctx);
    },
  };
}

export const authService: ServiceDefinition = createAuthService();
