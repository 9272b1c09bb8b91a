import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isUuid, VpnErrorCode, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource, queryRows } from '@vpn/db';
import { CONFIG_SELECT, toConfigView, type ConfigRow } from './config-record';
import { ConfigCreationSaga } from './config-creation.saga';
import { ConfigRevocationSaga } from './config-revocation.saga';

/** The `config.*` commands: a user's own configs only; anyone else's is "not found". */
@Injectable()
export class ConfigsService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(ConfigCreationSaga) private readonly creation: ConfigCreationSaga,
    @Inject(ConfigRevocationSaga) private readonly revocation: ConfigRevocationSaga,
  ) {}

  create(req: CommandRequest<'config.create'>): Promise<CommandReply<'config.create'>> {
    return this.creation.run(req);
  }

  async list(req: CommandRequest<'config.list'>): Promise<CommandReply<'config.list'>> {
    if (!isUuid(req.userId)) return [];
    const rows = await queryRows<ConfigRow>(this.ds, `${CONFIG_SELECT} WHERE c.user_id = $1 ORDER BY c.created_at, c.id`, [req.userId]);
    return rows.map(toConfigView);
  }

  async get(req: CommandRequest<'config.get'>): Promise<CommandReply<'config.get'>> {
    return toConfigView(await this.own(req.userId, req.configId));
  }

  async revoke(req: CommandRequest<'config.revoke'>): Promise<CommandReply<'config.revoke'>> {
    await this.revocation.run(req.userId, req.configId, req.actorId);
    return { ok: true };
  }

  async usage(req: CommandRequest<'config.usage'>): Promise<CommandReply<'config.usage'>> {
    await this.own(req.userId, req.configId);
    const from = new Date(req.from);
    const to = new Date(req.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'from and to must be ISO 8601 times with from ≤ to');
    }
    const rows = await queryRows<{ hour: Date; rx_bytes: string; tx_bytes: string }>(this.ds,
      `SELECT hour, rx_bytes, tx_bytes FROM vpn.usage_samples WHERE config_id = $1 AND hour >= $2 AND hour <= $3 ORDER BY hour LIMIT 5000`,
      [req.configId, from, to]);
    return rows.map((r) => ({ at: r.hour.toISOString(), rxBytes: Number(r.rx_bytes), txBytes: Number(r.tx_bytes) }));
  }

  private async own(userId: string, configId: string): Promise<ConfigRow> {
    if (!isUuid(configId) || !isUuid(userId)) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    const rows = await queryRows<ConfigRow>(this.ds, `${CONFIG_SELECT} WHERE c.id = $1 AND c.user_id = $2`, [configId, userId]);
    if (rows.length === 0) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    return rows[0];
  }
}
