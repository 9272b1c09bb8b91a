import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isUuid, VpnErrorCode, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { toConfigView, type ConfigRow } from './config-record';
import { ConfigCreationSaga } from './config-creation.saga';
import { ConfigRevocationSaga } from './config-revocation.saga';
import { ConfigsRepository } from './configs.repository';

/** The `config.*` commands: a user's own configs only; anyone else's is "not found". */
@Injectable()
export class ConfigsService {
  constructor(
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(ConfigCreationSaga) private readonly creation: ConfigCreationSaga,
    @Inject(ConfigRevocationSaga) private readonly revocation: ConfigRevocationSaga,
  ) {}

  create(req: CommandRequest<'config.create'>): Promise<CommandReply<'config.create'>> {
    return this.creation.run(req);
  }

  async list(req: CommandRequest<'config.list'>): Promise<CommandReply<'config.list'>> {
    if (!isUuid(req.userId)) return [];
    return (await this.configs.views({ userId: req.userId })).map(toConfigView);
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
    const samples = await this.configs.usage(req.configId, from, to);
    return samples.map((r) => ({ at: r.hour.toISOString(), rxBytes: Number(r.rxBytes), txBytes: Number(r.txBytes) }));
  }

  private async own(userId: string, configId: string): Promise<ConfigRow> {
    if (!isUuid(configId) || !isUuid(userId)) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    const [row] = await this.configs.views({ id: configId, userId });
    if (!row) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    return row;
  }
}
