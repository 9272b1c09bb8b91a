import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isUuid, VpnErrorCode, type CommandReply, type CommandRequest, type ConfigView } from '@vpn/contracts';
import type { ConfigEntity } from '@vpn/db';
import { parseDisplayName } from '../servers/server-input';
import type { Server } from '../servers/server-record';
import { ServersRepository } from '../servers/servers.repository';
import { ConfigDisableSaga, ConfigEnableSaga } from './config-enablement.saga';
import { parseClientPublicKey, parseDeviceKeyFor, parseDeviceOptions } from './config-input';
import { toConfigView } from './config-record';
import { ConfigRekeySaga } from './config-rekey.saga';
import { ConfigsRepository } from './configs.repository';

/** What a person does to a device of theirs in place: settings, disable/enable, re-key, its conf. Anyone else's is "not found". */
@Injectable()
export class DevicesService {
  constructor(
    @Inject(ConfigsRepository) private readonly configs: ConfigsRepository,
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(ConfigDisableSaga) private readonly disable: ConfigDisableSaga,
    @Inject(ConfigEnableSaga) private readonly enable: ConfigEnableSaga,
    @Inject(ConfigRekeySaga) private readonly rekeying: ConfigRekeySaga,
  ) {}

  /** Everything is parsed before anything changes; the peer goes off/on first, the settings after it. */
  async update(req: CommandRequest<'config.update'>): Promise<CommandReply<'config.update'>> {
    const config = await this.own(req.userId, req.configId);
    const name = req.name === undefined ? undefined : parseDisplayName(req.name);
    if (req.enabled !== undefined && typeof req.enabled !== 'boolean') throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'enabled must be true or false');
    const settings = parseDeviceOptions(req);
    if (req.enabled !== undefined && req.enabled !== config.enabled) await (req.enabled ? this.enable : this.disable).run(config);
    await this.configs.updateSettings(config.id, { ...(name === undefined ? {} : { name }), ...settings });
    return this.view(config.id);
  }

  async rekey(req: CommandRequest<'config.rekey'>): Promise<CommandReply<'config.rekey'>> {
    const config = await this.own(req.userId, req.configId);
    const server = await this.server(config.serverId);
    const key = parseDeviceKeyFor(server, parseClientPublicKey(req.publicKey));
    await this.rekeying.run(config, key);
    return { config: await this.view(config.id), server: { publicKey: server.publicKey, endpoint: server.endpoint, dns: server.dns } };
  }

  async conf(req: CommandRequest<'config.conf'>): Promise<CommandReply<'config.conf'>> {
    const config = await this.own(req.userId, req.configId);
    const server = await this.server(config.serverId);
    return { config: await this.view(config.id), server: { publicKey: server.publicKey, endpoint: server.endpoint, dns: server.dns } };
  }

  private async own(userId: string, configId: string): Promise<ConfigEntity> {
    const config = isUuid(configId) && isUuid(userId) ? await this.configs.owned(userId, configId) : null;
    if (!config) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'no such config');
    return config;
  }

  private async server(id: string): Promise<Server> {
    const server = await this.servers.find(id);
    if (!server) throw new DomainError(VpnErrorCode.SERVER_NOT_FOUND, 'no such server');
    return server;
  }

  private async view(id: string): Promise<ConfigView> {
    const [row] = await this.configs.views({ id });
    if (!row) throw new DomainError(VpnErrorCode.CONFIG_NOT_FOUND, 'the config was revoked meanwhile');
    return toConfigView(row);
  }
}
