import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type DeviceSlotStatus = 'reserved' | 'committed';

/**
 * One device slot of a user: `reserved` while a config is being made (until `expires_at`),
 * `committed` once the config exists. Used slots = committed + unexpired reservations.
 */
@Entity({ schema: 'billing', name: 'device_slots' })
export class DeviceSlotEntity {
  /** The reservation id (the saga's id). */
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column('text')
  status: DeviceSlotStatus;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
