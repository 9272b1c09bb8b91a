import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';

/** Namespace of the per-account advisory locks (the second key is hashtext of the account). */
const ATTEMPT_LOCK_NAMESPACE = 727_102;

/**
 * Login throttling shared through the database: every replica counts the same rows. An attempt is
 * recorded as a failure *before* the password is checked (under a per-account lock), so parallel
 * attempts cannot overrun the limit; a right password turns it into a success.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), 10 * 60_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** Records an attempt and returns its id, or null when the account or the address is over its limit. */
  async begin(email: string, ip: string): Promise<string | null> {
    const account = email.toLowerCase();
    const t = this.options.throttle;
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ATTEMPT_LOCK_NAMESPACE, account]);
      const [counts] = await m.query<Array<{ account_failures: number; ip_failures: number }>>(
        `SELECT
           (SELECT count(*)::int FROM auth.login_attempts
             WHERE account = $1 AND NOT succeeded AND at > now() - make_interval(secs => $3)) AS account_failures,
           (SELECT count(*)::int FROM auth.login_attempts
             WHERE ip = $2 AND NOT succeeded AND at > now() - make_interval(secs => $4)) AS ip_failures`,
        [account, ip, t.accountWindowSeconds, t.ipWindowSeconds]);
      if (counts.account_failures >= t.accountMaxFailures || counts.ip_failures >= t.ipMaxFailures) {
        await appendEvent(m, 'auth.login.failed', { email, ip, reason: 'throttled' }, { subject: null });
        return null;
      }
      const id = randomUUID();
      await m.query(`INSERT INTO auth.login_attempts (id, account, ip, at, succeeded) VALUES ($1, $2, $3, now(), false)`, [id, account, ip]);
      return id;
    });
  }

  async succeeded(attemptId: string): Promise<void> {
    await this.ds.query(`UPDATE auth.login_attempts SET succeeded = true WHERE id = $1`, [attemptId]);
  }

  private async sweep(): Promise<void> {
    const keep = Math.max(this.options.throttle.accountWindowSeconds, this.options.throttle.ipWindowSeconds);
    await this.ds.query(`DELETE FROM auth.login_attempts WHERE at < now() - make_interval(secs => $1)`, [keep]);
  }
}
