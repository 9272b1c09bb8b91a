import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { SubscriptionDto } from '../plans/subscription.dto';
import { AdminUserDto } from './admin-users.dto';

export class AdminUserDetailDto extends AdminUserDto {
  @ApiProperty({ type: SubscriptionDto })
  subscription: SubscriptionDto;
}

export class RenewDto {
  @ApiProperty({ minimum: 1, maximum: 3650, description: 'before expiry the days extend expiresAt, after it they count from now' })
  @IsInt({ message: 'days must be an integer from 1 to 3650' }) @Min(1, { message: 'days must be an integer from 1 to 3650' }) @Max(3650, { message: 'days must be an integer from 1 to 3650' })
  days: number;
}

export class TopUpDto {
  @ApiProperty({ minimum: 1, description: 'raises dataLimitBytes by this many bytes' })
  @IsInt({ message: 'bytes must be an integer greater than 0' }) @Min(1, { message: 'bytes must be an integer greater than 0' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'bytes is too large' })
  bytes: number;
}
