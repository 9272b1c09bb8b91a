import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AuthErrorCode, DomainError } from '@vpn/contracts';
import { DataSource } from '@vpn/db';
import { appendEvent } from '@vpn/messaging';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';

/** Namespace of the per-key advisory locks (the second key is hashtext of the throttle key). */
const ATTEMPT_LOCK_NAMESPACE = 727_102;

/** A login attempt that got its turn; `succeeded` undoes the failure it was counted as. */
export interface LoginTurn {
  pairKey: string;
  sourceKey: string;
}

/** The delay after the n-th failure of a key: none for the free ones, then doubling up to the cap. */
export function delayAfter(failures: number, free: number, baseMs: number, maxMs: number): number {
  if (failures <= free) return 0;
  return Math.min(baseMs * 2 ** Math.min(failures - free - 1, 30), maxMs);
}

/**
 * Login slow-down shared through the database, so every replica sees the same state. Failures are
 * counted per account + source address and per source address; past the free ones, each further
 * attempt of that key takes a turn a growing delay after the previous one and waits for it. Only
 * attempts queued deeper than `maxWaitMs` are refused (429), and only for the failing key: an
 * address that has not been failing is never slowed down, whatever happens to the account elsewhere.
 * An attempt counts as a failure from its start (under the key's lock), so parallel attempts are
 * spaced out too; a right password undoes its count.
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

  /** Waits for the attempt's turn, or refuses with TOO_MANY_ATTEMPTS when the turn is too far away. */
  async begin(email: string, source: string): Promise<LoginTurn> {
    const t = this.options.throttle;
    const turn: LoginTurn = { pairKey: `a:${email.toLowerCase()}|${source}`, sourceKey: `s:${source}` };
    const keys = [{ key: turn.pairKey, free: t.pairFreeFailures }, { key: turn.sourceKey, free: t.sourceFreeFailures }]
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const waitMs = await this.ds.transaction(async (m) => {
      const now = Date.now();
      await m.query(`SELECT pg_advisory_xact_lock($1, hashtext(k)) FROM unnest($2::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i`,
        [ATTEMPT_LOCK_NAMESPACE, keys.map((k) => k.key)]);
      const rows = await m.query<Array<{ key: string; failures: number; last_failure_at: Date; next_attempt_at: Date }>>(
        `SELECT key, failures, last_failure_at, next_attempt_at FROM auth.login_failures WHERE key = ANY($1::text[])`, [keys.map((k) => k.key)]);
      const live = new Map(rows.filter((r) => r.last_failure_at.getTime() > now - t.windowSeconds * 1000).map((r) => [r.key, r]));
      const slot = Math.max(now, ...keys.map((k) => live.get(k.key)?.next_attempt_at.getTime() ?? now));
      if (slot - now > t.maxWaitMs) {
        await appendEvent(m, 'auth.login.failed', { email, ip: source, reason: 'throttled' }, { subject: null });
        return null;
      }
      const failures = keys.map((k) => (live.get(k.key)?.failures ?? 0) + 1);
      const next = keys.map((k, i) => new Date(slot + delayAfter(failures[i], k.free, t.baseDelayMs, t.maxDelayMs)));
      await m.query(
        `INSERT INTO auth.login_failures (key, failures, last_failure_at, next_attempt_at)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[])
         ON CONFLICT (key) DO UPDATE SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at, next_attempt_at = EXCLUDED.next_attempt_at`,
        [keys.map((k) => k.key), failures, keys.map(() => new Date(now)), next]);
      return slot - now;
    });
    if (waitMs === null) throw new DomainError(AuthErrorCode.TOO_MANY_ATTEMPTS, 'too many failed login attempts; try again later');
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    return turn;
  }

  /** A right password: the account + address pair starts over, and the address's count loses this attempt. */
  async succeeded(turn: LoginTurn): Promise<void> {
    await this.ds.query(
      `WITH gone AS (DELETE FROM auth.login_failures WHERE key = $1)
       UPDATE auth.login_failures SET failures = greatest(failures - 1, 0) WHERE key = $2`, [turn.pairKey, turn.sourceKey]);
  }

  private async sweep(): Promise<void> {
    await this.ds.query(`DELETE FROM auth.login_failures WHERE last_failure_at < now() - make_interval(secs => $1)`, [this.options.throttle.windowSeconds]);
  }
}
