import { Body, Controller, Delete, Get, HttpCode, Inject, Module, Param, Patch, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';
import { PinHostKeyDto, RegisterServerDto, ServerDto, SshKeyDto, UpdateServerDto } from './admin-servers.dto';

const SSH_CHECK_DEADLINE_MS = 30_000;

@ApiTags('admin')
@Controller('admin')
export class AdminServersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get('ssh-key')
  @Admin()
  @ApiOkResponse({ type: SshKeyDto })
  sshKey(): Promise<SshKeyDto> {
    return this.commands.request('server.ssh-key', {});
  }

  @Post('servers')
  @Admin()
  @ApiCreatedResponse({ type: ServerDto, description: 'after an SSH check that read the interface public key and listen port' })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'SSH_UNREACHABLE / HOST_KEY_MISMATCH' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SERVER_NAME_TAKEN / SERVER_ALREADY_REGISTERED (that interface, under any spelling of its host)' })
  register(@CurrentUser() admin: Principal, @Body() body: RegisterServerDto): Promise<ServerDto> {
    return this.commands.request('server.register', { ...body, actorId: admin.userId }, { timeoutMs: SSH_CHECK_DEADLINE_MS });
  }

  @Get('servers')
  @Admin()
  @ApiOkResponse({ type: ServerDto, isArray: true })
  list(): Promise<ServerDto[]> {
    return this.commands.request('server.list', {});
  }

  @Patch('servers/:id')
  @Admin()
  @ApiOkResponse({ type: ServerDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SERVER_NOT_FOUND' })
  update(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: UpdateServerDto): Promise<ServerDto> {
    // A new sshHostKey is checked over SSH before it is taken.
    return this.commands.request('server.update', { ...body, actorId: admin.userId, serverId: id }, { timeoutMs: SSH_CHECK_DEADLINE_MS });
  }

  @Post('servers/:id/host-key')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: ServerDto, description: 're-pinned (audited as server.host_key_changed)' })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'HOST_KEY_MISMATCH (the server does not show that key) / SSH_UNREACHABLE' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONFLICT: the interface there has another public key' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SERVER_NOT_FOUND' })
  pinHostKey(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: PinHostKeyDto): Promise<ServerDto> {
    return this.commands.request('server.pin-host-key', { actorId: admin.userId, serverId: id, sshHostKey: body.sshHostKey }, { timeoutMs: SSH_CHECK_DEADLINE_MS });
  }

  @Delete('servers/:id')
  @Admin()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SERVER_HAS_CONFIGS' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SERVER_NOT_FOUND' })
  async delete(@CurrentUser() admin: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.request('server.delete', { actorId: admin.userId, serverId: id });
  }
}

@Module({ controllers: [AdminServersController] })
export class AdminServersModule {}
