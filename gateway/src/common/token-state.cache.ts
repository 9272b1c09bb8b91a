import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';

export interface TokenState {
  tokenVersion: number;
  disabled: boolean;
  /** The role tokens carry (an admin without a required TOTP acts as a user); `accountRole` is the stored one. */
  role: Role;
  email: string;
  accountRole: Role;
  totpEnabled: boolean;
  /** Sessions (access-token `sid`) of the user that ended while their access tokens may still live. */
  endedSessions: string[];
}

/** How long a user's token state is trusted; revocations take effect within this time (≤ 30 s). */
export const TOKEN_STATE_TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/** A short cache of `auth.token-state` per user; concurrent misses for one user share one request. */
@Injectable()
export class TokenStateCache {
  private readonly entries = new Map<string, { state: TokenState | null; at: number }>();
  private readonly inflight = new Map<string, Promise<TokenState | null>>();
  ttlMs = TOKEN_STATE_TTL_MS;

  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  async get(userId: string): Promise<TokenState | null> {
    const hit = this.entries.get(userId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.state;
    let pending = this.inflight.get(userId);
    if (!pending) {
      pending = this.fetch(userId).finally(() => this.inflight.delete(userId));
      this.inflight.set(userId, pending);
    }
    return pending;
  }

  /** Forget a user at once (the gateway itself just changed them). */
  invalidate(userId: string): void {
    this.entries.delete(userId);
  }

  private async fetch(userId: string): Promise<TokenState | null> {
    const reply = await this.commands.request('auth.token-state', { userId }, { timeoutMs: 3_000 });
    const state = 'missing' in reply ? null : reply;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(userId);
    this.entries.set(userId, { state, at: Date.now() });
    return state;
  }
}
