import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event a consumer has handled; inserted in the handler's transaction so a redelivery has no effect. */
@Entity({ schema: 'messaging', name: 'inbox' })
export class InboxEntryEntity {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @CreateDateColumn({ name: 'handled_at', type: 'timestamptz' })
  handledAt: Date;
}
