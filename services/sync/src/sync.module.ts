import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PLATFORM_CONFIG, SshModule } from '@vpn/platform';
import type { PlatformConfig } from '@vpn/runtime';
import { registerAgeSource, syncMetrics } from './metrics/sync-metrics';
import { SyncCommandsController } from './sync.controller';
import { ServerReconciler } from './runs/server-reconciler';
import { SyncRepository } from './runs/sync.repository';
import { SyncService } from './runs/sync.service';
import { SyncLeases } from './schedule/sync-leases';
import { SyncScheduler } from './schedule/sync-scheduler';
import { SYNC_TIMING, syncTiming } from './schedule/sync-timing';

/** Reconciliation of every server with the database on a schedule, and usage statistics (schema `vpn`: stats and sync state only). */
@Module({
  controllers: [SyncCommandsController],
  imports: [ScheduleModule.forRoot(), SshModule.forRoot({ commandTimeoutMs: 60_000 })],
  providers: [
    { provide: SYNC_TIMING, inject: [PLATFORM_CONFIG], useFactory: (c: PlatformConfig) => syncTiming(c.syncIntervalSeconds) },
    SyncRepository,
    SyncLeases,
    ServerReconciler,
    SyncScheduler,
    SyncService,
  ],
})
export class SyncModule implements OnModuleInit, OnApplicationShutdown {
  private unregister: (() => void) | null = null;

  constructor(@Inject(SyncRepository) private readonly repo: SyncRepository) {}

  onModuleInit(): void {
    syncMetrics();
    this.unregister = registerAgeSource(() => this.repo.syncAges());
  }

  onApplicationShutdown(): void {
    this.unregister?.();
  }
}
