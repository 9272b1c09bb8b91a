import { Inject, Injectable } from '@nestjs/common';
import {
  CommonErrorCode, DomainError, encodeCursor, isUuid, parsePageLimit, VpnErrorCode, type CommandReply, type CommandRequest,
} from '@vpn/contracts';
import { toConfigView, type ConfigRow } from './config-record';
import { ConfigCreationSaga } from './config-creation.saga';
import { ConfigRevocationSaga } from './config-revocation.saga';
import { ConfigsRepository } from './configs.repository';
import { parseAdminConfigFilter } from './admin-config-filter';

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

  /** One page of every user's configs in (createdAt, id) order; one id more than asked tells whether a next page exists. */
  async adminList(req: CommandRequest<'config.admin-list'>): Promise<CommandReply<'config.admin-list'>> {
    const limit = parsePageLimit(req.limit);
    const filter = parseAdminConfigFilter(req);
    const page = await this.configs.adminPage(filter, limit + 1);
    const ids = page.slice(0, limit).map((p) => p.id);
    const rows = ids.length === 0 ? [] : await this.configs.views({ ids });
    const last = page[limit - 1];
    return {
      items: rows.map((r) => ({ ...toConfigView(r), userId: r.user_id })),
      nextCursor: page.length > limit ? encodeCursor({ at: last.at, id: last.id }) : null,
    };
  }

  /** An admin revokes any user's config through the owner's revocation saga. */
  async adminRevoke(req: CommandRequest<'config.admin-revoke'>): Promise<CommandReply<'config.admin-revoke'>> {
    const config = isUuid(req.configId) ? await this.configs.byId(req.configId) : null;
    if (!config) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    await this.revocation.run(config.userId, config.id, req.actorId);
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
