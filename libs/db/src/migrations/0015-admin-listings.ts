import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the keyset-paged admin listings: users in (lower(email), id) byte order ("C", so the
 * order and the cursor comparison match the index and JavaScript's), configs in (created_at, id),
 * overall and per server. No pg_trgm (not in every PostgreSQL here): a substring query walks the
 * same ordered index and filters, which stays one page of work while matches are common.
 * configs_server_idx (server_id) is a prefix of the new per-server index, so it goes.
 */
export class AdminListings1764289500000 implements MigrationInterface {
  name = 'AdminListings1764289500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX users_email_order_idx ON auth.users ((lower(email) COLLATE "C"), id)`);
    await q.query(`CREATE INDEX configs_created_idx ON vpn.configs (created_at, id)`);
    await q.query(`CREATE INDEX configs_server_created_idx ON vpn.configs (server_id, created_at, id)`);
    await q.query(`DROP INDEX vpn.configs_server_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX configs_server_idx ON vpn.configs (server_id)`);
    await q.query(`DROP INDEX vpn.configs_server_created_idx`);
    await q.query(`DROP INDEX vpn.configs_created_idx`);
    await q.query(`DROP INDEX auth.users_email_order_idx`);
  }
}
