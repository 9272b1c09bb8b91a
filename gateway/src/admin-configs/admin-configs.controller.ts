import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PAGE_LIMIT_DEFAULT } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';
import { AdminConfigPageDto, AdminConfigsQueryDto } from './admin-configs.dto';

/** Taking a peer off a server may wait for that server: longer than the bus default. */
const PROVISIONING_DEADLINE_MS = 30_000;

/** Every user's devices, for admins. */
@ApiTags('admin')
@Controller('admin/configs')
export class AdminConfigsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: AdminConfigPageDto, description: 'oldest first; page on with cursor = nextCursor (null on the last page); query matches the name or address' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED: limit outside 1–200, a serverId/userId not a UUID, or a cursor not from this listing' })
  async list(@Query() q: AdminConfigsQueryDto): Promise<AdminConfigPageDto> {
    const page = await this.commands.request('config.admin-list', {
      query: q.query, serverId: q.serverId, userId: q.userId, limit: q.limit ?? PAGE_LIMIT_DEFAULT, cursor: q.cursor,
    });
    const userIds = [...new Set(page.items.map((c) => c.userId))];
    const emails = userIds.length === 0 ? [] : await this.commands.request('auth.users.emails', { userIds });
    const emailOf = new Map(emails.map((e) => [e.userId, e.email]));
    return { items: page.items.map((c) => ({ ...c, userEmail: emailOf.get(c.userId) ?? '' })), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @Admin()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the peer is gone from the server (or its removal is kept for the next sync when the server is unreachable)' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async revoke(@CurrentUser() admin: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.request('config.admin-revoke', { configId: id, actorId: admin.userId }, { timeoutMs: PROVISIONING_DEADLINE_MS });
  }
}
