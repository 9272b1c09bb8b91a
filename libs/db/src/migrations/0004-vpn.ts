import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vpn context: servers, configs, the sagas that make and revoke them, leases that make a
 * tunnel address and a public key unique from the saga's first step on, and peer statistics.
 */
export class Vpn1764288300000 implements MigrationInterface {
  name = 'Vpn1764288300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vpn.servers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        location text NOT NULL DEFAULT '',
        host text NOT NULL,
        ssh_port int NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
        ssh_user text NOT NULL,
        ssh_host_key text NOT NULL,
        endpoint text NOT NULL,
        interface text NOT NULL,
        address_pool text NOT NULL,
        dns text[] NOT NULL DEFAULT '{}',
        public_key text NOT NULL,
        listen_port int NOT NULL,
        maintenance boolean NOT NULL DEFAULT false,
        reachable boolean NOT NULL DEFAULT true,
        last_sync_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX servers_name_key ON vpn.servers (lower(name))`);
    await q.query(`CREATE UNIQUE INDEX servers_interface_key ON vpn.servers (lower(host), ssh_port, interface)`);

    // A lease exists from a create saga's first step until its config is revoked or the saga failed:
    // one address per server and one public key in the whole system.
    await q.query(`
      CREATE TABLE vpn.leases (
        owner_id uuid PRIMARY KEY,
        server_id uuid NOT NULL REFERENCES vpn.servers(id),
        address text NOT NULL,
        public_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT leases_address_key UNIQUE (server_id, address),
        CONSTRAINT leases_public_key_key UNIQUE (public_key)
      )`);

    await q.query(`
      CREATE TABLE vpn.sagas (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('create', 'revoke')),
        state text NOT NULL CHECK (state IN ('PENDING', 'DONE', 'FAILED')),
        user_id uuid NOT NULL,
        server_id uuid NOT NULL,
        config_id uuid NOT NULL,
        idempotency_key text,
        request_hash text,
        name text,
        public_key text NOT NULL,
        address text NOT NULL,
        error_code text,
        slot_committed boolean NOT NULL DEFAULT false,
        owner text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX sagas_idempotency_key ON vpn.sagas (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX sagas_one_live_revoke ON vpn.sagas (config_id) WHERE kind = 'revoke' AND state = 'PENDING'`);
    await q.query(`CREATE INDEX sagas_pending_idx ON vpn.sagas (server_id) WHERE state = 'PENDING'`);
    await q.query(`CREATE INDEX sagas_uncommitted_idx ON vpn.sagas (updated_at) WHERE state = 'DONE' AND slot_committed = false AND kind = 'create'`);

    await q.query(`
      CREATE TABLE vpn.configs (
        id uuid PRIMARY KEY REFERENCES vpn.leases(owner_id),
        user_id uuid NOT NULL,
        server_id uuid NOT NULL REFERENCES vpn.servers(id),
        name text NOT NULL,
        address text NOT NULL,
        public_key text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX configs_user_idx ON vpn.configs (user_id, created_at)`);
    await q.query(`CREATE INDEX configs_server_idx ON vpn.configs (server_id)`);

    // Process liveness of provisioners: recovery takes over sagas of a process that stopped beating.
    await q.query(`
      CREATE TABLE vpn.provisioners (
        id text PRIMARY KEY,
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Usage statistics, written by sync: totals that never go down across interface restarts.
    await q.query(`
      CREATE TABLE vpn.peer_stats (
        config_id uuid PRIMARY KEY,
        rx_total bigint NOT NULL DEFAULT 0,
        tx_total bigint NOT NULL DEFAULT 0,
        last_rx bigint NOT NULL DEFAULT 0,
        last_tx bigint NOT NULL DEFAULT 0,
        last_handshake_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE vpn.usage_samples (
        config_id uuid NOT NULL,
        hour timestamptz NOT NULL,
        rx_bytes bigint NOT NULL DEFAULT 0,
        tx_bytes bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (config_id, hour)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['usage_samples', 'peer_stats', 'provisioners', 'configs', 'sagas', 'leases', 'servers']) {
      await q.query(`DROP TABLE vpn.${t}`);
    }
  }
}
