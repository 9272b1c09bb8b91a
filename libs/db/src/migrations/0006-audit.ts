import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log: every domain event once, keyed by its event id (a redelivery changes nothing). */
export class Audit1764288500000 implements MigrationInterface {
  name = 'Audit1764288500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit.audit_log (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_id text,
        subject text,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Newest first with a keyset cursor (occurred_at, id); also serves the retention delete.
    await q.query(`CREATE INDEX audit_log_occurred_idx ON audit.audit_log (occurred_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit.audit_log`);
  }
}
