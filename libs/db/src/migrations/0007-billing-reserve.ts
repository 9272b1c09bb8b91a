import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `billing.reserve_slot`: the device-limit check and the reservation in one round trip.
 * Each statement of a plpgsql function takes a fresh snapshot under READ COMMITTED, so the count
 * that follows the account row lock sees every slot committed by the previous lock holder:
 * of any number of concurrent calls for one user, exactly the free slots win.
 */
export class BillingReserve1764288600000 implements MigrationInterface {
  name = 'BillingReserve1764288600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION billing.reserve_slot(p_user uuid, p_reservation uuid, p_ttl_seconds int, p_default_plan text)
      RETURNS TABLE (outcome text, plan_id uuid, max_devices int)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_plan uuid;
        v_max int;
        v_owner uuid;
        v_used int;
      BEGIN
        INSERT INTO billing.accounts (user_id, plan_id)
          SELECT p_user, p.id FROM billing.plans p
          ORDER BY (lower(p.name) = lower(p_default_plan)) DESC, p.created_at, p.max_devices LIMIT 1
        ON CONFLICT (user_id) DO NOTHING;
        SELECT a.plan_id, p.max_devices INTO v_plan, v_max
          FROM billing.accounts a JOIN billing.plans p ON p.id = a.plan_id
          WHERE a.user_id = p_user FOR UPDATE OF a;
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION billing.reserve_slot(uuid, uuid, int, text)`);
  }
}
