import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { CommandReply, CommandRequest } from '@vpn/contracts';
import { CommandPattern } from '@vpn/messaging';
import { SyncService } from './runs/sync.service';

/** The sync service's commands on the bus (queue group `sync`): each one delegates to its domain service. */
@Controller()
export class SyncCommandsController {
  constructor(
    private readonly sync: SyncService,
  ) {}

  @CommandPattern('sync.run')
  run(@Payload() req: CommandRequest<'sync.run'>): Promise<CommandReply<'sync.run'>> {
    return this.sync.run(req);
  }
}
