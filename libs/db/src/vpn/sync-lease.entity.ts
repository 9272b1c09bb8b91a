import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Which sync replica reconciles a server now (`holder` until `expiresAt`) and when it is due next. */
@Entity({ schema: 'vpn', name: 'sync_leases' })
export class SyncLeaseEntity {
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column('text')
  holder: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'next_run_at', type: 'timestamptz' })
  nextRunAt: Date;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;
}
