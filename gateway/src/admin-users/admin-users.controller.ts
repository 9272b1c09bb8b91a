import { Body, Controller, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, DomainError, isUuid, PAGE_LIMIT_DEFAULT } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, PageQueryDto, TokenStateCache, type Principal } from '../common';
import { AdminUserDto, AdminUserPageDto, UpdateUserDto } from './admin-users.dto';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus, private readonly tokenState: TokenStateCache) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: AdminUserPageDto, description: 'users by email; page on with cursor = nextCursor (null on the last page)' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED: limit outside 1–200, or a cursor not from this listing' })
  async list(@Query() q: PageQueryDto): Promise<AdminUserPageDto> {
    const page = await this.commands.request('auth.users.list', { query: q.query, limit: q.limit ?? PAGE_LIMIT_DEFAULT, cursor: q.cursor });
    // Billing's side for this page's users only.
    const accounts = page.items.length === 0 ? [] : await this.commands.request('limits.accounts', { userIds: page.items.map((u) => u.id) });
    const byUser = new Map(accounts.map((a) => [a.userId, a]));
    return {
      items: page.items.map((u) => ({
        id: u.id, email: u.email, role: u.role, disabled: u.disabled,
        planId: byUser.get(u.id)?.planId ?? '', devicesUsed: byUser.get(u.id)?.devicesUsed ?? 0,
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Patch(':id')
  @Admin()
  @ApiOkResponse({ type: AdminUserDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND / PLAN_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'LAST_ADMIN: the last active admin cannot be demoted or disabled' })
  async update(@CurrentUser() actor: Principal, @Param('id') id: string, @Body() body: UpdateUserDto): Promise<AdminUserDto> {
    if (!isUuid(id)) throw new DomainError(CommonErrorCode.NOT_FOUND, 'user not found');
    const user = body.role !== undefined || body.disabled !== undefined
      ? await this.commands.request('auth.users.update', { actorId: actor.userId, userId: id, role: body.role, disabled: body.disabled })
      : await this.commands.request('auth.users.get', { userId: id });
    this.tokenState.invalidate(id);
    if (body.planId !== undefined) {
      await this.commands.request('limits.assign-plan', { actorId: actor.userId, userId: id, planId: body.planId });
    }
    // After a plan change, which starts a new subscription on the plan's terms: these override them.
    if (body.expiresAt !== undefined || body.dataLimitBytes !== undefined) {
      await this.commands.request('limits.subscription.update', { actorId: actor.userId, userId: id, expiresAt: body.expiresAt, dataLimitBytes: body.dataLimitBytes });
    }
    const [account] = await this.commands.request('limits.accounts', { userIds: [id] });
    return { id: user.id, email: user.email, role: user.role, disabled: user.disabled, planId: account?.planId ?? '', devicesUsed: account?.devicesUsed ?? 0 };
  }
}
