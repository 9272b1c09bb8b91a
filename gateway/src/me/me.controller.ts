import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { CommonErrorCode, DomainError } from '@vpn/contracts';
import { CurrentUser, TokenStateCache, User, type Principal } from '../common';
import { MeDto } from './me.dto';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus, private readonly tokenState: TokenStateCache) {}

  @Get()
  @User()
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() principal: Principal): Promise<MeDto> {
    // The guard has just loaded the caller's state (email, role) into the short cache: no second auth call.
    const [state, account] = await Promise.all([
      this.tokenState.get(principal.userId),
      this.commands.request('limits.account', { userId: principal.userId }),
    ]);
    if (!state) throw new DomainError(CommonErrorCode.UNAUTHORIZED, 'token revoked');
    return { id: principal.userId, email: state.email, role: state.role, plan: account.plan, devicesUsed: account.devicesUsed };
  }
}
