import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plans, accounts and device slots; seeds "Free" (3 devices) and "Pro" (10). */
export class Billing1764288200000 implements MigrationInterface {
  name = 'Billing1764288200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        max_devices int NOT NULL CHECK (max_devices >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX plans_name_key ON billing.plans (lower(name))`);
    await q.query(`
      CREATE TABLE billing.accounts (
        user_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES billing.plans(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.device_slots (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES billing.accounts(user_id),
        status text NOT NULL CHECK (status IN ('reserved', 'committed')),
        device_id uuid UNIQUE,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'reserved') = (expires_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX device_slots_user_idx ON billing.device_slots (user_id)`);
    await q.query(`CREATE INDEX device_slots_expiry_idx ON billing.device_slots (expires_at) WHERE status = 'reserved'`);
    await q.query(`INSERT INTO billing.plans (name, max_devices) VALUES ('Free', 3), ('Pro', 10)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE billing.device_slots`);
    await q.query(`DROP TABLE billing.accounts`);
    await q.query(`DROP TABLE billing.plans`);
  }
}
