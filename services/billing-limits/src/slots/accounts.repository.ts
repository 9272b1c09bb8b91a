import { Inject, Injectable } from '@nestjs/common';
import type { PlanTerms } from '@vpn/contracts';
import { AccountEntity, DataSource, DeviceSlotEntity, PreparedStatement, type EntityManager } from '@vpn/db';
import { defaultPlanId } from '../plans/plans.repository';
import type { Subscription } from '../subscriptions/subscription-rules';
import { SUBSCRIPTION_COLUMNS, toSubscription, type SubscriptionRow } from '../subscriptions/subscriptions.repository';

/** What `billing.reserve_slot` answered for one reservation (`inactive`: the subscription is not ACTIVE/ON_HOLD). */
export interface SlotOutcome { outcome: 'reserved' | 'limit' | 'conflict' | 'inactive'; plan_id: string; max_devices: number }

/** An account as GET /api/me shows it: the plan, the used slots and the subscription. */
export interface AccountView { plan: { id: string; name: string; maxDevices: number } & PlanTerms; devicesUsed: number; subscription: Subscription }

/** Opens the accounts that do not exist yet, each with a subscription on the default plan's terms (billing.open_account). */
const OPEN_ACCOUNTS = new PreparedStatement<Record<string, never>>('billing_open_accounts', `
  SELECT billing.open_account(u.id, $2::text) FROM unnest($1::uuid[]) AS u(id)`);

/** Items in the given order, each through billing.reserve_slot, in one statement. */
const RESERVE_MANY = new PreparedStatement<SlotOutcome & { ord: string }>('billing_reserve_many', `
  SELECT t.ord, r.outcome, r.plan_id, r.max_devices
  FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(user_id, reservation_id, ord)
  CROSS JOIN LATERAL billing.reserve_slot(t.user_id, t.reservation_id, $3::int, $4::text) r
  ORDER BY t.ord`);

const COMMIT_MANY = new PreparedStatement<{ id: string }>('billing_commit_many', `
  UPDATE billing.device_slots s SET status = 'committed', device_id = t.device_id, expires_at = NULL
  FROM unnest($1::uuid[], $2::uuid[]) AS t(id, device_id) WHERE s.id = t.id RETURNING s.id`);

/** Slots of account `a` that count against the limit: committed devices and unexpired reservations. */
const USED_SLOTS = `(SELECT count(*)::int FROM billing.device_slots s WHERE s.user_id = a.user_id AND (s.status = 'committed' OR s.expires_at > now()))`;

type ViewRow = SubscriptionRow & {
  name: string; max_devices: number; plan_data_limit_bytes: string | null; plan_duration_days: number | null;
  plan_reset_strategy: PlanTerms['resetStrategy']; plan_start_on_first_connect: boolean; devices_used: number;
};

const VIEW = new PreparedStatement<ViewRow>('billing_account_view', `
  SELECT ${SUBSCRIPTION_COLUMNS}, p.name, p.max_devices, p.data_limit_bytes AS plan_data_limit_bytes, p.duration_days AS plan_duration_days,
    p.reset_strategy AS plan_reset_strategy, p.start_on_first_connect AS plan_start_on_first_connect, ${USED_SLOTS} AS devices_used
  FROM billing.accounts a JOIN billing.plans p ON p.id = a.plan_id JOIN billing.subscriptions s ON s.user_id = a.user_id
  WHERE a.user_id = $1`);

/**
 * billing.accounts and billing.device_slots, an account and its slots: every statement on them.
 * Reservations serialize per user on the account row (in billing.reserve_slot); the hot ones are
 * prepared, one statement per call.
 */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Creates the account (and its subscription) on the default plan unless it exists. */
  async ensure(userId: string, defaultPlan: string, m: DataSource | EntityManager = this.ds): Promise<void> {
    await OPEN_ACCOUNTS.rows(m, [[userId], defaultPlan]);
  }

  /** `ensure` for many users in one statement. */
  async ensureMany(m: EntityManager, userIds: readonly string[], defaultPlan: string): Promise<void> {
    if (userIds.length > 0) await OPEN_ACCOUNTS.rows(m, [userIds, defaultPlan]);
  }

  /** The account's plan, used slots and subscription (GET /api/me: prepared); undefined when there is no account. */
  async view(userId: string): Promise<AccountView | undefined> {
    const [r] = await VIEW.rows(this.ds, [userId]);
    if (!r) return undefined;
    return {
      plan: {
        id: r.plan_id, name: r.name, maxDevices: r.max_devices, dataLimitBytes: r.plan_data_limit_bytes === null ? null : Number(r.plan_data_limit_bytes),
        durationDays: r.plan_duration_days, resetStrategy: r.plan_reset_strategy, startOnFirstConnect: r.plan_start_on_first_connect,
      },
      devicesUsed: r.devices_used,
      subscription: toSubscription(r),
    };
  }

  /** Each user's plan and used slots; a user without an account is on the default plan with none used. */
  usage(userIds: readonly string[], defaultPlan: string): Promise<Array<{ userId: string; planId: string; devicesUsed: number }>> {
    return this.ds.query(`
      SELECT u.id AS "userId", COALESCE(a.plan_id, ${defaultPlanId('$2')}) AS "planId", ${USED_SLOTS} AS "devicesUsed"
      FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, ord) LEFT JOIN billing.accounts a ON a.user_id = u.id ORDER BY u.ord`, [userIds, defaultPlan]);
  }

  /** The account, locked until the transaction ends. */
  findForUpdate(m: EntityManager, userId: string): Promise<AccountEntity | null> {
    return m.getRepository(AccountEntity).findOne({ where: { userId }, lock: { mode: 'pessimistic_write' } });
  }

  async setPlan(m: EntityManager, userId: string, planId: string): Promise<void> {
    await m.getRepository(AccountEntity).update({ userId }, { planId });
  }

  /** The limit check and the reservation of each item (see billing.reserve_slot), one statement; outcomes in item order (`ord` from 1). */
  reserveMany(items: ReadonlyArray<{ userId: string; reservationId: string }>, ttlSeconds: number, defaultPlan: string): Promise<Array<SlotOutcome & { ord: string }>> {
    return RESERVE_MANY.rows(this.ds, [items.map((v) => v.userId), items.map((v) => v.reservationId), ttlSeconds, defaultPlan]);
  }

  /** Turns reservations into devices; returns the reservation ids that existed. */
  async commitMany(items: ReadonlyArray<{ reservationId: string; deviceId: string }>): Promise<Set<string>> {
    const rows = await COMMIT_MANY.rows(this.ds, [items.map((v) => v.reservationId), items.map((v) => v.deviceId)]);
    return new Set(rows.map((r) => r.id));
  }

  /** A committed slot whether or not its reservation still exists (the account must exist). */
  async upsertCommitted(reservationId: string, userId: string, deviceId: string): Promise<void> {
    await this.ds.createQueryBuilder().insert().into(DeviceSlotEntity)
      .values({ id: reservationId, userId, status: 'committed', deviceId, expiresAt: null })
      .orUpdate(['status', 'device_id', 'expires_at'], ['id']).execute();
  }

  /** Deletes the slot of a reservation or of a device. */
  async release(reservationId: string | null, deviceId: string | null): Promise<void> {
    await this.ds.createQueryBuilder().delete().from(DeviceSlotEntity)
      .where('id = :reservationId OR device_id = :deviceId', { reservationId, deviceId }).execute();
  }

  /** Deletes reservations expired more than `graceSeconds` ago; returns how many. */
  async sweepExpired(graceSeconds: number): Promise<number> {
    const result = await this.ds.createQueryBuilder().delete().from(DeviceSlotEntity)
      .where(`status = 'reserved' AND expires_at < now() - make_interval(secs => :graceSeconds)`, { graceSeconds }).execute();
    return result.affected ?? 0;
  }
}
