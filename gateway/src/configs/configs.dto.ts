import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { ConfigStatus } from '@vpn/contracts';

export const CONFIG_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

export class CreateConfigDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @MaxLength(64)
  serverId: string;

  @ApiProperty({ minLength: 1, maxLength: 64, example: 'My laptop', description: 'letters, digits, space, ".", "_", "-"' })
  @IsString()
  @Matches(CONFIG_NAME, { message: 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"' })
  name: string;

  @ApiPropertyOptional({
    description: 'the client-made public key (base64 of 32 bytes); without it the server makes the pair, returns the private key once in `conf`, and forgets it',
    example: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  publicKey?: string;
}

export class ConfigDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'uuid' }) serverId: string;
  @ApiProperty() serverName: string;
  @ApiProperty({ example: '10.8.0.2/32' }) address: string;
  @ApiProperty() publicKey: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status: ConfigStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastHandshakeAt: string | null;
  @ApiProperty() rxBytes: number;
  @ApiProperty() txBytes: number;
}

export class CreatedConfigDto {
  @ApiProperty({ type: ConfigDto }) config: ConfigDto;
  @ApiProperty({ description: 'a complete wg-quick file; has a PrivateKey line only when the server made the key (shown once)' }) conf: string;
}

export class UsageSampleDto {
  @ApiProperty({ format: 'date-time', description: 'start of the hour' }) at: string;
  @ApiProperty() rxBytes: number;
  @ApiProperty() txBytes: number;
}
