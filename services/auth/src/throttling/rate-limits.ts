import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommonErrorCode, DomainError, type CommandReply, type CommandRequest } from '@vpn/contracts';
import { DataSource } from '@vpn/db';

const MAX_KEY_LENGTH = 200;
const MAX_MS = 7 * 86_400_000;

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/**
 * The counters behind every gateway replica's HTTP rate limits (`@nestjs/throttler`'s storage, over
 * the bus): a fixed window per key; a hit past the limit blocks the key for `blockDurationMs`, and
 * hits while blocked are not counted. One statement per hit, so replicas never race.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), 10 * 60_000);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async hit(req: CommandRequest<'auth.throttle.hit'>): Promise<CommandReply<'auth.throttle.hit'>> {
    const { key, ttlMs, limit, blockDurationMs } = req;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || !isCount(ttlMs, MAX_MS) || ttlMs === 0
      || !isCount(limit, 1_000_000_000) || !isCount(blockDurationMs, MAX_MS)) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'malformed rate-limit hit');
    }
    const [row] = await this.ds.query<Array<{ hits: number; window_ms: number; blocked_ms: number | null }>>(
      `INSERT INTO auth.rate_limits AS r (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0), CASE WHEN 1 > $3 THEN now() + make_interval(secs => $4 / 1000.0) END)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.blocked_until > now() THEN r.hits WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() AND NOT coalesce(r.blocked_until > now(), false) THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END,
         blocked_until = CASE
           WHEN r.blocked_until > now() THEN r.blocked_until
           WHEN (CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END) > $3 THEN now() + make_interval(secs => $4 / 1000.0)
         END
       RETURNING hits,
         (extract(epoch FROM window_ends_at - now()) * 1000)::float8 AS window_ms,
         (extract(epoch FROM blocked_until - now()) * 1000)::float8 AS blocked_ms`,
      [key, ttlMs, limit, blockDurationMs]);
    const isBlocked = row.blocked_ms !== null && row.blocked_ms > 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil(row.window_ms / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((row.blocked_ms as number) / 1000) : 0,
    };
  }

  private async sweep(): Promise<void> {
    await this.ds.query(`DELETE FROM auth.rate_limits WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`);
  }
}
