import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '@vpn/contracts';

export class PlanDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'free' })
  name: string;

  @ApiProperty({ example: 3 })
  maxDevices: number;
}

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
}
