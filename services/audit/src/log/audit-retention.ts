import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { AuditLogRepository } from './audit-log.repository';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
const BATCH = 10_000;
/** The sweep's interval in the SchedulerRegistry. */
export const AUDIT_RETENTION_INTERVAL = 'audit-retention';

/** AUDIT_RETENTION_DAYS (0 = forever): entries older than that are deleted at start and every hour, in batches. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<number> | null = null;

  constructor(
    @Inject(AuditLogRepository) private readonly log: AuditLogRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.auditRetentionDays === 0) return;
    const sweep = () => {
      if (this.running) return; // a long sweep is still deleting: never two at once
      this.running = this.sweep()
        .catch((e: unknown) => {
          this.logger.warn({ err: (e as Error).message }, 'audit retention sweep failed; retrying later');
          return 0;
        })
        .finally(() => { this.running = null; });
    };
    sweep();
    const timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
    this.scheduler.addInterval(AUDIT_RETENTION_INTERVAL, timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', AUDIT_RETENTION_INTERVAL)) this.scheduler.deleteInterval(AUDIT_RETENTION_INTERVAL);
    await this.running;
  }

  /** Deletes what is past retention; returns how many entries went. */
  async sweep(days = this.config.auditRetentionDays): Promise<number> {
    if (days === 0) return 0;
    let total = 0;
    for (;;) {
      const gone = await this.log.deleteOlderThan(days, BATCH);
      total += gone;
      if (gone < BATCH) break;
    }
    if (total > 0) this.logger.info({ deleted: total, days }, 'audit entries past retention deleted');
    return total;
  }
}
