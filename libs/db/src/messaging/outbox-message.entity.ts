import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An event written in the same transaction as the change it describes; the relay publishes it. */
@Entity({ schema: 'messaging', name: 'outbox' })
@Index('outbox_unpublished_idx', ['seq'], { where: 'published_at IS NULL' })
export class OutboxMessageEntity {
  /** The event id; also the JetStream `Nats-Msg-Id`, so a re-publish is dropped as a duplicate. */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'increment', insert: false })
  seq: string;

  @Column('text')
  type: string;

  @Column('jsonb')
  envelope: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;
}
