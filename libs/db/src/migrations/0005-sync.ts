import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync's schedule and leases: one row per server says who reconciles it now (`holder` until
 * `expires_at`) and when it is due next, so any number of sync replicas split the servers and a
 * server is reconciled by exactly one of them per interval.
 */
export class Sync1764288400000 implements MigrationInterface {
  name = 'Sync1764288400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vpn.sync_leases (
        server_id uuid PRIMARY KEY REFERENCES vpn.servers(id) ON DELETE CASCADE,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL,
        next_run_at timestamptz NOT NULL,
        last_run_at timestamptz
      )`);
    await q.query(`CREATE INDEX sync_leases_due_idx ON vpn.sync_leases (next_run_at)`);
    // Sync reads a server's configs by status on every run.
    await q.query(`CREATE INDEX configs_server_status_idx ON vpn.configs (server_id, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX vpn.configs_server_status_idx`);
    await q.query(`DROP TABLE vpn.sync_leases`);
  }
}
