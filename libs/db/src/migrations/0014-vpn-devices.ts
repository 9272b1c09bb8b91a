import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Devices a person manages alone (issue 16): a config can be disabled (its peer off the server, its
 * key and address kept) and carries its own client options (DNS, MTU, AllowedIPs, keepalive; DNS
 * null = the server's). Sagas gain the kinds that change a config in place, the key a re-key
 * replaces, and one live change per config.
 */
export class VpnDevices1764289400000 implements MigrationInterface {
  name = 'VpnDevices1764289400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vpn.configs
        ADD COLUMN enabled boolean NOT NULL DEFAULT true,
        ADD COLUMN dns text[],
        ADD COLUMN mtu int CHECK (mtu BETWEEN 1280 AND 1500),
        ADD COLUMN allowed_ips text[] NOT NULL DEFAULT ARRAY['0.0.0.0/0', '::/0'],
        ADD COLUMN persistent_keepalive int DEFAULT 25 CHECK (persistent_keepalive BETWEEN 0 AND 65535)`);
    await q.query(`ALTER TABLE vpn.sagas DROP CONSTRAINT sagas_kind_check`);
    await q.query(`ALTER TABLE vpn.sagas ADD CONSTRAINT sagas_kind_check CHECK (kind IN ('create', 'revoke', 'disable', 'enable', 'rekey'))`);
    await q.query(`ALTER TABLE vpn.sagas ADD COLUMN previous_public_key text`);
    await q.query(`CREATE UNIQUE INDEX sagas_one_live_change ON vpn.sagas (config_id) WHERE kind IN ('disable', 'enable', 'rekey') AND state = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX vpn.sagas_one_live_change`);
    await q.query(`DELETE FROM vpn.sagas WHERE kind IN ('disable', 'enable', 'rekey')`);
    await q.query(`ALTER TABLE vpn.sagas DROP COLUMN previous_public_key`);
    await q.query(`ALTER TABLE vpn.sagas DROP CONSTRAINT sagas_kind_check`);
    await q.query(`ALTER TABLE vpn.sagas ADD CONSTRAINT sagas_kind_check CHECK (kind IN ('create', 'revoke'))`);
    await q.query(`ALTER TABLE vpn.configs DROP COLUMN enabled, DROP COLUMN dns, DROP COLUMN mtu, DROP COLUMN allowed_ips, DROP COLUMN persistent_keepalive`);
  }
}
