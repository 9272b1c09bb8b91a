import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
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
}

