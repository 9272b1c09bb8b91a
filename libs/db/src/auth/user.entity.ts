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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
