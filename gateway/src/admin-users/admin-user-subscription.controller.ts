import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonErrorCode, DomainError, isUuid, type CommandReply, type SubscriptionView } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';
import { SubscriptionDto } from '../plans/subscription.dto';
import { AdminUserDetailDto, RenewDto, TopUpDto } from './admin-user-subscription.dto';

/** One user as an admin sees it, with the subscription, and the admin's subscription actions. */
@ApiTags('admin')
@Controller('admin/users/:id')
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND: no such user' })
export class AdminUserSubscriptionController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: AdminUserDetailDto })
  async get(@Param('id') id: string): Promise<AdminUserDetailDto> {
    const user = await this.user(id);
    const account = await this.commands.request('limits.account', { userId: user.id });
    return {
      id: user.id, email: user.email, role: user.role, planId: account.plan.id, disabled: user.disabled,
      devicesUsed: account.devicesUsed, subscription: account.subscription,
    };
  }

  @Post('renew')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionDto })
  async renew(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: RenewDto): Promise<SubscriptionView> {
    const { id: userId } = await this.user(id);
    return this.commands.request('limits.subscription.renew', { actorId: admin.userId, userId, days: body.days });
  }

  @Post('top-up')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionDto })
  async topUp(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: TopUpDto): Promise<SubscriptionView> {
    const { id: userId } = await this.user(id);
    return this.commands.request('limits.subscription.top-up', { actorId: admin.userId, userId, bytes: body.bytes });
  }

  @Post('reset-usage')
  @Admin()
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionDto })
  async resetUsage(@CurrentUser() admin: Principal, @Param('id') id: string): Promise<SubscriptionView> {
    const { id: userId } = await this.user(id);
    return this.commands.request('limits.subscription.reset-usage', { actorId: admin.userId, userId });
  }

  /** The user from auth (billing knows accounts, not users): an unknown id is 404. */
  private async user(id: string): Promise<CommandReply<'auth.users.get'>> {
    if (!isUuid(id)) throw new DomainError(CommonErrorCode.NOT_FOUND, 'user not found');
    return this.commands.request('auth.users.get', { userId: id });
  }
}
