import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse, ApiCreatedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthErrorCode, DomainError } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { ErrorResponseDto, Public, TokenStateCache } from '../common';
import { RateLimited } from './auth-rate-limits';
import { LoginDto, LoginResponseDto, PasswordResetConfirmDto, PasswordResetRequestDto, RefreshResponseDto, RegisterDto, RegisterResponseDto } from './auth.dto';
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie, REFRESH_COOKIE } from './refresh-cookie';

@ApiTags('auth')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus, private readonly tokenState: TokenStateCache) {}

  @Post('register')
  @Public()
  @RateLimited('register')
  @HttpCode(201)
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'WEAK_PASSWORD, VALIDATION_FAILED' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'EMAIL_TAKEN' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS: too many registrations from this address' })
  register(@Body() body: RegisterDto): Promise<RegisterResponseDto> {
    return this.commands.request('auth.register', { email: body.email, password: body.password });
  }

  @Post('login')
  @Public()
  @RateLimited('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto, description: 'also sets the httpOnly refresh cookie' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS; TOTP_REQUIRED (TOTP on, no `totp`); INVALID_TOTP (wrong, replayed or used code)' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS' })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    const r = await this.commands.request('auth.login', {
      email: body.email, password: body.password, ip: req.ip ?? 'unknown', ...(body.totp !== undefined ? { totp: body.totp } : {}),
    });
    setRefreshCookie(req, res, r.refreshToken, r.refreshExpiresAt);
    return { accessToken: r.accessToken, expiresIn: r.expiresIn, user: r.user };
  }

  @Post('refresh')
  @Public()
  @RateLimited('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOkResponse({ type: RefreshResponseDto, description: 'rotates the refresh cookie' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'missing, expired, revoked or reused refresh token (reuse revokes the family)' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RefreshResponseDto> {
    const token = refreshCookieOf(req);
    if (!token) throw new DomainError(AuthErrorCode.INVALID_REFRESH_TOKEN, 'no refresh token');
    try {
      const r = await this.commands.request('auth.refresh', { refreshToken: token });
      setRefreshCookie(req, res, r.refreshToken, r.refreshExpiresAt);
      return { accessToken: r.accessToken, expiresIn: r.expiresIn };
    } catch (e) {
      if (e instanceof DomainError && e.code === AuthErrorCode.INVALID_REFRESH_TOKEN) clearRefreshCookie(req, res);
      throw e;
    }
  }

  @Post('password-reset')
  @Public()
  @RateLimited('passwordReset')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'always, whether or not the email has an account; a mail with a one-time link (30 min) goes to an existing one' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'TOO_MANY_ATTEMPTS' })
  async requestPasswordReset(@Body() body: PasswordResetRequestDto): Promise<void> {
    await this.commands.request('auth.password-reset.request', { email: body.email });
  }

  @Post('password-reset/confirm')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the password is changed and every session of the account ends' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'INVALID_TOKEN (unknown, used or expired link); WEAK_PASSWORD' })
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    const { userId } = await this.commands.request('auth.password-reset.confirm', { token: body.token, newPassword: body.newPassword });
    this.tokenState.invalidate(userId);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiNoContentResponse({ description: 'the refresh-token family is revoked and the cookie cleared' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = refreshCookieOf(req);
    if (token) await this.commands.request('auth.logout', { refreshToken: token });
    clearRefreshCookie(req, res);
  }
}
