import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

// Shapes and types only: the provisioning service parses every value into its domain type
// (host, endpoint, interface, pool, DNS, host key) and answers VALIDATION_FAILED naming the field.
export class RegisterServerDto {
  @ApiProperty({ example: 'Frankfurt 1' }) @IsString() @MaxLength(64) name: string;
  @ApiPropertyOptional({ example: 'Frankfurt, DE' }) @IsOptional() @IsString() @MaxLength(64) location?: string;
  @ApiProperty({ example: '203.0.113.10', description: 'SSH host (IP or DNS name)' }) @IsString() @MaxLength(253) host: string;
  @ApiPropertyOptional({ default: 22 }) @IsOptional() @IsInt() @Min(1) @Max(65535) sshPort?: number;
  @ApiPropertyOptional({ default: 'root' }) @IsOptional() @IsString() @MaxLength(32) sshUser?: string;
  @ApiPropertyOptional({ description: 'pin: an OpenSSH public key line or a SHA256: fingerprint; absent: the key seen now is pinned' })
  @IsOptional() @IsString() @MaxLength(8192) sshHostKey?: string;
  @ApiProperty({ example: 'vpn.example.com:51820', description: 'what clients connect to, host:port' }) @IsString() @MaxLength(300) endpoint: string;
  @ApiPropertyOptional({ default: 'wg0' }) @IsOptional() @IsString() @MaxLength(15) interface?: string;
  @ApiProperty({ example: '10.8.0.0/24', description: 'the first host is the server; clients get the rest' }) @IsString() @MaxLength(64) addressPool: string;
  @ApiPropertyOptional({ type: [String], example: ['1.1.1.1'] }) @IsOptional() @IsArray() @ArrayMaxSize(4) @IsString({ each: true }) dns?: string[];
}

export class UpdateServerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) location?: string;
  @ApiPropertyOptional({ description: 'no new configs while true' }) @IsOptional() @IsBoolean() maintenance?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(4) @IsString({ each: true }) dns?: string[];
  @ApiPropertyOptional({ description: 're-pin after a legitimate host key change (as POST /admin/servers/{id}/host-key)' })
  @IsOptional() @IsString() @MaxLength(8192) sshHostKey?: string;
}

export class PinHostKeyDto {
  @ApiProperty({ description: 'the new pin: an OpenSSH public key line or a SHA256: fingerprint; taken once the server shows it with its registered interface' })
  @IsString() @MaxLength(8192) sshHostKey: string;
}

export class ServerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() location: string;
  @ApiProperty() host: string;
  @ApiProperty() sshPort: number;
  @ApiProperty() sshUser: string;
  @ApiProperty() endpoint: string;
  @ApiProperty() interface: string;
  @ApiProperty() addressPool: string;
  @ApiProperty({ type: [String] }) dns: string[];
  @ApiProperty({ description: 'the interface public key read over SSH' }) publicKey: string;
  @ApiProperty() listenPort: number;
  @ApiProperty() maintenance: boolean;
  @ApiProperty() peerCount: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSyncAt: string | null;
  @ApiProperty() reachable: boolean;
}

export class SshKeyDto {
  @ApiProperty({ description: "the line to put in a server's authorized_keys" }) publicKey: string;
}
