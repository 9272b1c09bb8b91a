import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schemas of every context and the messaging tables (outbox, inbox). */
export class Foundation1764288000000 implements MigrationInterface {
  name = 'Foundation1764288000000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of ['messaging', 'auth', 'billing', 'vpn', 'audit']) {
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    await q.query(`
      CREATE TABLE messaging.outbox (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        type text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts int NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON messaging.outbox (seq) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE messaging.inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE messaging.inbox`);
    await q.query(`DROP TABLE messaging.outbox`);
  }
}
