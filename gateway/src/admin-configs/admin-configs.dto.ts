import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../common';
import { ConfigDto } from '../configs/configs.dto';

export class AdminConfigsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only the devices on this server' })
  @IsOptional()
  @IsUUID()
  serverId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'only this user’s devices' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class AdminConfigDto extends ConfigDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() userEmail: string;
}

export class AdminConfigPageDto {
  @ApiProperty({ type: AdminConfigDto, isArray: true }) items: AdminConfigDto[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' }) nextCursor: string | null;
}
