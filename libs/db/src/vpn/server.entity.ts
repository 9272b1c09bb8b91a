import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A registered WireGuard server (provisioning's). `version` is bumped by a trigger (migration 0008). */
@Entity({ schema: 'vpn', name: 'servers' })
export class ServerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  location: string;

  @Column('text')
  host: string;

  @Column({ name: 'ssh_port', type: 'int' })
  sshPort: number;

  @Column({ name: 'ssh_user', type: 'text' })
  sshUser: string;

  @Column({ name: 'ssh_host_key', type: 'text' })
  sshHostKey: string;

  @Column('text')
  endpoint: string;

  @Column('text')
  interface: string;

  @Column({ name: 'address_pool', type: 'text' })
  addressPool: string;

  @Column('text', { array: true })
  dns: string[];

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column({ name: 'listen_port', type: 'int' })
  listenPort: number;

  @Column('boolean')
  maintenance: boolean;

  /** bigint as text: changes whenever a value a provisioner acts on changes. */
  @Column({ type: 'bigint', insert: false, update: false })
  version: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
