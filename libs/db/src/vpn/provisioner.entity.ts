import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A live provisioner process (its heartbeat); sagas of one that stopped beating are taken over. */
@Entity({ schema: 'vpn', name: 'provisioners' })
export class ProvisionerEntity {
  @PrimaryColumn('text')
  id: string;

  @Column({ name: 'heartbeat_at', type: 'timestamptz' })
  heartbeatAt: Date;
}
