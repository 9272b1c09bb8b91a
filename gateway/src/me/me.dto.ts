import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { Role } from '@vpn/contracts';
import { PlanDto } from '../plans/plans.controller';
import { SubscriptionDto } from '../plans/subscription.dto';

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty({ enum: ['admin', 'user'] })
  role: Role;

  @ApiProperty({ type: PlanDto })
  plan: PlanDto;

  @ApiProperty({ description: 'device slots in use (configs and live reservations)' })
  devicesUsed: number;

  @ApiProperty({ type: SubscriptionDto })
  subscription: SubscriptionDto;

  @ApiProperty({ description: 'sign-in asks for a TOTP code' })
  totpEnabled: boolean;

  @ApiProperty({ description: 'an admin whose admin rights wait for TOTP enrolment (REQUIRE_ADMIN_TOTP=true): admin routes answer 403 until then' })
  adminNeedsTotp: boolean;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  /** Used exactly as typed; the policy (10–256 characters, not the email, not common) answers 400 WEAK_PASSWORD. */
  @ApiProperty({ minLength: 10, maxLength: 256 })
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456', description: 'the 6-digit code of the authenticator app (disabling also takes a recovery code)' })
  @IsString()
  @MaxLength(64)
  code: string;
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'base32 secret, for typing into an authenticator app' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/WireGuard%20VPN:alice%40example.com?secret=…&issuer=WireGuard%20VPN' })
  otpauthUrl: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'ten single-use codes, shown this once' })
  recoveryCodes: string[];
}
