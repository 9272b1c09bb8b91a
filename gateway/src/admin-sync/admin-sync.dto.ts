import { ApiProperty } from '@nestjs/swagger';

export class SyncReportDto {
  @ApiProperty({ format: 'uuid' }) serverId: string;
  @ApiProperty({ description: 'peers re-added (active configs missing from the interface)' }) added: number;
  @ApiProperty({ description: 'peers removed (not in the database and not in a live saga, or suspended)' }) removed: number;
  @ApiProperty({ description: 'peers whose allowed-ips were repaired' }) updated: number;
  @ApiProperty({ description: 'peers already as the database has them' }) unchanged: number;
  @ApiProperty() durationMs: number;
}
