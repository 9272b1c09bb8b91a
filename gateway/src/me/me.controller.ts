import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CommandBus } from '@vpn/messaging';
import { CommonErrorCode, DomainError } from '@vpn/contracts';
import { CurrentUser, ErrorResponseDto, TokenStateCache, User, type Principal } from '../common';
import { clearRefreshCookie } from '../auth/refresh-cookie';
import { ChangePasswordDto, MeDto, RecoveryCodesDto, TotpCodeDto, TotpEnrolmentDto } from './me.dto';
import { sessionOf } from './session-of';

/** The signed-in user's own account: profile, password, TOTP, sessions. */
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
    return {
      id: principal.userId, email: state.email, role: state.accountRole, plan: account.plan, devicesUsed: account.devicesUsed, subscription: account.subscription,
      totpEnabled: state.totpEnabled, adminNeedsTotp: state.accountRole !== state.role,
    };
  }

  @Post('password')
  @User()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'changed; every other session of the account ends, this one keeps working' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS (wrong current password), WEAK_PASSWORD' })
  async changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.commands.request('auth.password.change', {
      userId: principal.userId, sessionId: sessionOf(req), currentPassword: body.currentPassword, newPassword: body.newPassword,
    });
    this.tokenState.invalidate(principal.userId);
  }

  @Post('totp')
  @User()
  @HttpCode(200)
  @ApiOkResponse({ type: TotpEnrolmentDto, description: 'a new secret, not active until confirmed with a code' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONFLICT: TOTP is on already' })
  enrolTotp(@CurrentUser() principal: Principal): Promise<TotpEnrolmentDto> {
    return this.commands.request('auth.totp.enrol', { userId: principal.userId });
  }

  @Post('totp/confirm')
  @User()
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesDto, description: 'TOTP is on; the ten recovery codes are shown this once' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'INVALID_TOTP' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONFLICT: no enrolment pending' })
  async confirmTotp(@CurrentUser() principal: Principal, @Body() body: TotpCodeDto): Promise<RecoveryCodesDto> {
    const reply = await this.commands.request('auth.totp.confirm', { userId: principal.userId, code: body.code });
    this.tokenState.invalidate(principal.userId);
    return reply;
  }

  @Delete('totp')
  @User()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'TOTP is off and the recovery codes are gone' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'INVALID_TOTP' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CONFLICT: TOTP is not on' })
  async disableTotp(@CurrentUser() principal: Principal, @Body() body: TotpCodeDto): Promise<void> {
    await this.commands.request('auth.totp.disable', { userId: principal.userId, code: body.code });
    this.tokenState.invalidate(principal.userId);
  }

  @Post('sessions/revoke')
  @User()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'sign out everywhere: every session ends, this one too' })
  async revokeAllSessions(@CurrentUser() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.commands.request('auth.sessions.revoke-all', { userId: principal.userId });
    this.tokenState.invalidate(principal.userId);
    clearRefreshCookie(req, res);
  }
}
