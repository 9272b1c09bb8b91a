import type { ThrottlerStorage } from '@nestjs/throttler';
import type { CommandBus } from '@vpn/messaging';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * `@nestjs/throttler` storage shared by every gateway replica: each hit is one `auth.throttle.hit`
 * on the bus, counted in the auth service's database (the gateway holds no database connection).
 */
export class BusThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly commands: CommandBus) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    return this.commands.request('auth.throttle.hit', { key, ttlMs: ttl, limit, blockDurationMs: blockDuration }, { timeoutMs: 3_000 });
  }
}
