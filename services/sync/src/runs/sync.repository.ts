import { Inject, Injectable } from '@nestjs/common';
import { DataSource, queryRows, type EntityManager } from '@vpn/db';
import { SERVER_COLUMNS, type ServerRow } from '@vpn/vpn-core';
import type { IpCidr, WgPublicKey } from '@vpn/wireguard';
import type { DesiredConfig, DesiredState } from '../reconcile/peer-reconciler';
import type { LastCounters, UsageUpdate } from '../reconcile/usage-counters';
import { appendEvents, type PendingEvent } from '@vpn/messaging';
import { isUuid } from '@vpn/contracts';

export interface DesiredSnapshot extends DesiredState {
  /** Last counters of every config of the server, by public key. */
  counters: Map<string, LastCounters>;
}

interface ConfigStatsRow {
  id: string;
  public_key: string;
  address: string;
  status: 'active' | 'suspended';
  last_rx: string | null;
  last_tx: string | null;
  last_handshake_at: Date | null;
}

/** Sync's reads and writes of the vpn schema: it owns statistics and sync state, nothing else. */
@Injectable()
export class SyncRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async server(id: string): Promise<ServerRow | null> {
    if (!isUuid(id)) return null;
    const rows = await queryRows<ServerRow>(this.ds, `SELECT ${SERVER_COLUMNS} FROM vpn.servers s WHERE s.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The server's configs, their counters, its live sagas and its kept removals, in one snapshot: a
   * saga that commits its config between two reads cannot make its peer look unowned.
   */
  async desiredState(serverId: string): Promise<DesiredSnapshot> {
    return this.ds.transaction('REPEATABLE READ', async (m) => {
      const sagas = await queryRows<{ kind: 'create' | 'revoke'; public_key: string }>(m,
        `SELECT kind, public_key FROM vpn.sagas WHERE server_id = $1 AND state = 'PENDING'`, [serverId]);
      const rows = await queryRows<ConfigStatsRow>(m, `
        SELECT c.id, c.public_key, c.address, c.status, ps.last_rx, ps.last_tx, ps.last_handshake_at
        FROM vpn.configs c LEFT JOIN vpn.peer_stats ps ON ps.config_id = c.id
        WHERE c.server_id = $1`, [serverId]);
      const removals = await queryRows<{ id: string; public_key: string }>(m,
        `SELECT id, public_key FROM vpn.pending_peer_removals WHERE server_id = $1 ORDER BY created_at`, [serverId]);
      const configs: DesiredConfig[] = new Array(rows.length);
      const counters = new Map<string, LastCounters>();
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        // Parsed when stored; every key and prefix that goes into a command is parsed again by its builder.
        const publicKey = r.public_key as WgPublicKey;
        const allowedIp = `${r.address}/${r.address.includes(':') ? 128 : 32}` as IpCidr;
        configs[i] = { id: r.id, publicKey, allowedIp, status: r.status };
        counters.set(publicKey, { configId: r.id, lastRx: Number(r.last_rx ?? 0), lastTx: Number(r.last_tx ?? 0), lastHandshakeAt: r.last_handshake_at });
      }
      const pendingCreateKeys = new Set<string>();
      const pendingRevokeKeys = new Set<string>();
      for (const s of sagas) (s.kind === 'create' ? pendingCreateKeys : pendingRevokeKeys).add(s.public_key);
      // Keys were parsed before they were stored; removeCommands parses each again.
      const pendingRemovals = removals.map((r) => ({ id: r.id, publicKey: r.public_key as WgPublicKey }));
      return { configs, counters, pendingCreateKeys, pendingRevokeKeys, pendingRemovals };
    });
  }

  /** The run's outcome in one transaction: statistics, hourly samples, settled kept removals, server state and events. */
  async recordRun(serverId: string, usage: readonly UsageUpdate[], events: readonly PendingEvent[], settledRemovals: readonly string[] = []): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (usage.length > 0) await this.writeUsage(m, usage);
      if (settledRemovals.length > 0) await m.query(`DELETE FROM vpn.pending_peer_removals WHERE id = ANY($1::uuid[])`, [settledRemovals]);
      await m.query(`UPDATE vpn.servers SET last_sync_at = now(), reachable = true WHERE id = $1`, [serverId]);
      await appendEvents(m, events);
    });
  }

  /** Marks the server unreachable; true when it was reachable until now (the caller emits the event once). */
  async markUnreachable(serverId: string, reason: string): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const changed = await queryRows<{ id: string }>(m,
        `UPDATE vpn.servers SET reachable = false WHERE id = $1 AND reachable RETURNING id`, [serverId]);
      if (changed.length > 0) await appendEvents(m, [{ type: 'server.unreachable', data: { serverId, reason }, subject: serverId }]);
      return changed.length > 0;
    });
  }

  /** Totals only grow (deltas are added); hourly samples get the same deltas. Configs revoked meanwhile are skipped. */
  private async writeUsage(m: EntityManager, usage: readonly UsageUpdate[]): Promise<void> {
    const ids: string[] = [];
    const drx: string[] = [];
    const dtx: string[] = [];
    const rx: string[] = [];
    const tx: string[] = [];
    const hs: Array<string | null> = [];
    for (const u of usage) {
      ids.push(u.configId);
      drx.push(String(u.deltaRx));
      dtx.push(String(u.deltaTx));
      rx.push(String(u.rx));
      tx.push(String(u.tx));
      hs.push(u.handshakeAt ? u.handshakeAt.toISOString() : null);
    }
    await m.query(`
      WITH u AS (
        SELECT u.* FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::timestamptz[])
          AS u(config_id, drx, dtx, rx, tx, hs)
        JOIN vpn.configs c ON c.id = u.config_id
      ), stats AS (
        INSERT INTO vpn.peer_stats AS ps (config_id, rx_total, tx_total, last_rx, last_tx, last_handshake_at, updated_at)
        SELECT config_id, drx, dtx, rx, tx, hs, now() FROM u
        ON CONFLICT (config_id) DO UPDATE SET
          rx_total = ps.rx_total + EXCLUDED.rx_total,
          tx_total = ps.tx_total + EXCLUDED.tx_total,
          last_rx = EXCLUDED.last_rx,
          last_tx = EXCLUDED.last_tx,
          last_handshake_at = GREATEST(ps.last_handshake_at, EXCLUDED.last_handshake_at),
          updated_at = now()
      )
      INSERT INTO vpn.usage_samples AS us (config_id, hour, rx_bytes, tx_bytes)
      SELECT config_id, date_trunc('hour', now()), drx, dtx FROM u WHERE drx > 0 OR dtx > 0
      ON CONFLICT (config_id, hour) DO UPDATE SET rx_bytes = us.rx_bytes + EXCLUDED.rx_bytes, tx_bytes = us.tx_bytes + EXCLUDED.tx_bytes`,
    [ids, drx, dtx, rx, tx, hs]);
  }

  /** Age in seconds of each server's last successful sync (null: never), for the metrics gauge. */
  async syncAges(): Promise<Array<{ id: string; age: number | null }>> {
    const rows = await queryRows<{ id: string; age: string | null }>(this.ds,
      `SELECT id, extract(epoch FROM now() - last_sync_at) AS age FROM vpn.servers`);
    return rows.map((r) => ({ id: r.id, age: r.age === null ? null : Number(r.age) }));
  }
}
