import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Interval, SchedulerRegistry } from '@nestjs/schedule';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { AccountsRepository } from './accounts.repository';

/** The sweep's interval in the SchedulerRegistry. */
export const RESERVATION_SWEEP_INTERVAL = 'reservation-sweep';
const SWEEP_EVERY_MS = 30_000;
const EXPIRED_FOR_S = 300;

/** Every 30 s, deletes reservations that expired a while ago (they stopped counting when they expired). */
@Injectable()
export class ReservationSweeper implements BeforeApplicationShutdown {
  private running: Promise<void> | null = null;

  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Interval(RESERVATION_SWEEP_INTERVAL, SWEEP_EVERY_MS)
  sweep(): void {
    if (this.running) return; // the last sweep is still deleting: never two at once
    this.running = this.accounts.sweepExpired(EXPIRED_FOR_S)
      .then(() => undefined, (e: unknown) => this.logger.warn({ err: (e as Error).message }, 'reservation sweep failed'))
      .finally(() => { this.running = null; });
  }

  /** No sweep starts after this, and a running one ends before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', RESERVATION_SWEEP_INTERVAL)) this.scheduler.deleteInterval(RESERVATION_SWEEP_INTERVAL);
    await this.running;
  }
}
