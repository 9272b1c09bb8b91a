import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';
import { SyncReportDto } from './admin-sync.dto';

/** A large server's re-add takes seconds; the default bus deadline is for quick commands. */
const SYNC_DEADLINE_MS = 60_000;

@ApiTags('admin')
@Controller('admin/servers')
export class AdminSyncController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post(':id/sync')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: SyncReportDto, description: 'one reconciliation, now; orphan removal is not capped for an admin run' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SERVER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONFLICT: another sync of the server is running, or the run was aborted as unsafe' })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'SSH_UNREACHABLE / HOST_KEY_MISMATCH' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'SERVICE_UNAVAILABLE: the database could not be read; the server was not touched' })
  run(@CurrentUser() actor: Principal, @Param('id') id: string): Promise<SyncReportDto> {
    return this.commands.request('sync.run', { serverId: id, actorId: actor.userId }, { timeoutMs: SYNC_DEADLINE_MS });
  }
}
