import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Sync's usage totals of a config: never go down across interface restarts (bigints as text). */
@Entity({ schema: 'vpn', name: 'peer_stats' })
export class PeerStatsEntity {
  @PrimaryColumn({ name: 'config_id', type: 'uuid' })
  configId: string;

  @Column({ name: 'rx_total', type: 'bigint' })
  rxTotal: string;

  @Column({ name: 'tx_total', type: 'bigint' })
  txTotal: string;

  @Column({ name: 'last_rx', type: 'bigint' })
  lastRx: string;

  @Column({ name: 'last_tx', type: 'bigint' })
  lastTx: string;

  @Column({ name: 'last_handshake_at', type: 'timestamptz', nullable: true })
  lastHandshakeAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
