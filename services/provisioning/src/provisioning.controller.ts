import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { CommandPattern } from '@vpn/messaging';
import { ConfigsService } from './configs/configs.service';
import { DevicesService } from './configs/devices.service';
import { ServersService } from './servers/servers.service';

/** The provisioning service's commands on the bus (queue group `provisioning`): each one delegates to its domain service. */
@Controller()
export class ProvisioningCommandsController {
  constructor(
    private readonly configs: ConfigsService,
    private readonly servers: ServersService,
    private readonly devices: DevicesService,
  ) {}

  @CommandPattern('config.create')
  configCreate(@Payload() req: CommandRequest<'config.create'>): Promise<CommandReply<'config.create'>> {
    return this.configs.create(req);
  }

  @CommandPattern('config.list')
  configList(@Payload() req: CommandRequest<'config.list'>): Promise<CommandReply<'config.list'>> {
    return this.configs.list(req);
  }

  @CommandPattern('config.get')
  configGet(@Payload() req: CommandRequest<'config.get'>): Promise<CommandReply<'config.get'>> {
    return this.configs.get(req);
  }

  @CommandPattern('config.revoke')
  configRevoke(@Payload() req: CommandRequest<'config.revoke'>): Promise<CommandReply<'config.revoke'>> {
    return this.configs.revoke(req);
  }

  @CommandPattern('config.admin-list')
  configAdminList(@Payload() req: CommandRequest<'config.admin-list'>): Promise<CommandReply<'config.admin-list'>> {
    return this.configs.adminList(req);
  }

  @CommandPattern('config.admin-revoke')
  configAdminRevoke(@Payload() req: CommandRequest<'config.admin-revoke'>): Promise<CommandReply<'config.admin-revoke'>> {
    return this.configs.adminRevoke(req);
  }

  @CommandPattern('config.update')
  configUpdate(@Payload() req: CommandRequest<'config.update'>): Promise<CommandReply<'config.update'>> {
    return this.devices.update(req);
  }

  @CommandPattern('config.rekey')
  configRekey(@Payload() req: CommandRequest<'config.rekey'>): Promise<CommandReply<'config.rekey'>> {
    return this.devices.rekey(req);
  }

  @CommandPattern('config.conf')
  configConf(@Payload() req: CommandRequest<'config.conf'>): Promise<CommandReply<'config.conf'>> {
    return this.devices.conf(req);
  }

  @CommandPattern('config.usage')
  configUsage(@Payload() req: CommandRequest<'config.usage'>): Promise<CommandReply<'config.usage'>> {
    return this.configs.usage(req);
  }

  @CommandPattern('server.ssh-key')
  serverSshKey(): Promise<CommandReply<'server.ssh-key'>> {
    return this.servers.sshKey();
  }

  @CommandPattern('server.register')
  serverRegister(@Payload() req: CommandRequest<'server.register'>): Promise<CommandReply<'server.register'>> {
    return this.servers.register(req);
  }

  @CommandPattern('server.list')
  serverList(): Promise<CommandReply<'server.list'>> {
    return this.servers.list();
  }

  @CommandPattern('server.list-public')
  serverListPublic(): Promise<CommandReply<'server.list-public'>> {
    return this.servers.listPublic();
  }

  @CommandPattern('server.update')
  serverUpdate(@Payload() req: CommandRequest<'server.update'>): Promise<CommandReply<'server.update'>> {
    return this.servers.update(req);
  }

  @CommandPattern('server.pin-host-key')
  pinHostKey(@Payload() req: CommandRequest<'server.pin-host-key'>): Promise<CommandReply<'server.pin-host-key'>> {
    return this.servers.pinHostKey(req);
  }

  @CommandPattern('server.delete')
  serverDelete(@Payload() req: CommandRequest<'server.delete'>): Promise<CommandReply<'server.delete'>> {
    return this.servers.delete(req);
  }
}
