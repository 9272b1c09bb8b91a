import { Inject, Injectable } from '@nestjs/common';
import {
  ConfigEntity, DataSource, LeaseEntity, PeerStatsEntity, PendingPeerRemovalEntity, ServerEntity, UsageSampleEntity, type EntityManager,
} from '@vpn/db';
import type { WgPublicKey } from '@vpn/wireguard';
import type { ConfigRow } from './config-record';
import type { DeviceSettings } from './config-input';

/** A peer that must leave a server the control plane could not change when its config went. */
export interface KeptRemoval {
  serverId: string;
  publicKey: WgPublicKey;
  configId: string;
  reason: 'revoked';
}

/** The admin listing's filters; `pattern` is a LIKE pattern escaped by the caller. */
export interface AdminConfigFilter {
  serverId?: string;
  userId?: string;
  pattern?: string;
  after?: { at: string; id: string };
}

/**
 * Every statement of a config and what belongs to it: its lease (address and key), the removal of
 * its peer kept for the next sync, its statistics when it goes. Sagas write the hot rows of a create
 * in their own single statements (SagasRepository).
 */
@Injectable()
export class ConfigsRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Configs as the API shows them (with the server's name and sync's statistics), by owner or id. */
  async views(where: { userId?: string; id?: string; ids?: string[] }): Promise<ConfigRow[]> {
    const q = this.ds.createQueryBuilder(ConfigEntity, 'c')
      .innerJoin(ServerEntity, 's', 's.id = c.server_id')
      .leftJoin(PeerStatsEntity, 'ps', 'ps.config_id = c.id')
      .select(['c.id AS id', 'c.user_id AS user_id', 'c.server_id AS server_id', 's.name AS server_name', 'c.name AS name',
        'c.address AS address', 'c.public_key AS public_key', 'c.status AS status', 'c.created_at AS created_at',
        'ps.last_handshake_at AS last_handshake_at', 'ps.rx_total AS rx_total', 'ps.tx_total AS tx_total',
        'c.enabled AS enabled', 'c.dns AS dns', 'c.mtu AS mtu', 'c.allowed_ips AS allowed_ips', 'c.persistent_keepalive AS persistent_keepalive'])
      .orderBy('c.created_at').addOrderBy('c.id');
    if (where.userId !== undefined) q.andWhere('c.user_id = :userId', { userId: where.userId });
    if (where.id !== undefined) q.andWhere('c.id = :id', { id: where.id });
    if (where.ids !== undefined) q.andWhere('c.id = ANY(:ids)', { ids: where.ids });
    return q.getRawMany<ConfigRow>();
  }

  /**
   * The ids of one page of every user's configs in (created_at, id) order, read from configs alone
   * so it walks configs_created_idx / configs_server_created_idx / configs_user_idx and stops at
   * `limit`. `at` keeps created_at to the microsecond: a millisecond cursor would skip or repeat rows.
   */
  async adminPage(filter: AdminConfigFilter, limit: number): Promise<Array<{ id: string; at: string }>> {
    const q = this.ds.createQueryBuilder(ConfigEntity, 'c')
      .select('c.id', 'id')
      .addSelect(`to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'at')
      .orderBy('c.created_at').addOrderBy('c.id').limit(limit);
    if (filter.serverId !== undefined) q.andWhere('c.server_id = :serverId', { serverId: filter.serverId });
    if (filter.userId !== undefined) q.andWhere('c.user_id = :userId', { userId: filter.userId });
    if (filter.pattern !== undefined) {
      q.andWhere(`(c.name ILIKE :pattern ESCAPE '\\' OR c.address || '/32' LIKE :pattern ESCAPE '\\')`, { pattern: filter.pattern });
    }
    if (filter.after) q.andWhere('(c.created_at, c.id) > (CAST(:afterAt AS timestamptz), :afterId)', { afterAt: filter.after.at, afterId: filter.after.id });
    return q.getRawMany<{ id: string; at: string }>();
  }

  /** Any user's config, for an admin. */
  byId(id: string): Promise<ConfigEntity | null> {
    return this.ds.manager.findOneBy(ConfigEntity, { id });
  }

  owned(userId: string, id: string): Promise<ConfigEntity | null> {
    return this.ds.manager.findOneBy(ConfigEntity, { id, userId });
  }

  /** A rename and the device's own client options: nothing on the server changes. */
  async updateSettings(id: string, patch: { name?: string } & Partial<DeviceSettings>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.ds.manager.update(ConfigEntity, { id }, patch);
  }

  async setEnabled(m: EntityManager, id: string, enabled: boolean): Promise<void> {
    await m.update(ConfigEntity, { id }, { enabled });
  }

  /** The config's lease takes `publicKey` (unique across leases: a violation names leases_public_key_key). */
  async leaseKey(m: EntityManager, configId: string, publicKey: WgPublicKey): Promise<void> {
    await m.update(LeaseEntity, { ownerId: configId }, { publicKey });
  }

  async setKey(m: EntityManager, id: string, publicKey: WgPublicKey): Promise<void> {
    await m.update(ConfigEntity, { id }, { publicKey });
  }

  usage(configId: string, from: Date, to: Date): Promise<UsageSampleEntity[]> {
    return this.ds.createQueryBuilder(UsageSampleEntity, 'u')
      .where('u.config_id = :configId AND u.hour >= :from AND u.hour <= :to', { configId, from, to })
      .orderBy('u.hour').limit(5000).getMany();
  }

  /** The addresses leased on a server (configs and live create sagas). */
  async leasedAddresses(serverId: string): Promise<string[]> {
    return (await this.ds.manager.find(LeaseEntity, { select: { address: true }, where: { serverId } })).map((l) => l.address);
  }

  leasesOn(m: EntityManager, serverId: string): Promise<number> {
    return m.countBy(LeaseEntity, { serverId });
  }

  /** A failed create's lease; never the lease of a config that exists. */
  async releaseUnusedLease(m: EntityManager, ownerId: string): Promise<void> {
    await m.createQueryBuilder().delete().from(LeaseEntity)
      .where('owner_id = :ownerId AND NOT EXISTS (SELECT 1 FROM vpn.configs c WHERE c.id = :ownerId)', { ownerId }).execute();
  }

  /**
   * The config, its lease and statistics go; when its peer could not be taken off the server the
   * removal is kept for the server's next successful sync. True when the row was still there.
   */
  async remove(m: EntityManager, config: Pick<ConfigEntity, 'id'>, keep: KeptRemoval | null): Promise<boolean> {
    const { raw } = await m.createQueryBuilder().delete().from(ConfigEntity).where('id = :id', { id: config.id }).returning('id').execute();
    const deleted = (raw as unknown[]).length > 0;
    if (deleted && keep) await m.insert(PendingPeerRemovalEntity, keep);
    await m.delete(LeaseEntity, { ownerId: config.id });
    await m.delete(PeerStatsEntity, { configId: config.id });
    return deleted;
  }
}
