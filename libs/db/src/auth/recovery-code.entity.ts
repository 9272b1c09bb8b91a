import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One TOTP recovery code of a user, stored as its sha256; `usedAt` set the one time it signs in. */
@Entity({ schema: 'auth', name: 'recovery_codes' })
@Index('recovery_codes_user_hash_key', ['userId', 'codeHash'], { unique: true })
export class RecoveryCodeEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
