import { Inject, Injectable } from '@nestjs/common';
import {
  BillingErrorCode, CommonErrorCode, DomainError, MAX_BATCH_ITEMS, parseUuid, type BatchItemResult, type CommandReply, type CommandRequest,
} from '@vpn/contracts';
import { DataSource } from '@vpn/db';
import { appendEvents, errorToBody as errorBody, type PendingEvent } from '@vpn/messaging';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { statusOf, toSubscriptionView } from '../subscriptions/subscription-rules';
import { AccountsRepository, type SlotOutcome } from './accounts.repository';

const DEFAULT_RESERVATION_TTL_S = 120;

function reservationTtl(seconds: unknown): number {
  const n = typeof seconds === 'number' && Number.isFinite(seconds) ? Math.trunc(seconds) : DEFAULT_RESERVATION_TTL_S;
  return Math.min(Math.max(n, 10), 3_600);
}

/**
 * A batch's items parsed one by one: one result per item (an invalid item already failed with its
 * error) and the valid items with their index. Too few or too many items fail the whole batch.
 */
function parseBatch<I, V>(items: readonly I[] | undefined, parse: (item: I | undefined) => V): { results: BatchItemResult[]; valid: Array<V & { i: number }> } {
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_ITEMS) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `items must hold 1 to ${MAX_BATCH_ITEMS} entries`);
  }
  const results: BatchItemResult[] = [];
  const valid: Array<V & { i: number }> = [];
  (items as ReadonlyArray<I | undefined>).forEach((item, i) => {
    results.push({ reservationId: String((item as { reservationId?: unknown } | undefined)?.reservationId) });
    try {
      valid.push({ ...parse(item), i });
    } catch (e) {
      results[i].error = errorBody(e);
    }
  });
  return { results, valid };
}

/** Each item on the single-item path; an item's failure is its own result. */
async function eachAlone<V extends { i: number }>(items: readonly V[], results: BatchItemResult[], work: (v: V) => Promise<unknown>): Promise<void> {
  await Promise.all(items.map(async (v) => {
    try {
      await work(v);
    } catch (e) {
      results[v.i].error = errorBody(e);
    }
  }));
}

/** A refused reservation's error and, at the plan limit, the event to record; null when reserved. */
function refusal(userId: string, o: SlotOutcome): { error: DomainError; event?: PendingEvent } | null {
  if (o.outcome === 'conflict') return { error: new DomainError(CommonErrorCode.CONFLICT, 'reservation belongs to another user') };
  if (o.outcome === 'inactive') return { error: new DomainError(BillingErrorCode.SUBSCRIPTION_INACTIVE, 'your subscription is not active: renew it or ask for more traffic') };
  if (o.outcome === 'limit') {
    return {
      error: new DomainError(BillingErrorCode.PLAN_LIMIT_REACHED, `your plan allows ${o.max_devices} device(s)`, { maxDevices: o.max_devices }),
      event: { type: 'limits.reached', data: { userId, planId: o.plan_id, maxDevices: o.max_devices }, subject: userId },
    };
  }
  return null;
}

/**
 * Device slots per user. `reserve` checks the plan limit and takes a slot in one transaction,
 * serialized per user by a row lock on the account, so of any number of concurrent requests
 * exactly the free slots win. Reservations expire; commit turns one into a device for good.
 */
@Injectable()
export class DeviceSlotsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AccountsRepository) private readonly accountsRepo: AccountsRepository,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async account(req: CommandRequest<'limits.account'>): Promise<CommandReply<'limits.account'>> {
    const userId = parseUuid(req.userId, 'userId');
    let view = await this.accountsRepo.view(userId);
    if (!view) {
      await this.accountsRepo.ensure(userId, this.config.defaultPlan);
      view = await this.accountsRepo.view(userId);
    }
    if (!view) throw new DomainError(CommonErrorCode.INTERNAL, 'no plans exist');
    // The status as it holds now: an expiry passed since the last tick already shows.
    const subscription = toSubscriptionView({ ...view.subscription, status: statusOf(view.subscription, new Date()) });
    return { plan: view.plan, devicesUsed: view.devicesUsed, subscription };
  }

  async accounts(req: CommandRequest<'limits.accounts'>): Promise<CommandReply<'limits.accounts'>> {
    const ids = (Array.isArray(req.userIds) ? req.userIds : []).map((id) => parseUuid(id, 'userIds[]'));
    return ids.length === 0 ? [] : this.accountsRepo.usage(ids, this.config.defaultPlan);
  }

  async reserve(req: CommandRequest<'limits.reserve'>): Promise<CommandReply<'limits.reserve'>> {
    const userId = parseUuid(req.userId, 'userId');
    const reservationId = parseUuid(req.reservationId, 'reservationId');
    const [outcome] = await this.accountsRepo.reserveMany([{ userId, reservationId }], reservationTtl(req.ttlSeconds), this.config.defaultPlan);
    const refused = refusal(userId, outcome);
    const event = refused?.event;
    if (event) await this.ds.transaction((m) => appendEvents(m, [event]));
    if (refused) throw refused.error;
    return { reservationId };
  }

  /**
   * `limits.reserve` for many items in one statement. Items are taken in user order, so two batches
   * lock accounts in the same order and cannot deadlock; should the statement fail anyway, each item
   * is reserved on its own. An invalid item fails alone.
   */
  async reserveMany(req: CommandRequest<'limits.reserve-many'>): Promise<CommandReply<'limits.reserve-many'>> {
    const ttl = reservationTtl(req.ttlSeconds);
    const { results, valid } = parseBatch(req.items, (it) => ({ userId: parseUuid(it?.userId, 'userId'), reservationId: parseUuid(it?.reservationId, 'reservationId') }));
    valid.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.i - b.i));
    let outcomes: Array<SlotOutcome & { ord: string }>;
    try {
      outcomes = await this.accountsRepo.reserveMany(valid, ttl, this.config.defaultPlan);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message, items: valid.length }, 'batched reservation failed; reserving one by one');
      await eachAlone(valid, results, (v) => this.reserve({ userId: v.userId, reservationId: v.reservationId, ttlSeconds: ttl }));
      return { results };
    }
    const reached: PendingEvent[] = [];
    for (const o of outcomes) {
      const v = valid[Number(o.ord) - 1];
      const refused = refusal(v.userId, o);
      if (refused) results[v.i].error = errorBody(refused.error);
      if (refused?.event) reached.push(refused.event);
    }
    if (reached.length > 0) await this.ds.transaction((m) => appendEvents(m, reached));
    return { results };
  }

  /** `limits.commit` for many items: one UPDATE; items whose reservation is gone take the single path. */
  async commitMany(req: CommandRequest<'limits.commit-many'>): Promise<CommandReply<'limits.commit-many'>> {
    const { results, valid } = parseBatch(req.items, (it) => ({
      reservationId: parseUuid(it?.reservationId, 'reservationId'), deviceId: parseUuid(it?.deviceId, 'deviceId'), userId: it?.userId,
    }));
    const done = await this.accountsRepo.commitMany(valid);
    await eachAlone(valid.filter((v) => !done.has(v.reservationId)), results, (v) => this.commit(v));
    return { results };
  }

  /**
   * Makes a reservation a device. Idempotent; also after the reservation expired or was swept,
   * because the device exists by now and must be counted.
   */
  async commit(req: CommandRequest<'limits.commit'>): Promise<CommandReply<'limits.commit'>> {
    const reservationId = parseUuid(req.reservationId, 'reservationId');
    const deviceId = parseUuid(req.deviceId, 'deviceId');
    if ((await this.accountsRepo.commitMany([{ reservationId, deviceId }])).size === 0) {
      const userId = req.userId === undefined ? null : parseUuid(req.userId, 'userId');
      if (!userId) throw new DomainError(BillingErrorCode.RESERVATION_NOT_FOUND, 'no such reservation');
      await this.accountsRepo.ensure(userId, this.config.defaultPlan);
      await this.accountsRepo.upsertCommitted(reservationId, userId, deviceId);
    }
    return { ok: true };
  }

  /** Frees a reservation or a device's slot; releasing what is not there is fine. */
  async release(req: CommandRequest<'limits.release'>): Promise<CommandReply<'limits.release'>> {
    const reservationId = req.reservationId === undefined ? null : parseUuid(req.reservationId, 'reservationId');
    const deviceId = req.deviceId === undefined ? null : parseUuid(req.deviceId, 'deviceId');
    if (!reservationId && !deviceId) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'reservationId or deviceId is required');
    await this.accountsRepo.release(reservationId, deviceId);
    return { ok: true };
  }
}
