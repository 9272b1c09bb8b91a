import { Body, Controller, Get, Inject, Param, Patch } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, DomainError, isUuid } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, TokenStateCache, type Principal } from '../common';
import { AdminUserDto, UpdateUserDto } from './admin-users.dto';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus, private readonly tokenState: TokenStateCache) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: AdminUserDto, isArray: true })
  async list(): Promise<AdminUserDto[]> {
    const users = await this.commands.request('auth.users.list', {});
    const accounts = await this.commands.request('limits.accounts', { userIds: users.map((u) => u.id) });
    const byUser = new Map(accounts.map((a) => [a.userId, a]));
    return users.map((u) => ({
      id: u.id, email: u.email, role: u.role, disabled: u.disabled,
      planId: byUser.get(u.id)?.planId ?? '', devicesUsed: byUser.get(u.id)?.devicesUsed ?? 0,
    }));
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
    const [account] = await this.commands.request('limits.accounts', { userIds: [id] });
    return { id: user.id, email: user.email, role: user.role, disabled: user.disabled, planId: account?.planId ?? '', devicesUsed: account?.devicesUsed ?? 0 };
  }
}
