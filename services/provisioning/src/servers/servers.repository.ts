import { Inject, Injectable } from '@nestjs/common';
import { DataSource, queryRows } from '@vpn/db';
import { isUuid } from '../uuid';
import { SERVER_COLUMNS, toServer, type Server, type ServerRow } from '@vpn/vpn-core';

/** Reads of vpn.servers. */
@Injectable()
export class ServersRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

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
    return rows.length === 0 ? null : toServer(rows[0]);
  }
}
