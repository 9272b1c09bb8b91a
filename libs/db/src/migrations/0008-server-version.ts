import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `vpn.servers.version`: bumped by a trigger whenever a value a provisioner acts on changes (however
 * the row is updated), so a provisioner may keep a parsed server in memory and have each saga's first
 * statement check it is still current — no lookup per create.
 */
export class ServerVersion1764288700000 implements MigrationInterface {
  name = 'ServerVersion1764288700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE vpn.servers ADD COLUMN version bigint NOT NULL DEFAULT 1`);
    await q.query(`
      CREATE FUNCTION vpn.bump_server_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.name, NEW.host, NEW.ssh_port, NEW.ssh_user, NEW.ssh_host_key, NEW.endpoint, NEW.interface,
            NEW.address_pool, NEW.dns, NEW.public_key, NEW.listen_port, NEW.maintenance)
           IS DISTINCT FROM
           (OLD.name, OLD.host, OLD.ssh_port, OLD.ssh_user, OLD.ssh_host_key, OLD.endpoint, OLD.interface,
            OLD.address_pool, OLD.dns, OLD.public_key, OLD.listen_port, OLD.maintenance) THEN
          NEW.version := OLD.version + 1;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER servers_version BEFORE UPDATE ON vpn.servers FOR EACH ROW EXECUTE FUNCTION vpn.bump_server_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER servers_version ON vpn.servers`);
    await q.query(`DROP FUNCTION vpn.bump_server_version()`);
    await q.query(`ALTER TABLE vpn.servers DROP COLUMN version`);
  }
}
