import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { ServerReconciler } from '../runs/server-reconciler';
import { SyncLeases, type SyncLease } from './sync-leases';
import { SYNC_TIMING, type SyncTiming } from './sync-timing';

/** The tick's timeout in the SchedulerRegistry. */
export const SYNC_TICK_TIMEOUT = 'sync-tick';

/**
 * Every SYNC_INTERVAL_SECONDS per active server (not in maintenance), with jitter: each tick this
 * replica claims due servers through `vpn.sync_leases` and reconciles them, at most `concurrency`
 * at a time. Replicas share the schedule, so each server is reconciled once per interval by one of them.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(SyncLeases) private readonly leases: SyncLeases,
    @Inject(ServerReconciler) private readonly reconciler: ServerReconciler,
    @Inject(SYNC_TIMING) private readonly timing: SyncTiming,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('timeout', SYNC_TICK_TIMEOUT)) this.scheduler.deleteTimeout(SYNC_TICK_TIMEOUT);
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
  }

  /** The next tick starts tickMs after the last one ended, so two ticks never overlap. */
  private schedule(): void {
    if (this.stopped) return;
    this.scheduler.addTimeout(SYNC_TICK_TIMEOUT, setTimeout(() => {
      this.scheduler.deleteTimeout(SYNC_TICK_TIMEOUT);
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule();
      });
    }, this.timing.tickMs));
  }

  private async tick(): Promise<void> {
    try {
      await this.leases.scheduleNewServers(this.timing.intervalSeconds);
      const free = this.timing.concurrency - this.inFlight.size;
      const claimed = await this.leases.claimDue(free, this.timing.leaseSeconds, this.timing.intervalSeconds, this.timing.jitter);
      for (const lease of claimed) this.start(lease);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'sync schedule tick failed; retrying next tick');
    }
  }

  private start(lease: SyncLease): void {
    const run = (async () => {
      try {
        await this.reconciler.reconcile(lease.serverId, { manual: false, actorId: null });
      } catch (e) {
        this.logger.warn({ serverId: lease.serverId, err: (e as Error).message }, 'scheduled sync failed');
      } finally {
        await this.leases.release(lease).catch(() => undefined);
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }
}
