import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BIGINT_NUMBER } from './bigint-number';

/** Usage history: what one subscription period used, written by the reset that closed it. */
@Entity({ schema: 'billing', name: 'usage_periods' })
export class UsagePeriodEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart: Date;

  /** Unique per user: a scheduled period is closed once, whichever replica gets there. */
  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd: Date;

  @Column({ name: 'used_bytes', type: 'bigint', transformer: BIGINT_NUMBER })
  usedBytes: number;

  /** `scheduled` (the calendar), `admin` (reset-usage) or `plan` (a new plan started). */
  @Column('text')
  reason: 'scheduled' | 'admin' | 'plan';
}
