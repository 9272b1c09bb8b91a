import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Sync's read model of a server: whether its last run reached it and when it last succeeded. */
@Entity({ schema: 'vpn', name: 'server_sync_state' })
export class ServerSyncStateEntity {
  @PrimaryColumn({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column('boolean')
  reachable: boolean;

  @Column({ name: 'last_sync_at', type: 'timestamptz', nullable: true })
  lastSyncAt: Date | null;
}
