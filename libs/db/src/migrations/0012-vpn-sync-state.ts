import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync's own read model of each server (`reachable`, `last_sync_at`) moves out of provisioning's
 * `vpn.servers` into `vpn.server_sync_state`, so sync writes no table of provisioning's. And the
 * saga runner's `step`: the last step a saga started, from which recovery undoes or resumes it.
 */
export class VpnSyncState1764289200000 implements MigrationInterface {
  name = 'VpnSyncState1764289200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vpn.server_sync_state (
        server_id uuid PRIMARY KEY REFERENCES vpn.servers(id) ON DELETE CASCADE,
        reachable boolean NOT NULL DEFAULT true,
        last_sync_at timestamptz
      )`);
    await q.query(`INSERT INTO vpn.server_sync_state (server_id, reachable, last_sync_at) SELECT id, reachable, last_sync_at FROM vpn.servers`);
    await q.query(`ALTER TABLE vpn.servers DROP COLUMN reachable, DROP COLUMN last_sync_at`);
    await q.query(`ALTER TABLE vpn.sagas ADD COLUMN step text`);
    // A revoke that ended before its slot was freed is finished by the runner from its last step now.
    await q.query(`UPDATE vpn.sagas SET state = 'PENDING', step = 'release-slot' WHERE kind = 'revoke' AND state = 'DONE' AND NOT slot_committed`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vpn.sagas DROP COLUMN step`);
    await q.query(`ALTER TABLE vpn.servers ADD COLUMN reachable boolean NOT NULL DEFAULT true, ADD COLUMN last_sync_at timestamptz`);
    await q.query(`UPDATE vpn.servers s SET reachable = st.reachable, last_sync_at = st.last_sync_at FROM vpn.server_sync_state st WHERE st.server_id = s.id`);
    await q.query(`DROP TABLE vpn.server_sync_state`);
  }
}
