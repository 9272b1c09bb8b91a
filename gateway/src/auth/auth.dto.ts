import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
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
