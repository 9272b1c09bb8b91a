import { Module } from '@nestjs/common';
import { AdminServersModule } from './admin-servers/admin-servers.controller';
import { AdminConfigsModule } from './admin-configs/admin-configs.module';
import { AdminSyncModule } from './admin-sync/admin-sync.module';
import { AdminUsersModule } from './admin-users/admin-users.module';
import { ConfigsModule } from './configs/configs.module';
import { AuditRoutesModule } from './audit/audit.module';
import { AuthRoutesModule } from './auth/auth.module';
import { GatewayCommonModule } from './common';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';
import { PlansModule } from './plans/plans.controller';
import { ServersModule } from './servers/servers.controller';

/**
 * The gateway's route modules. Add a feature as `src/<feature>/<feature>.module.ts` and list it here;
 * every controller method must carry @Public(), @User() or @Admin() from ./common.
 */
@Module({
  imports: [
    GatewayCommonModule,
    HealthModule,
    AuthRoutesModule,
    MeModule,
    AdminUsersModule,
    AdminConfigsModule,
    ServersModule,
    ConfigsModule,
    AdminServersModule,
    PlansModule,
    AdminSyncModule,
    AuditRoutesModule,
  ],
})
export class GatewayModule {}
