import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type UserRole = 'admin' | 'user';

/** An account. Email is unique case-insensitively (unique index on lower(email)); kept as typed. */
@Entity({ schema: 'auth', name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  /** PHC string of an argon2id hash. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column('text')
  role: UserRole;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Bumped when role, password or disabled change: access tokens carrying an older version are stale. */
  @Column({ name: 'token_version', type: 'int', default: 1 })
  tokenVersion: number;

  /** Base32 TOTP secret: pending while `totpEnabled` is false, active once a code confirmed it. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_enabled', type: 'boolean', default: false })
  totpEnabled: boolean;

  /** The last TOTP time step that signed in or confirmed: a code of this step or earlier is a replay. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  totpLastStep: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
