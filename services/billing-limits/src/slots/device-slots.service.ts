import { Inject, Injectable } from '@nestjs/common';
import {
  BillingErrorCode, CommonErrorCode, DomainError, MAX_BATCH_ITEMS, parseUuid, type BatchItemResult, type CommandReply, type CommandRequest, type PlanView,
} from '@vpn/contracts';
import { DataSource, PreparedStatement, queryRows, type EntityManager } from '@vpn/db';
import { appendEvent, appendEvents, errorToBody as errorBody, type PendingEvent } from '@vpn/messaging';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { toPlanView } from '../plans/plans.service';

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

/** What `billing.reserve_slot` answered for one reservation. */
interface SlotOutcome { outcome: 'reserved' | 'limit' | 'conflict'; plan_id: string; max_devices: number }

/** A refused reservation's error and, at the plan limit, the event to record; null when reserved. */
function refusal(userId: string, o: SlotOutcome): { error: DomainError; event?: PendingEvent } | null {
  if (o.outcome === 'conflict') return { error: new DomainError(CommonErrorCode.CONFLICT, 'reservation belongs to another user') };
  if (o.outcome === 'limit') {
    return {
      error: new DomainError(BillingErrorCode.PLAN_LIMIT_REACHED, `your plan allows ${o.max_devices} device(s)`, { maxDevices: o.max_devices }),
      event: { type: 'limits.reached', data: { userId, planId: o.plan_id, maxDevices: o.max_devices }, subject: userId },
    };
  }
  return null;
}

/** Items in user order (see reserveMany), each through billing.reserve_slot, in one statement. */
const RESERVE_MANY = new PreparedStatement<SlotOutcome & { ord: string }>(
  'billing_reserve_many', `
  SELECT t.ord, r.outcome, r.plan_id, r.max_devices
  FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(user_id, reservation_id, ord)
  CROSS JOIN LATERAL billing.reserve_slot(t.user_id, t.reservation_id, $3::int, $4::text) r
  ORDER BY t.ord`);

const COMMIT_MANY = new PreparedStatement<{ id: string }>('billing_commit_many', `
  UPDATE billing.device_slots s SET status = 'committed', device_id = t.device_id, expires_at = NULL
  FROM unnest($1::uuid[], $2::uuid[]) AS t(id, device_id) WHERE s.id = t.id RETURNING s.id`);

/** Slots that count against the limit: committed devices and reservations that have not expired. */
const USED_SLOTS_SQL = `status = 'committed' OR expires_at > now()`;

/**
 * Device slots per user. `reserve` checks the plan limit and takes a slot in one transaction,
 * serialized per user by a row lock on the account, so of any number of concurrent requests
 * exactly the free slots win. Reservations expire; commit turns one into a device for good.
 */
@Injectable()
export class DeviceSlotsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Deletes reservations that expired a while ago; they stopped counting when they expired (ReservationSweeper runs it). */
  async sweepExpired(graceSeconds = 300): Promise<number> {
    const rows = await queryRows(this.ds,
      `DELETE FROM billing.device_slots WHERE status = 'reserved' AND expires_at < now() - ($1::int * interval '1 second') RETURNING id`,
      [graceSeconds],
    );
    return rows.length;
  }

  async account(req: CommandRequest<'limits.account'>): Promise<CommandReply<'limits.account'>> {
    const userId = parseUuid(req.userId, 'userId');
    await this.ensureAccount(this.ds.manager, userId);
    const [row]: Array<{ id: string; name: string; max_devices: number; used: number }> = await this.ds.query(
      `SELECT p.id, p.name, p.max_devices,
              (SELECT count(*)::int FROM billing.device_slots s WHERE s.user_id = a.user_id AND (${USED_SLOTS_SQL})) AS used
       FROM billing.accounts a JOIN billing.plans p ON p.id = a.plan_id WHERE a.user_id = $1`,
      [userId],
    );
    return { plan: toPlanView(row), devicesUsed: row.used };
  }

  async accounts(req: CommandRequest<'limits.accounts'>): Promise<CommandReply<'limits.accounts'>> {
    const ids = (Array.isArray(req.userIds) ? req.userIds : []).map((id) => parseUuid(id, 'userIds[]'));
    if (ids.length === 0) return [];
    const defaultPlan = await this.defaultPlan(this.ds.manager);
    const rows: Array<{ user_id: string; plan_id: string; used: number }> = await this.ds.query(
      `SELECT a.user_id, a.plan_id,
              (SELECT count(*)::int FROM billing.device_slots s WHERE s.user_id = a.user_id AND (${USED_SLOTS_SQL})) AS used
       FROM billing.accounts a WHERE a.user_id = ANY($1::uuid[])`,
      [ids],
    );
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    // A user without an account has never used a slot and is on the default plan.
    return ids.map((userId) => {
      const r = byUser.get(userId);
      return { userId, planId: r?.plan_id ?? defaultPlan.id, devicesUsed: r?.used ?? 0 };
    });
  }

  async assignPlan(req: CommandRequest<'limits.assign-plan'>): Promise<CommandReply<'limits.assign-plan'>> {
    const userId = parseUuid(req.userId, 'userId');
    const planId = parseUuid(req.planId, 'planId');
    return this.ds.transaction(async (m) => {
      const plans: unknown[] = await m.query(`SELECT 1 FROM billing.plans WHERE id = $1`, [planId]);
      if (plans.length === 0) throw new DomainError(BillingErrorCode.PLAN_NOT_FOUND, 'no such plan');
      await this.ensureAccount(m, userId);
      const [prev]: Array<{ plan_id: string }> = await m.query(`SELECT plan_id FROM billing.accounts WHERE user_id = $1 FOR UPDATE`, [userId]);
      if (prev.plan_id !== planId) {
        await m.query(`UPDATE billing.accounts SET plan_id = $2 WHERE user_id = $1`, [userId, planId]);
        await appendEvent(m, 'plan.changed', { userId, planId, previousPlanId: prev.plan_id }, { actorId: req.actorId, subject: userId });
      }
      return { userId, planId };
    });
  }

  async reserve(req: CommandRequest<'limits.reserve'>): Promise<CommandReply<'limits.reserve'>> {
    const userId = parseUuid(req.userId, 'userId');
    const reservationId = parseUuid(req.reservationId, 'reservationId');
    const ttl = reservationTtl(req.ttlSeconds);
    const [outcome] = await queryRows<SlotOutcome>(this.ds,
      `SELECT outcome, plan_id, max_devices FROM billing.reserve_slot($1, $2, $3, $4)`, [userId, reservationId, ttl, this.config.defaultPlan]);
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
      outcomes = await RESERVE_MANY.rows(this.ds,
        [valid.map((v) => v.userId), valid.map((v) => v.reservationId), ttl, this.config.defaultPlan]);
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
    const done = new Set((await COMMIT_MANY.rows(this.ds, [valid.map((v) => v.reservationId), valid.map((v) => v.deviceId)])).map((r) => r.id));
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
    const rows = await queryRows(this.ds,
      `UPDATE billing.device_slots SET status = 'committed', device_id = $2, expires_at = NULL WHERE id = $1 RETURNING id`,
      [reservationId, deviceId],
    );
    if (rows.length === 0) {
      const userId = req.userId === undefined ? null : parseUuid(req.userId, 'userId');
      if (!userId) throw new DomainError(BillingErrorCode.RESERVATION_NOT_FOUND, 'no such reservation');
      await this.ensureAccount(this.ds.manager, userId);
      await this.ds.query(
        `INSERT INTO billing.device_slots (id, user_id, status, device_id) VALUES ($1, $2, 'committed', $3)
         ON CONFLICT (id) DO UPDATE SET status = 'committed', device_id = EXCLUDED.device_id, expires_at = NULL`,
        [reservationId, userId, deviceId],
      );
    }
    return { ok: true };
  }

  /** Frees a reservation or a device's slot; releasing what is not there is fine. */
  async release(req: CommandRequest<'limits.release'>): Promise<CommandReply<'limits.release'>> {
    const reservationId = req.reservationId === undefined ? null : parseUuid(req.reservationId, 'reservationId');
    const deviceId = req.deviceId === undefined ? null : parseUuid(req.deviceId, 'deviceId');
    if (!reservationId && !deviceId) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'reservationId or deviceId is required');
    await this.ds.query(`DELETE FROM billing.device_slots WHERE id = $1 OR device_id = $2`, [reservationId, deviceId]);
    return { ok: true };
  }

  private async defaultPlan(m: EntityManager): Promise<PlanView> {
    const rows: Array<{ id: string; name: string; max_devices: number }> = await m.query(
      `SELECT id, name, max_devices FROM billing.plans ORDER BY (lower(name) = lower($1)) DESC, created_at, max_devices LIMIT 1`,
      [this.config.defaultPlan],
    );
    if (rows.length === 0) throw new DomainError(CommonErrorCode.INTERNAL, 'no plans exist');
    return toPlanView(rows[0]);
  }

  private async ensureAccount(m: EntityManager, userId: string): Promise<void> {
    const existing: unknown[] = await m.query(`SELECT 1 FROM billing.accounts WHERE user_id = $1`, [userId]);
    if (existing.length > 0) return;
    const plan = await this.defaultPlan(m);
    await m.query(`INSERT INTO billing.accounts (user_id, plan_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [userId, plan.id]);
  }
}
