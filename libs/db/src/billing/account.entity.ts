import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A user's billing account: which plan they are on. Created on first use with the default plan. */
@Entity({ schema: 'billing', name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
