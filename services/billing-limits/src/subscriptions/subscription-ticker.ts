import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Interval, SchedulerRegistry } from '@nestjs/schedule';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';

/** The tick's interval in the SchedulerRegistry. */
export const SUBSCRIPTION_TICK_INTERVAL = 'subscription-tick';
const TICK_EVERY_MS = 30_000;
/** Counted usage batches are kept this long: a collector never retries a batch that late. */
const KEEP_BATCHES_DAYS = 7;

/**
 * Every 30 s, on every replica: expiries and due resets (SubscriptionsService.tick). Replicas share
 * the work through row locks; each period is closed once whichever replica and restart gets there.
 */
@Injectable()
export class SubscriptionTicker implements BeforeApplicationShutdown {
  private running: Promise<void> | null = null;

  constructor(
    @Inject(SubscriptionsService) private readonly subscriptions: SubscriptionsService,
    @Inject(SubscriptionsRepository) private readonly repo: SubscriptionsRepository,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Interval(SUBSCRIPTION_TICK_INTERVAL, TICK_EVERY_MS)
  tick(): void {
    if (this.running) return; // the last tick is still running: never two at once in one process
    this.running = (async () => {
      const changed = await this.subscriptions.tick();
      if (changed > 0) this.logger.info({ changed }, 'subscriptions evaluated');
      await this.repo.sweepBatches(KEEP_BATCHES_DAYS);
    })()
      .catch((e: unknown) => this.logger.warn({ err: (e as Error).message }, 'subscription tick failed'))
      .finally(() => { this.running = null; });
  }

  /** No tick starts after this, and a running one ends before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', SUBSCRIPTION_TICK_INTERVAL)) this.scheduler.deleteInterval(SUBSCRIPTION_TICK_INTERVAL);
    await this.running;
  }
}
