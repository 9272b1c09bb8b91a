import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A server is its interface's public key: one row per key (`servers_public_key_key`), whatever
 * spelling of its host it was registered under. And peer removals kept by a revocation that could
 * not reach the server, applied and deleted by the next successful sync of that server.
 *
 * Rows registered twice before this migration are not merged or deleted automatically (either copy
 * may hold configs whose users share tunnel addresses): the migration stops and names them, and the
 * operator revokes the duplicate's configs and deletes it.
 */
export class ServerIdentity1764288900000 implements MigrationInterface {
  name = 'ServerIdentity1764288900000';

  async up(q: QueryRunner): Promise<void> {
    const dupes = (await q.query(`
      SELECT public_key, string_agg(format('%s (%s, %s:%s)', name, id, host, ssh_port), ', ' ORDER BY created_at) AS servers
      FROM vpn.servers GROUP BY public_key HAVING count(*) > 1`)) as Array<{ public_key: string; servers: string }>;
    if (dupes.length > 0) {
      const list = dupes.map((d) => `interface ${d.public_key}: ${d.servers}`).join('; ');
      throw new Error(`migration 0009: these WireGuard interfaces are registered more than once; keep the oldest, revoke the others' configs and delete them, then start again: ${list}`);
    }
    await q.query(`CREATE UNIQUE INDEX servers_public_key_key ON vpn.servers (public_key)`);

    await q.query(`
      CREATE TABLE vpn.pending_peer_removals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        server_id uuid NOT NULL REFERENCES vpn.servers(id) ON DELETE CASCADE,
        public_key text NOT NULL,
        config_id uuid NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX pending_peer_removals_server_idx ON vpn.pending_peer_removals (server_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE vpn.pending_peer_removals`);
    await q.query(`DROP INDEX vpn.servers_public_key_key`);
  }
}
