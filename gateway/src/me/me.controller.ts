import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { CurrentUser, User, type Principal } from '../common';
import { MeDto } from './me.dto';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @User()
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() principal: Principal): Promise<MeDto> {
    const [user, account] = await Promise.all([
      this.commands.request('auth.users.get', { userId: principal.userId }),
      this.commands.request('limits.account', { userId: principal.userId }),
    ]);
    return { id: user.id, email: user.email, role: user.role, plan: account.plan, devicesUsed: account.devicesUsed };
  }
}
