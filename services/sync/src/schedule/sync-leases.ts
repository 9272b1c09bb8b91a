import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, PreparedStatement, SyncLeaseEntity } from '@vpn/db';

/** A held lease: the server and the token that proves it is still ours. */
export interface SyncLease {
  serverId: string;
  holder: string;
}

/**
 * The statements of vpn.sync_leases. One replica per server at a time, and each server once per interval: `vpn.sync_leases` holds who
 * reconciles a server now (until `expires_at`) and when it is due next (`next_run_at`, set when a
 * run is claimed, so replicas share one schedule). A crashed holder's lease simply expires.
 */
@Injectable()
export class SyncLeases {
  /** This replica; each lease gets `<instance>/<run>` so a stale release never frees someone else's lease. */
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Servers registered since the last look get a schedule row, due at a random point of the first interval. */
  async scheduleNewServers(intervalSeconds: number): Promise<void> {
    await SCHEDULE_NEW.rows(this.ds, [intervalSeconds]);
  }

  /**
   * Claims up to `limit` due servers (not in maintenance, lease free) and sets their next run to one
   * interval plus up to `jitter` of it from now. SKIP LOCKED: replicas claiming at once get disjoint sets.
   */
  async claimDue(limit: number, ttlSeconds: number, intervalSeconds: number, jitter: number): Promise<SyncLease[]> {
    if (limit <= 0) return [];
    const holder = this.newHolder();
    const rows = await CLAIM_DUE.rows(this.ds, [holder, ttlSeconds, intervalSeconds, jitter, limit]);
    return rows.map((r) => ({ serverId: r.server_id, holder }));
  }

  /** Takes one server's lease now if it is free (an admin's run); the schedule is left as it is. */
  async take(serverId: string, ttlSeconds: number, intervalSeconds: number): Promise<SyncLease | null> {
    const holder = this.newHolder();
    const rows = await TAKE.rows(this.ds, [serverId, holder, ttlSeconds, intervalSeconds]);
    return rows.length > 0 ? { serverId, holder } : null;
  }

  async release(lease: SyncLease): Promise<void> {
    await this.ds.manager.update(SyncLeaseEntity, { serverId: lease.serverId, holder: lease.holder }, { expiresAt: () => 'now()' });
  }

  private newHolder(): string {
    return `${this.instance}/${randomUUID().slice(0, 8)}`;
  }
}

const SCHEDULE_NEW = new PreparedStatement<never>('sync_schedule_new', `
  INSERT INTO vpn.sync_leases (server_id, holder, expires_at, next_run_at)
  SELECT s.id, '', now(), now() + make_interval(secs => $1 * random())
  FROM vpn.servers s WHERE NOT EXISTS (SELECT 1 FROM vpn.sync_leases l WHERE l.server_id = s.id)
  ON CONFLICT (server_id) DO NOTHING`);

const CLAIM_DUE = new PreparedStatement<{ server_id: string }>('sync_claim_due', `
  UPDATE vpn.sync_leases l
  SET holder = $1, expires_at = now() + make_interval(secs => $2),
      next_run_at = now() + make_interval(secs => $3 * (1 + $4 * random())), last_run_at = now()
  WHERE l.server_id IN (
    SELECT d.server_id FROM vpn.sync_leases d JOIN vpn.servers s ON s.id = d.server_id
    WHERE NOT s.maintenance AND d.next_run_at <= now() AND d.expires_at <= now()
    ORDER BY d.next_run_at LIMIT $5
    FOR UPDATE OF d SKIP LOCKED)
  RETURNING l.server_id`);

const TAKE = new PreparedStatement<{ server_id: string }>('sync_take', `
  INSERT INTO vpn.sync_leases AS l (server_id, holder, expires_at, next_run_at)
  SELECT s.id, $2, now() + make_interval(secs => $3), now() + make_interval(secs => $4 * random()) FROM vpn.servers s WHERE s.id = $1
  ON CONFLICT (server_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
  WHERE l.expires_at <= now()
  RETURNING l.server_id`);
