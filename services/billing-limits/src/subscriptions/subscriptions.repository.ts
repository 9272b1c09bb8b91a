import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope, ResetStrategy, SubscriptionStatus } from '@vpn/contracts';
import { DataSource, PreparedStatement, UsageBatchEntity, type EntityManager } from '@vpn/db';
import type { ClosedPeriod, Subscription } from './subscription-rules';

/** A subscription row as pg returns it (bigints as text, times as epoch milliseconds). */
export interface SubscriptionRow {
  user_id: string; plan_id: string; status: SubscriptionStatus; on_hold: boolean; account_disabled: boolean;
  subscribed_at: number; started_at: number | null; expires_at: number | null; duration_days: number | null;
  data_limit_bytes: string | null; used_bytes: string; lifetime_used_bytes: string; reset_strategy: ResetStrategy;
  last_reset_at: number | null; next_reset_at: number | null;
}

/** A timestamptz column as epoch milliseconds (a float8 parses far cheaper than a timestamp text). */
const epochMs = (col: string) => `(extract(epoch FROM s.${col}) * 1000)::float8 AS ${col}`;

/** The columns of a subscription with its account's plan, for every read below. */
export const SUBSCRIPTION_COLUMNS = `s.user_id, a.plan_id, s.status, s.on_hold, s.account_disabled, ${epochMs('subscribed_at')}, ${epochMs('started_at')},
  ${epochMs('expires_at')}, s.duration_days, s.data_limit_bytes, s.used_bytes, s.lifetime_used_bytes, s.reset_strategy,
  ${epochMs('last_reset_at')}, ${epochMs('next_reset_at')}`;

const date = (t: number | null) => (t === null ? null : new Date(t));

export function toSubscription(r: SubscriptionRow): Subscription {
  return {
    userId: r.user_id, planId: r.plan_id, status: r.status, onHold: r.on_hold, accountDisabled: r.account_disabled,
    subscribedAt: new Date(r.subscribed_at), startedAt: date(r.started_at), expiresAt: date(r.expires_at), durationDays: r.duration_days,
    dataLimitBytes: r.data_limit_bytes === null ? null : Number(r.data_limit_bytes), usedBytes: Number(r.used_bytes),
    lifetimeUsedBytes: Number(r.lifetime_used_bytes), resetStrategy: r.reset_strategy, lastResetAt: date(r.last_reset_at), nextResetAt: date(r.next_reset_at),
  };
}

/** Locked in user order, so two writers of overlapping users cannot deadlock. */
const LOCK_MANY = new PreparedStatement<SubscriptionRow>('billing_subscriptions_lock', `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM billing.subscriptions s JOIN billing.accounts a ON a.user_id = s.user_id
  WHERE s.user_id = ANY($1::uuid[]) ORDER BY s.user_id FOR UPDATE OF s`);

/**
 * Subscriptions the tick must look at: a reset due or not scheduled yet, an expiry come. Rows another
 * replica holds are skipped; once it commits they are no longer due (the WHERE is checked again on the
 * newest row version), so each period is closed by exactly one replica.
 */
const LOCK_DUE = new PreparedStatement<SubscriptionRow>('billing_subscriptions_due', `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM billing.subscriptions s JOIN billing.accounts a ON a.user_id = s.user_id
  WHERE (s.reset_strategy <> 'NO_RESET' AND (s.next_reset_at <= $1 OR (s.next_reset_at IS NULL AND NOT s.on_hold)))
     OR (s.expires_at <= $1 AND s.status NOT IN ('EXPIRED', 'DISABLED'))
  ORDER BY s.user_id LIMIT $2 FOR UPDATE OF s SKIP LOCKED`);

/** A time as epoch milliseconds in the JSON the writes send (cheaper to make than ISO strings). */
const ms = (t: Date | null) => (t === null ? null : t.getTime());
/** Field `i` of a row sent as a JSON array (no repeated keys: a third of the bytes of objects). */
const f = (i: number, type: string) => `(r->>${i})::${type}`;
const ts = (i: number) => `to_timestamp(${f(i, 'float8')} / 1000.0)`;

/**
 * One batch of changes in one statement: the subscriptions' new states, the usage periods they closed
 * (a period closed twice violates (user_id, period_end) and rolls the transaction back) and their
 * events into the outbox, notifying the relay on commit (the outbox's sanctioned hot-path form).
 */
const SAVE_BATCH = new PreparedStatement<Record<string, never>>('billing_subscriptions_save', `
  WITH saved AS (
    UPDATE billing.subscriptions s SET status = ${f(1, 'text')}, on_hold = ${f(2, 'boolean')}, account_disabled = ${f(3, 'boolean')},
      subscribed_at = ${ts(4)}, started_at = ${ts(5)}, expires_at = ${ts(6)}, duration_days = ${f(7, 'int')},
      data_limit_bytes = ${f(8, 'bigint')}, used_bytes = ${f(9, 'bigint')}, lifetime_used_bytes = ${f(10, 'bigint')},
      reset_strategy = ${f(11, 'text')}, last_reset_at = ${ts(12)}, next_reset_at = ${ts(13)}
    FROM jsonb_array_elements($1::jsonb) AS r
    WHERE s.user_id = ${f(0, 'uuid')}
  ), closed AS (
    INSERT INTO billing.usage_periods (user_id, period_start, period_end, used_bytes, reason)
    SELECT ${f(0, 'uuid')}, ${ts(1)}, ${ts(2)}, ${f(3, 'bigint')}, ${f(4, 'text')} FROM jsonb_array_elements($2::jsonb) AS r
  ), appended AS (
    INSERT INTO messaging.outbox (id, type, envelope) SELECT (e->>'id')::uuid, e->>'type', e FROM jsonb_array_elements($3::jsonb) AS e
  )
  SELECT pg_notify($4, '') WHERE jsonb_array_length($3::jsonb) > 0`);

const RECORD_BATCH = new PreparedStatement<{ batch_id: string }>('billing_usage_batch_record', `
  INSERT INTO billing.usage_batches (batch_id) VALUES ($1) ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`);

/**
 * billing.subscriptions with the usage history (billing.usage_periods) and the ledger of counted
 * usage batches (billing.usage_batches): every statement on them. Writers lock the rows, change them
 * through the pure rules and save them, their history and their events in one statement.
 */
@Injectable()
export class SubscriptionsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** The users' subscriptions, locked until the transaction ends, in user order. */
  async lockMany(m: EntityManager, userIds: readonly string[]): Promise<Subscription[]> {
    return (await LOCK_MANY.rows(m, [userIds])).map(toSubscription);
  }

  /** Up to `limit` subscriptions due for evaluation at `now`, locked (others' locked rows skipped). */
  async lockDue(m: EntityManager, now: Date, limit: number): Promise<Subscription[]> {
    return (await LOCK_DUE.rows(m, [now, limit])).map(toSubscription);
  }

  /** Saves changed subscriptions with their closed periods and events (envelopes of newEvent), in one statement. */
  async saveBatch(m: EntityManager, subs: readonly Subscription[], periods: readonly ClosedPeriod[], events: readonly EventEnvelope[], channel: string): Promise<void> {
    if (subs.length === 0 && events.length === 0) return;
    await SAVE_BATCH.rows(m, [
      // Field order as read by SAVE_BATCH's f(i).
      JSON.stringify(subs.map((x) => [
        x.userId, x.status, x.onHold, x.accountDisabled, ms(x.subscribedAt), ms(x.startedAt), ms(x.expiresAt), x.durationDays,
        x.dataLimitBytes, x.usedBytes, x.lifetimeUsedBytes, x.resetStrategy, ms(x.lastResetAt), ms(x.nextResetAt),
      ])),
      JSON.stringify(periods.map((p) => [p.userId, ms(p.periodStart), ms(p.periodEnd), p.usedBytes, p.reason])),
      JSON.stringify(events),
      channel,
    ]);
  }

  /** Records a usage batch as counted; false when it was counted before. */
  async recordBatch(m: EntityManager, batchId: string): Promise<boolean> {
    return (await RECORD_BATCH.rows(m, [batchId])).length === 1;
  }

  /** Forgets counted batches older than `days` (no collector retries that late); returns how many. */
  async sweepBatches(days: number): Promise<number> {
    const result = await this.ds.createQueryBuilder().delete().from(UsageBatchEntity)
      .where(`recorded_at < now() - make_interval(days => :days)`, { days }).execute();
    return result.affected ?? 0;
  }
}
