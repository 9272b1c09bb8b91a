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

  /** false: the user took the device off its server (key and address kept). */
  @Column('boolean')
  enabled: boolean;

  /** The client's DNS; null: the server's. */
  @Column({ type: 'text', array: true, nullable: true })
  dns: string[] | null;

  @Column({ type: 'int', nullable: true })
  mtu: number | null;

  /** What the client routes into the tunnel (its conf's [Peer] AllowedIPs). */
  @Column({ name: 'allowed_ips', type: 'text', array: true })
  allowedIps: string[];

  @Column({ name: 'persistent_keepalive', type: 'int', nullable: true })
  persistentKeepalive: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
