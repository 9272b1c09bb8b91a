import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One domain event in the audit log, keyed by its event id (a redelivery changes nothing). */
@Entity({ schema: 'audit', name: 'audit_log' })
export class AuditEntryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column('jsonb')
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
