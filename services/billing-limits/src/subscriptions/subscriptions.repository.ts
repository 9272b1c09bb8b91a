import { Inject, Injectable } from '@nestjs/common';
import type { ResetStrategy, SubscriptionStatus } from '@vpn/contracts';
import { DataSource, PreparedStatement, UsageBatchEntity, type EntityManager } from '@vpn/db';
import type { ClosedPeriod, Subscription } from './subscription-rules';

/** A subscription row as pg returns it (bigints as text). */
export interface SubscriptionRow {
  user_id: string; plan_id: string; status: SubscriptionStatus; on_hold: boolean; account_disabled: boolean;
  subscribed_at: Date; started_at: Date | null; expires_at: Date | null; duration_days: number | null;
  data_limit_bytes: string | null; used_bytes: string; lifetime_used_bytes: string; reset_strategy: ResetStrategy;
  last_reset_at: Date | null; next_reset_at: Date | null;
}

/** The columns of a subscription with its account's plan, for every read below. */
export const SUBSCRIPTION_COLUMNS = `s.user_id, a.plan_id, s.status, s.on_hold, s.account_disabled, s.subscribed_at, s.started_at, s.expires_at,
  s.duration_days, s.data_limit_bytes, s.used_bytes, s.lifetime_used_bytes, s.reset_strategy, s.last_reset_at, s.next_reset_at`;

export function toSubscription(r: SubscriptionRow): Subscription {
  return {
    userId: r.user_id, planId: r.plan_id, status: r.status, onHold: r.on_hold, accountDisabled: r.account_disabled,
    subscribedAt: r.subscribed_at, startedAt: r.started_at, expiresAt: r.expires_at, durationDays: r.duration_days,
    dataLimitBytes: r.data_limit_bytes === null ? null : Number(r.data_limit_bytes), usedBytes: Number(r.used_bytes),
    lifetimeUsedBytes: Number(r.lifetime_used_bytes), resetStrategy: r.reset_strategy, lastResetAt: r.last_reset_at, nextResetAt: r.next_reset_at,
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

const SAVE_MANY = new PreparedStatement<Record<string, never>>('billing_subscriptions_save', `
  UPDATE billing.subscriptions s SET status = t.status, on_hold = t.on_hold, account_disabled = t.account_disabled,
    subscribed_at = t.subscribed_at, started_at = t.started_at, expires_at = t.expires_at, duration_days = t.duration_days,
    data_limit_bytes = t.data_limit_bytes, used_bytes = t.used_bytes, lifetime_used_bytes = t.lifetime_used_bytes,
    reset_strategy = t.reset_strategy, last_reset_at = t.last_reset_at, next_reset_at = t.next_reset_at
  FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, status text, on_hold boolean, account_disabled boolean, subscribed_at timestamptz,
    started_at timestamptz, expires_at timestamptz, duration_days int, data_limit_bytes bigint, used_bytes bigint, lifetime_used_bytes bigint,
    reset_strategy text, last_reset_at timestamptz, next_reset_at timestamptz)
  WHERE s.user_id = t.user_id`);

/** A period closed twice violates (user_id, period_end) and rolls its transaction back. */
const CLOSE_PERIODS = new PreparedStatement<Record<string, never>>('billing_usage_periods_close', `
  INSERT INTO billing.usage_periods (user_id, period_start, period_end, used_bytes, reason)
  SELECT t.user_id, t.period_start, t.period_end, t.used_bytes, t.reason
  FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, period_start timestamptz, period_end timestamptz, used_bytes bigint, reason text)`);

const RECORD_BATCH = new PreparedStatement<{ batch_id: string }>('billing_usage_batch_record', `
  INSERT INTO billing.usage_batches (batch_id) VALUES ($1) ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`);

/**
 * billing.subscriptions with the usage history (billing.usage_periods) and the ledger of counted
 * usage batches (billing.usage_batches): every statement on them. Writers lock the rows, change them
 * through the pure rules and save them in one statement.
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

  async saveMany(m: EntityManager, subs: readonly Subscription[]): Promise<void> {
    if (subs.length === 0) return;
    await SAVE_MANY.rows(m, [JSON.stringify(subs.map((s) => ({
      user_id: s.userId, status: s.status, on_hold: s.onHold, account_disabled: s.accountDisabled, subscribed_at: s.subscribedAt,
      started_at: s.startedAt, expires_at: s.expiresAt, duration_days: s.durationDays, data_limit_bytes: s.dataLimitBytes,
      used_bytes: s.usedBytes, lifetime_used_bytes: s.lifetimeUsedBytes, reset_strategy: s.resetStrategy,
      last_reset_at: s.lastResetAt, next_reset_at: s.nextResetAt,
    })))]);
  }

  async closePeriods(m: EntityManager, periods: readonly ClosedPeriod[]): Promise<void> {
    if (periods.length === 0) return;
    await CLOSE_PERIODS.rows(m, [JSON.stringify(periods.map((p) => ({
      user_id: p.userId, period_start: p.periodStart, period_end: p.periodEnd, used_bytes: p.usedBytes, reason: p.reason,
    })))]);
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
