import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A login attempt, recorded before the password is checked so concurrent attempts count at once;
 * kept as a failure unless the password was right. Shared through the database, so every replica
 * of the auth service sees the same per-account and per-address counts.
 */
@Entity({ schema: 'auth', name: 'login_attempts' })
@Index('login_attempts_account_idx', ['account', 'at'])
@Index('login_attempts_ip_idx', ['ip', 'at'])
export class LoginAttemptEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** lower(email) as typed at login; the account need not exist. */
  @Column('text')
  account: string;

  @Column('text')
  ip: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'boolean', default: false })
  succeeded: boolean;
}
