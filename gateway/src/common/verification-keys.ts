import { createPublicKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JsonWebKeyLike } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';

/** The one algorithm access tokens are signed with (jsonwebtoken, under passport-jwt, has no EdDSA). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
/** An unknown kid triggers at most one key refetch per this many ms. */
const REFETCH_INTERVAL_MS = 5_000;

/**
 * The auth service's public keys by kid, with the issuer and audience its tokens carry: fetched over
 * the bus (`auth.verification-keys`), cached, and fetched again once when a token names an unknown
 * kid (a key rotation), at most every few seconds so garbage kids cannot flood the bus.
 */
@Injectable()
export class VerificationKeys {
  /** SPKI PEM by kid (the form passport-jwt hands to jsonwebtoken). */
  private keys = new Map<string, string>();
  private lastFetch = 0;
  private fetching: Promise<void> | null = null;
  issuer = '';
  audience = '';

  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  /** The key when it is known already: the common case costs no promise. */
  known(kid: string): string | undefined {
    return this.keys.get(kid);
  }

  async keyFor(kid: string): Promise<string | undefined> {
    const key = this.keys.get(kid);
    if (key) return key;
    if (this.keys.size === 0 || Date.now() - this.lastFetch >= REFETCH_INTERVAL_MS) {
      await this.refresh();
      return this.keys.get(kid);
    }
    return undefined;
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    const reply = await this.commands.request('auth.verification-keys', {}, { timeoutMs: 3_000 });
    this.lastFetch = Date.now();
    const keys = new Map<string, string>();
    for (const jwk of reply.keys) {
      const key = importEs256Key(jwk);
      if (key && jwk.kid) keys.set(jwk.kid, key);
    }
    this.keys = keys;
    this.issuer = reply.issuer;
    this.audience = reply.audience;
  }
}

/** A P-256 public JWK meant for ES256; anything else is ignored. */
function importEs256Key(jwk: JsonWebKeyLike): string | null {
  if (jwk.alg !== ACCESS_TOKEN_ALGORITHM || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) return null;
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}
