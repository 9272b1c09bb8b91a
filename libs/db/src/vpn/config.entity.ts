import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type VpnConfigStatus = 'active' | 'suspended';

/** A device's config: written only once its server has the peer. Its id is its saga's and lease's. */
@Entity({ schema: 'vpn', name: 'configs' })
export class ConfigEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column('text')
  name: string;

  @Column('text')
  address: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column('text')
  status: VpnConfigStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
