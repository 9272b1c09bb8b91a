import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BIGINT_NUMBER } from './bigint-number';

export type PlanResetStrategy = 'NO_RESET' | 'DAY' | 'WEEK' | 'MONTH' | 'MONTH_ROLLING' | 'YEAR';

@Entity({ schema: 'billing', name: 'plans' })
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column({ name: 'max_devices', type: 'int' })
  maxDevices: number;

  /** null: unlimited traffic. */
  @Column({ name: 'data_limit_bytes', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  dataLimitBytes: number | null;

  /** null: the subscription never expires. */
  @Column({ name: 'duration_days', type: 'int', nullable: true })
  durationDays: number | null;

  @Column({ name: 'reset_strategy', type: 'text', default: 'NO_RESET' })
  resetStrategy: PlanResetStrategy;

  @Column({ name: 'start_on_first_connect', type: 'boolean', default: false })
  startOnFirstConnect: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
