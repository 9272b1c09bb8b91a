import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions (API.md §5): plan terms (data limit, duration, reset strategy, start on first
 * connect), one subscription per account with its usage, a usage history per period and the ids of
 * usage batches already counted. Accounts are opened by one function (`billing.open_account`) that
 * starts the subscription on the plan's terms, and `billing.reserve_slot` refuses a new device while
 * the subscription is not ACTIVE/ON_HOLD, in the same statement as before.
 */
export class BillingSubscriptions1764289300000 implements MigrationInterface {
  name = 'BillingSubscriptions1764289300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE billing.plans
        ADD COLUMN data_limit_bytes bigint CHECK (data_limit_bytes >= 0),
        ADD COLUMN duration_days int CHECK (duration_days > 0),
        ADD COLUMN reset_strategy text NOT NULL DEFAULT 'NO_RESET'
          CHECK (reset_strategy IN ('NO_RESET', 'DAY', 'WEEK', 'MONTH', 'MONTH_ROLLING', 'YEAR')),
        ADD COLUMN start_on_first_connect boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE billing.subscriptions (
        user_id uuid PRIMARY KEY REFERENCES billing.accounts(user_id),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ON_HOLD', 'LIMITED', 'EXPIRED', 'DISABLED')),
        on_hold boolean NOT NULL DEFAULT false,
        account_disabled boolean NOT NULL DEFAULT false,
        subscribed_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        expires_at timestamptz,
        duration_days int,
        data_limit_bytes bigint,
        used_bytes bigint NOT NULL DEFAULT 0,
        lifetime_used_bytes bigint NOT NULL DEFAULT 0,
        reset_strategy text NOT NULL DEFAULT 'NO_RESET',
        last_reset_at timestamptz,
        next_reset_at timestamptz,
        CHECK (on_hold = (started_at IS NULL))
      )`);
    // The tick's two questions: whose reset is due, whose expiry has come.
    await q.query(`CREATE INDEX subscriptions_reset_due_idx ON billing.subscriptions (next_reset_at) WHERE reset_strategy <> 'NO_RESET'`);
    await q.query(`CREATE INDEX subscriptions_expiry_idx ON billing.subscriptions (expires_at) WHERE status NOT IN ('EXPIRED', 'DISABLED')`);
    await q.query(`
      INSERT INTO billing.subscriptions (user_id, status, subscribed_at, started_at)
      SELECT user_id, 'ACTIVE', created_at, created_at FROM billing.accounts`);
    await q.query(`
      CREATE TABLE billing.usage_periods (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES billing.accounts(user_id),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        used_bytes bigint NOT NULL,
        reason text NOT NULL CHECK (reason IN ('scheduled', 'admin', 'plan')),
        UNIQUE (user_id, period_end)
      )`);
    await q.query(`
      CREATE TABLE billing.usage_batches (
        batch_id uuid PRIMARY KEY,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX usage_batches_recorded_idx ON billing.usage_batches (recorded_at)`);
    await q.query(`
      CREATE FUNCTION billing.open_account(p_user uuid, p_default_plan text) RETURNS void
      LANGUAGE sql AS $$
        WITH plan AS (
          SELECT p.* FROM billing.plans p
          ORDER BY (lower(p.name) = lower(p_default_plan)) DESC, p.created_at, p.max_devices LIMIT 1
        ), account AS (
          INSERT INTO billing.accounts (user_id, plan_id) SELECT p_user, plan.id FROM plan
          ON CONFLICT (user_id) DO NOTHING RETURNING user_id
        )
        INSERT INTO billing.subscriptions (user_id, status, on_hold, started_at, expires_at, duration_days, data_limit_bytes, reset_strategy)
        SELECT a.user_id,
          CASE WHEN plan.start_on_first_connect THEN 'ON_HOLD' ELSE 'ACTIVE' END,
          plan.start_on_first_connect,
          CASE WHEN plan.start_on_first_connect THEN NULL ELSE now() END,
          CASE WHEN plan.start_on_first_connect OR plan.duration_days IS NULL THEN NULL ELSE now() + plan.duration_days * interval '1 day' END,
          plan.duration_days, plan.data_limit_bytes, plan.reset_strategy
        FROM account a CROSS JOIN plan
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION billing.reserve_slot(p_user uuid, p_reservation uuid, p_ttl_seconds int, p_default_plan text)
      RETURNS TABLE (outcome text, plan_id uuid, max_devices int)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_plan uuid;
        v_max int;
        v_active boolean;
        v_owner uuid;
        v_used int;
      BEGIN
        PERFORM billing.open_account(p_user, p_default_plan);
        -- Active as stored, and not past a limit the tick or the usage record has yet to turn into a status.
        SELECT a.plan_id, p.max_devices,
            s.status IN ('ACTIVE', 'ON_HOLD') AND NOT s.account_disabled
            AND (s.expires_at IS NULL OR s.expires_at > now())
            AND (s.data_limit_bytes IS NULL OR s.used_bytes < s.data_limit_bytes)
          INTO v_plan, v_max, v_active
          FROM billing.accounts a JOIN billing.plans p ON p.id = a.plan_id JOIN billing.subscriptions s ON s.user_id = a.user_id
          WHERE a.user_id = p_user FOR UPDATE OF a;
        SELECT s.user_id INTO v_owner FROM billing.device_slots s WHERE s.id = p_reservation;
        IF FOUND THEN
          RETURN QUERY SELECT CASE WHEN v_owner = p_user THEN 'reserved' ELSE 'conflict' END, v_plan, v_max;
          RETURN;
        END IF;
        IF NOT v_active THEN
          RETURN QUERY SELECT 'inactive'::text, v_plan, v_max;
          RETURN;
        END IF;
        SELECT count(*)::int INTO v_used FROM billing.device_slots s
          WHERE s.user_id = p_user AND (s.status = 'committed' OR s.expires_at > now());
        IF v_used >= v_max THEN
          RETURN QUERY SELECT 'limit'::text, v_plan, v_max;
          RETURN;
        END IF;
        INSERT INTO billing.device_slots (id, user_id, status, expires_at)
          VALUES (p_reservation, p_user, 'reserved', now() + p_ttl_seconds * interval '1 second');
        RETURN QUERY SELECT 'reserved'::text, v_plan, v_max;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION billing.reserve_slot(p_user uuid, p_reservation uuid, p_ttl_seconds int, p_default_plan text)
      RETURNS TABLE (outcome text, plan_id uuid, max_devices int)
      LANGUAGE plpgsql AS $$
      DECLARE v_plan uuid; v_max int; v_owner uuid; v_used int;
      BEGIN
        INSERT INTO billing.accounts (user_id, plan_id)
          SELECT p_user, p.id FROM billing.plans p
          ORDER BY (lower(p.name) = lower(p_default_plan)) DESC, p.created_at, p.max_devices LIMIT 1
        ON CONFLICT (user_id) DO NOTHING;
        SELECT a.plan_id, p.max_devices INTO v_plan, v_max
          FROM billing.accounts a JOIN billing.plans p ON p.id = a.plan_id WHERE a.user_id = p_user FOR UPDATE OF a;
        SELECT s.user_id INTO v_owner FROM billing.device_slots s WHERE s.id = p_reservation;
        IF FOUND THEN
          RETURN QUERY SELECT CASE WHEN v_owner = p_user THEN 'reserved' ELSE 'conflict' END, v_plan, v_max;
          RETURN;
        END IF;
        SELECT count(*)::int INTO v_used FROM billing.device_slots s
          WHERE s.user_id = p_user AND (s.status = 'committed' OR s.expires_at > now());
        IF v_used >= v_max THEN
          RETURN QUERY SELECT 'limit'::text, v_plan, v_max;
          RETURN;
        END IF;
        INSERT INTO billing.device_slots (id, user_id, status, expires_at)
          VALUES (p_reservation, p_user, 'reserved', now() + p_ttl_seconds * interval '1 second');
        RETURN QUERY SELECT 'reserved'::text, v_plan, v_max;
      END $$`);
    await q.query(`DROP FUNCTION billing.open_account(uuid, text)`);
    await q.query(`DROP TABLE billing.usage_batches`);
    await q.query(`DROP TABLE billing.usage_periods`);
    await q.query(`DROP TABLE billing.subscriptions`);
    await q.query(`ALTER TABLE billing.plans DROP COLUMN data_limit_bytes, DROP COLUMN duration_days, DROP COLUMN reset_strategy, DROP COLUMN start_on_first_connect`);
  }
}
