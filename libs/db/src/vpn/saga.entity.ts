import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type SagaKind = 'create' | 'revoke' | 'disable' | 'enable' | 'rekey';
export type SagaState = 'PENDING' | 'DONE' | 'FAILED';

/** A running or finished saga of the vpn context; `step` is the last step its runner started. */
@Entity({ schema: 'vpn', name: 'sagas' })
export class SagaEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: SagaKind;

  @Column('text')
  state: SagaState;

  @Column({ type: 'text', nullable: true })
  step: string | null;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'server_id', type: 'uuid' })
  serverId: string;

  @Column({ name: 'config_id', type: 'uuid' })
  configId: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash: string | null;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'public_key', type: 'text' })
  publicKey: string;

  @Column('text')
  address: string;

  /** A re-key's old key: back on the server if the re-key is compensated. */
  @Column({ name: 'previous_public_key', type: 'text', nullable: true })
  previousPublicKey: string | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'slot_committed', type: 'boolean' })
  slotCommitted: boolean;

  /** The provisioner running it; recovery takes it over when that one stops beating. */
  @Column('text')
  owner: string;

  @Column('int')
  attempts: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
