import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { ConfigStatus } from '@vpn/contracts';

export const CONFIG_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

/** A device's own client options; shapes here, values parsed by provisioning (one parser per field). */
export class DeviceOptionsDto {
  @ApiPropertyOptional({ type: [String], nullable: true, example: ['1.1.1.1'], description: "the client's DNS servers; null or absent: the server's" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  dns?: string[] | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1280, maximum: 1500, description: 'null: no MTU line' })
  @IsOptional()
  @IsInt()
  mtu?: number | null;

  @ApiPropertyOptional({ type: [String], example: ['10.0.0.0/8', '192.168.0.0/16'], description: "what the client routes into the tunnel (networks); default ['0.0.0.0/0', '::/0']" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  allowedIps?: string[];

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 65535, description: 'seconds; default 25; null: no line' })
  @IsOptional()
  @IsInt()
  persistentKeepalive?: number | null;
}

export class CreateConfigDto extends DeviceOptionsDto {
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

export class UpdateConfigDto extends DeviceOptionsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Matches(CONFIG_NAME, { message: 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"' })
  name?: string;

  @ApiPropertyOptional({ description: 'false takes the peer off the server before the answer; true puts it back (same key and address)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class RekeyConfigDto {
  @ApiPropertyOptional({ description: 'the new client-made public key; without it the pair is made here and the private key is in `conf` once' })
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
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: [String], nullable: true }) dns: string[] | null;
  @ApiProperty({ type: Number, nullable: true }) mtu: number | null;
  @ApiProperty({ type: [String] }) allowedIps: string[];
  @ApiProperty({ type: Number, nullable: true }) persistentKeepalive: number | null;
  @ApiProperty({ description: 'a handshake in the last 180 s' }) connected: boolean;
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
