import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_NUMBER } from './bigint-number';
import type { PlanResetStrategy } from './plan.entity';

export type SubscriptionStatusValue = 'ACTIVE' | 'ON_HOLD' | 'LIMITED' | 'EXPIRED' | 'DISABLED';

/**
 * A user's subscription: the terms of their plan when it was assigned (copied, so a later plan edit
 * does not move anyone's expiry), the usage of the current period and the stored status, which the
 * device-slot reservation reads in its one statement.
 */
@Entity({ schema: 'billing', name: 'subscriptions' })
export class SubscriptionEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column('text')
  status: SubscriptionStatusValue;

  /** Waiting for the first handshake (the plan starts on first connect). */
  @Column({ name: 'on_hold', type: 'boolean' })
  onHold: boolean;

  /** The account is disabled in auth (learned from `user.updated`). */
  @Column({ name: 'account_disabled', type: 'boolean' })
  accountDisabled: boolean;

  /** When this subscription was started (plan assigned): only a newer handshake activates it. */
  @Column({ name: 'subscribed_at', type: 'timestamptz' })
  subscribedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** The plan's duration, kept for the start of an on-hold subscription. */
  @Column({ name: 'duration_days', type: 'int', nullable: true })
  durationDays: number | null;

  @Column({ name: 'data_limit_bytes', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  dataLimitBytes: number | null;

  @Column({ name: 'used_bytes', type: 'bigint', transformer: BIGINT_NUMBER })
  usedBytes: number;

  @Column({ name: 'lifetime_used_bytes', type: 'bigint', transformer: BIGINT_NUMBER })
  lifetimeUsedBytes: number;

  @Column({ name: 'reset_strategy', type: 'text' })
  resetStrategy: PlanResetStrategy;

  @Column({ name: 'last_reset_at', type: 'timestamptz', nullable: true })
  lastResetAt: Date | null;

  @Column({ name: 'next_reset_at', type: 'timestamptz', nullable: true })
  nextResetAt: Date | null;
}
