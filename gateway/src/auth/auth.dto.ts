import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Role } from '@vpn/contracts';

export class RegisterDto {
  @ApiProperty({ example: 'alice@example.com', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  @IsEmail({ require_tld: false, allow_utf8_local_part: true })
  email: string;

  /** Used exactly as typed: no trimming or normalization. The policy (length, email, common list) answers 400 WEAK_PASSWORD. */
  @ApiProperty({ minLength: 10, maxLength: 256, example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'alice@example.com' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(1024)
  password: string;

  /** Accounts with TOTP on: the 6-digit code of the authenticator app, or one of the recovery codes. */
  @ApiPropertyOptional({ example: '123456', description: 'TOTP code or a recovery code; without it an account with TOTP answers 401 TOTP_REQUIRED' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  totp?: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'alice@example.com' })
  @IsString()
  @MaxLength(254)
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'the token of the mailed link' })
  @IsString()
  @MaxLength(256)
  token: string;

  @ApiProperty({ minLength: 10, maxLength: 256 })
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty({ enum: ['admin', 'user'] })
  role: Role;
}

export class RegisterResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class RefreshResponseDto {
  @ApiProperty({ description: 'JWT, send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ description: 'seconds until the access token expires', example: 900 })
  expiresIn: number;
}

export class LoginResponseDto extends RefreshResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}
