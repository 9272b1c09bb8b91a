import { ApiProperty } from '@nestjs/swagger';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '@vpn/contracts';

/** A user's subscription (API.md §5). */
export class SubscriptionDto {
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, description: 'devices are on the servers only while ACTIVE or ON_HOLD' })
  status: SubscriptionStatus;

  @ApiProperty({ format: 'uuid' })
  planId: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while ON_HOLD' })
  startedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  expiresAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'null: unlimited' })
  dataLimitBytes: number | null;

  @ApiProperty({ description: 'rx + tx of all the user\'s devices since the last reset' })
  usedBytes: number;

  @ApiProperty({ description: 'never goes down' })
  lifetimeUsedBytes: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastResetAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: no reset scheduled' })
  nextResetAt: string | null;
}
