import { Inject, Injectable } from '@nestjs/common';
import { DomainError, VpnErrorCode } from '@vpn/contracts';
import type { ConfigEntity } from '@vpn/db';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { SshError } from '@vpn/ssh';
import { hostCidr, parseIpAddress, type WgPublicKey } from '@vpn/wireguard';
import type { Server } from '../servers/server-record';
import { ServersRepository } from '../servers/servers.repository';
import { NothingDone } from '../sagas/saga-definition';
import { PeerBatcher } from './peer-batcher';

export type ChangedConfig = Pick<ConfigEntity, 'id' | 'userId' | 'serverId' | 'address' | 'status'>;

/**
 * The peer of one config on or off its server, for the in-place change sagas (disable, enable,
 * re-key). A command refused before it started (unreachable, host key) changed nothing.
 */
@Injectable()
export class ConfigPeers {
  constructor(
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(PeerBatcher) private readonly peers: PeerBatcher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async add(sagaId: string, config: ChangedConfig, publicKey: WgPublicKey): Promise<void> {
    // A suspended config (its subscription) stays off the server whatever the user asks.
    if (config.status !== 'active') return;
    await this.change(sagaId, config, (s) => this.peers.add(s.id, s.target, s.interface, { publicKey, allowedIps: [hostCidr(parseIpAddress(config.address))] }));
  }

  async remove(sagaId: string, config: ChangedConfig, publicKey: WgPublicKey): Promise<void> {
    await this.change(sagaId, config, (s) => this.peers.remove(s.id, s.target, s.interface, publicKey));
  }

  private async change(sagaId: string, config: ChangedConfig, command: (s: Server) => Promise<void>): Promise<void> {
    const server = await this.servers.find(config.serverId);
    if (!server) return;
    try {
      await command(server);
    } catch (e) {
      this.logger.warn({ sagaId, serverId: server.id, err: (e as Error).message }, 'changing the peer failed');
      const failure = new DomainError(VpnErrorCode.PROVISIONING_FAILED, `${server.name} could not be changed; the device is as it was`);
      throw e instanceof SshError && !e.commandMayHaveRun ? new NothingDone(failure) : failure;
    }
  }
}
