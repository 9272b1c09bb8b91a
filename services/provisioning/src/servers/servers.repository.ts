import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@vpn/contracts';
import { DataSource, ServerEntity, ServerSyncStateEntity, type EntityManager } from '@vpn/db';
import { toServer, type Server, type ServerListing } from './server-record';

/** Parsed servers kept in memory: few, read on every create, and checked against `version` by the saga. */
const MAX_CACHED = 10_000;

export type NewServer = Omit<ServerEntity, 'id' | 'maintenance' | 'version' | 'createdAt' | 'updatedAt'>;
export type ServerChanges = Partial<Pick<ServerEntity, 'name' | 'location' | 'maintenance' | 'dns' | 'sshHostKey'>>;

/** Every statement of vpn.servers; the admin's listing reads sync's state of each server beside it. */
@Injectable()
export class ServersRepository {
  private readonly cache = new Map<string, Server>();

  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /**
   * The server as last read here (every `find` refreshes it), or read now. It may be stale: whoever
   * acts on it must check its `version` in the same statement (the creation saga's first statement
   * does) and `find` it again if that fails.
   */
  async remembered(id: string): Promise<Server | null> {
    return this.cache.get(id) ?? this.find(id);
  }

  /** One server, parsed; null when the id is unknown (or not even a UUID). */
  async find(id: string): Promise<Server | null> {
    const row = isUuid(id) ? await this.ds.manager.findOneBy(ServerEntity, { id }) : null;
    if (!row) {
      this.cache.delete(id);
      return null;
    }
    const server = toServer(row);
    if (this.cache.size >= MAX_CACHED && !this.cache.has(id)) this.cache.clear();
    this.cache.set(id, server);
    return server;
  }

  /** Servers with their number of configs and their sync state, by name; or one server. */
  async listings(id?: string, m: EntityManager = this.ds.manager): Promise<ServerListing[]> {
    const q = m.createQueryBuilder(ServerEntity, 's')
      .addSelect('(SELECT count(*)::int FROM vpn.configs c WHERE c.server_id = s.id)', 'peer_count')
      .leftJoin(ServerSyncStateEntity, 'st', 'st.server_id = s.id')
      .addSelect(['st.reachable AS st_reachable', 'st.last_sync_at AS st_last_sync_at'])
      .orderBy('s.name');
    if (id !== undefined) q.where('s.id = :id', { id });
    const { entities, raw } = await q.getRawAndEntities<{ peer_count: number; st_reachable: boolean | null; st_last_sync_at: Date | null }>();
    return entities.map((server, i) => ({
      server,
      peerCount: raw[i].peer_count,
      sync: raw[i].st_reachable === null ? null : { reachable: raw[i].st_reachable, lastSyncAt: raw[i].st_last_sync_at },
    }));
  }

  async insert(m: EntityManager, values: NewServer): Promise<ServerEntity> {
    const { identifiers } = await m.insert(ServerEntity, values);
    return m.findOneByOrFail(ServerEntity, { id: identifiers[0].id as string });
  }

  /** The row, locked for the rest of the transaction; null when unknown. */
  async lock(m: EntityManager, id: string): Promise<ServerEntity | null> {
    if (!isUuid(id)) return null;
    return m.createQueryBuilder(ServerEntity, 's').setLock('pessimistic_write').where('s.id = :id', { id }).getOne();
  }

  async update(m: EntityManager, id: string, changes: ServerChanges): Promise<void> {
    if (Object.keys(changes).length > 0) await m.update(ServerEntity, { id }, changes);
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.delete(ServerEntity, { id });
  }
}
