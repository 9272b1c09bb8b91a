import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A peer that must leave a server that could not be changed when its config was revoked. */
@Entity({ schema: 'vpn', name: 'pending_peer_removals' })
export class PendingPeerRemovalEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column({ name: 'config_id', type: 'uuid' })
  configId: string;

  @Column('text')
  reason: 'revoked';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
