import { Inject, Injectable } from '@nestjs/common';
import { MAX_BATCH_ITEMS, type BatchItemResult } from '@vpn/contracts';
import { bodyToError, CommandBus } from '@vpn/messaging';
import { Coalescer } from '@vpn/runtime';

/**
 * The saga's side of billing-limits: reservations and commits of concurrent sagas share one bus
 * request (`limits.reserve-many` / `limits.commit-many`), so a burst costs a few round trips and a
 * few statements in billing instead of one each. A lone saga's call goes out at once.
 */
@Injectable()
export class LimitsClient {
  private readonly reserves: Coalescer<{ userId: string; reservationId: string }, BatchItemResult>;
  private readonly commits: Coalescer<{ reservationId: string; deviceId: string; userId: string }, BatchItemResult>;

  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {
    const opts = { maxBatch: MAX_BATCH_ITEMS, maxInFlight: 4 };
    this.reserves = new Coalescer(async (items) => (await this.commands.request('limits.reserve-many', { items })).results, opts);
    this.commits = new Coalescer(async (items) => (await this.commands.request('limits.commit-many', { items })).results, opts);
  }

  /** One device slot for the user, or PLAN_LIMIT_REACHED (or the bus's error). */
  async reserve(userId: string, reservationId: string): Promise<void> {
    settle(await this.reserves.call({ userId, reservationId }));
  }

  async commit(reservationId: string, deviceId: string, userId: string): Promise<void> {
    settle(await this.commits.call({ reservationId, deviceId, userId }));
  }

  /** Frees a reservation; rare (a failed saga), so not batched. */
  async release(reservationId: string): Promise<void> {
    await this.commands.request('limits.release', { reservationId });
  }
}

function settle(result: BatchItemResult): void {
  if (result.error) throw bodyToError(result.error);
}
