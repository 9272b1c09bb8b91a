import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Role } from '@vpn/contracts';

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty({ enum: ['admin', 'user'] })
  role: Role;

  @ApiProperty({ format: 'uuid' })
  planId: string;

  @ApiProperty()
  disabled: boolean;

  @ApiProperty()
  devicesUsed: number;
}

export class AdminUserPageDto {
  @ApiProperty({ type: AdminUserDto, isArray: true }) items: AdminUserDto[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  planId?: string;

  @ApiPropertyOptional({ enum: ['admin', 'user'] })
  @IsOptional()
  @IsIn(['admin', 'user'])
  role?: Role;

  @ApiPropertyOptional({ description: 'a disabled user cannot sign in; their tokens stop working within seconds' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'the subscription\'s expiry; null: never expires' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'expiresAt must be an ISO 8601 time or null' })
  expiresAt?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: 'the subscription\'s data limit; null: unlimited' })
  @IsOptional()
  @IsInt({ message: 'dataLimitBytes must be null or a non-negative integer' })
  @Min(0, { message: 'dataLimitBytes must be null or a non-negative integer' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'dataLimitBytes is too large' })
  dataLimitBytes?: number | null;
}

