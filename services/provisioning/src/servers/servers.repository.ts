import { Inject, Injectable } from '@nestjs/common';
import { DataSource, queryRows } from '@vpn/db';
import { SERVER_COLUMNS, toServer, type Server, type ServerRow } from '@vpn/vpn-core';
import { isUuid } from '@vpn/contracts';

/** Parsed servers kept in memory: few, read on every create, and checked against `version` by the saga. */
const MAX_CACHED = 10_000;

/** Reads of vpn.servers. */
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

  /** Servers with their number of configs, by name; or one server. */
  async listWithCounts(id?: string): Promise<ServerRow[]> {
    return queryRows<ServerRow>(this.ds, `
      SELECT ${SERVER_COLUMNS}, (SELECT count(*)::int FROM vpn.configs c WHERE c.server_id = s.id) AS peer_count
      FROM vpn.servers s ${id ? 'WHERE s.id = $1' : ''} ORDER BY s.name`, id ? [id] : []);
  }

  /** One server, parsed; null when the id is unknown (or not even a UUID). */
  async find(id: string): Promise<Server | null> {
    if (!isUuid(id)) return null;
    const rows = await queryRows<ServerRow>(this.ds, `SELECT ${SERVER_COLUMNS} FROM vpn.servers s WHERE s.id = $1`, [id]);
    if (rows.length === 0) {
      this.cache.delete(id);
      return null;
    }
    const server = toServer(rows[0]);
    if (this.cache.size >= MAX_CACHED && !this.cache.has(id)) this.cache.clear();
    this.cache.set(id, server);
    return server;
  }
}
