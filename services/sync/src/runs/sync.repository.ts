import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@vpn/contracts';
import {
  ConfigEntity, DataSource, PeerStatsEntity, PendingPeerRemovalEntity, PreparedStatement, SagaEntity, ServerEntity, ServerSyncStateEntity,
  type EntityManager, type SagaKind,
} from '@vpn/db';
import { appendEvents, type PendingEvent } from '@vpn/messaging';
import type { SshTarget } from '@vpn/ssh';
import { parseInterfaceName, type InterfaceName, type IpCidr, type WgPublicKey } from '@vpn/wireguard';
import type { DesiredConfig, DesiredState } from '../reconcile/peer-reconciler';
import type { LastCounters, UsageUpdate } from '../reconcile/usage-counters';

export interface DesiredSnapshot extends DesiredState {
  /** Last counters of every config of the server, by public key. */
  counters: Map<string, LastCounters>;
}

/** What a run needs of a server, parsed again on the way out of the database. */
export interface SyncedServer {
  id: string;
  name: string;
  target: SshTarget;
  interface: InterfaceName;
  /** As registered: a run reports an interface that no longer matches. */
  publicKey: string;
  listenPort: number;
}

interface ConfigStatsRow {
  id: string;
  public_key: string;
  address: string;
  status: 'active' | 'suspended';
  enabled: boolean;
  last_rx: string | null;
  last_tx: string | null;
  last_handshake_at: Date | null;
}

/**
 * Sync's statements: it writes only what it owns (statistics, hourly samples, its state of each
 * server in vpn.server_sync_state, and the kept removals it applied); provisioning's servers, configs
 * and sagas it only reads.
 */
@Injectable()
export class SyncRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async server(id: string): Promise<SyncedServer | null> {
    const r = isUuid(id) ? await this.ds.manager.findOneBy(ServerEntity, { id }) : null;
    if (!r) return null;
    return {
      id: r.id, name: r.name, target: { host: r.host, port: r.sshPort, username: r.sshUser, hostKey: r.sshHostKey },
      interface: parseInterfaceName(r.interface), publicKey: r.publicKey, listenPort: r.listenPort,
    };
  }

  /**
   * The server's configs, their counters, its live sagas and its kept removals, in one snapshot: a
   * saga that commits its config between two reads cannot make its peer look unowned.
   */
  async desiredState(serverId: string): Promise<DesiredSnapshot> {
    return this.ds.transaction('REPEATABLE READ', async (m) => {
      const sagas = await m.createQueryBuilder(SagaEntity, 'sg')
        .select(['sg.kind AS kind', 'sg.public_key AS public_key', 'sg.previous_public_key AS previous_public_key'])
        .where(`sg.server_id = :serverId AND sg.state = 'PENDING'`, { serverId })
        .getRawMany<{ kind: SagaKind; public_key: string; previous_public_key: string | null }>();
      const rows = await m.createQueryBuilder(ConfigEntity, 'c').leftJoin(PeerStatsEntity, 'ps', 'ps.config_id = c.id')
        .select(['c.id AS id', 'c.public_key AS public_key', 'c.address AS address', 'c.status AS status', 'c.enabled AS enabled',
          'ps.last_rx AS last_rx', 'ps.last_tx AS last_tx', 'ps.last_handshake_at AS last_handshake_at'])
        .where('c.server_id = :serverId', { serverId }).getRawMany<ConfigStatsRow>();
      const removals = await m.find(PendingPeerRemovalEntity, { select: { id: true, publicKey: true }, where: { serverId }, order: { createdAt: 'ASC' } });
      const configs: DesiredConfig[] = new Array(rows.length);
      const counters = new Map<string, LastCounters>();
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        // Parsed when stored; every key and prefix that goes into a command is parsed again by its builder.
        const publicKey = r.public_key as WgPublicKey;
        const allowedIp = `${r.address}/${r.address.includes(':') ? 128 : 32}` as IpCidr;
        configs[i] = { id: r.id, publicKey, allowedIp, status: r.status, enabled: r.enabled };
        counters.set(publicKey, { configId: r.id, lastRx: Number(r.last_rx ?? 0), lastTx: Number(r.last_tx ?? 0), lastHandshakeAt: r.last_handshake_at });
      }
      const pendingCreateKeys = new Set<string>();
      const pendingRevokeKeys = new Set<string>();
      for (const s of sagas) {
        // A re-key puts its new key (public_key) on and takes the old one (previous_public_key) off.
        if (s.kind === 'create' || s.kind === 'enable' || s.kind === 'rekey') pendingCreateKeys.add(s.public_key);
        else pendingRevokeKeys.add(s.public_key);
        if (s.kind === 'rekey' && s.previous_public_key) pendingRevokeKeys.add(s.previous_public_key);
      }
      // Keys were parsed before they were stored; removeCommands parses each again.
      const pendingRemovals = removals.map((r) => ({ id: r.id, publicKey: r.publicKey as WgPublicKey }));
      return { configs, counters, pendingCreateKeys, pendingRevokeKeys, pendingRemovals };
    });
  }

  /** The run's outcome in one transaction: statistics, hourly samples, settled kept removals, the server's sync state and events. */
  async recordRun(serverId: string, usage: readonly UsageUpdate[], events: readonly PendingEvent[], settledRemovals: readonly string[] = []): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (usage.length > 0) await this.writeUsage(m, usage);
      if (settledRemovals.length > 0) {
        await m.createQueryBuilder().delete().from(PendingPeerRemovalEntity).where('id = ANY(:ids)', { ids: settledRemovals }).execute();
      }
      await m.createQueryBuilder().insert().into(ServerSyncStateEntity).values({ serverId, reachable: true, lastSyncAt: () => 'now()' })
        .orUpdate(['reachable', 'last_sync_at'], ['server_id']).execute();
      await appendEvents(m, events);
    });
  }

  /** Marks the server unreachable; true when it was reachable until now (the caller emits the event once). */
  async markUnreachable(serverId: string, reason: string): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const changed = (await MARK_UNREACHABLE.rows(m, [serverId])).length > 0;
      if (changed) await appendEvents(m, [{ type: 'server.unreachable', data: { serverId, reason }, subject: serverId }]);
      return changed;
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
    await WRITE_USAGE.rows(m, [ids, drx, dtx, rx, tx, hs]);
  }

  /** Age in seconds of each server's last successful sync (null: never), for the metrics gauge. */
  async syncAges(): Promise<Array<{ id: string; age: number | null }>> {
    const rows = await this.ds.createQueryBuilder(ServerEntity, 's').leftJoin(ServerSyncStateEntity, 'st', 'st.server_id = s.id')
      .select(['s.id AS id', 'extract(epoch FROM now() - st.last_sync_at) AS age']).getRawMany<{ id: string; age: string | null }>();
    return rows.map((r) => ({ id: r.id, age: r.age === null ? null : Number(r.age) }));
  }
}

const MARK_UNREACHABLE = new PreparedStatement<{ server_id: string }>('sync_mark_unreachable', `
  INSERT INTO vpn.server_sync_state AS st (server_id, reachable) VALUES ($1, false)
  ON CONFLICT (server_id) DO UPDATE SET reachable = false WHERE st.reachable
  RETURNING st.server_id`);

const WRITE_USAGE = new PreparedStatement<never>('sync_write_usage', `
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
  ON CONFLICT (config_id, hour) DO UPDATE SET rx_bytes = us.rx_bytes + EXCLUDED.rx_bytes, tx_bytes = us.tx_bytes + EXCLUDED.tx_bytes`);
