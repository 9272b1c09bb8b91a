import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A usage batch already counted: its id is recorded in the transaction that counted it. */
@Entity({ schema: 'billing', name: 'usage_batches' })
export class UsageBatchEntity {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
