import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An address (unique per server) and a public key (unique) held from a create saga's first step on. */
@Entity({ schema: 'vpn', name: 'leases' })
export class LeaseEntity {
  @PrimaryColumn({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column('text')
  address: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
