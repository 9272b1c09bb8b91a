import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Bytes of one config in one hour (bigints as text). */
@Entity({ schema: 'vpn', name: 'usage_samples' })
export class UsageSampleEntity {
  @PrimaryColumn({ name: 'config_id', type: 'uuid' })
  configId: string;

  @PrimaryColumn({ type: 'timestamptz' })
  hour: Date;

  @Column({ name: 'rx_bytes', type: 'bigint' })
  rxBytes: string;

  @Column({ name: 'tx_bytes', type: 'bigint' })
  txBytes: string;
}
