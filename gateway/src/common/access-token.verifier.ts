import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommonErrorCode, DomainError, isUuid, type JsonWebKeyLike, type Role } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import type { Principal } from './access.decorators';
import { TokenStateCache } from './token-state.cache';

/** Only asymmetric algorithms: `none` and every HS* are refused before any key is looked at. */
export const ALLOWED_ALGORITHMS = ['EdDSA', 'RS256'] as const;
type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

interface VerificationKey {
  alg: AllowedAlgorithm;
  key: KeyObject;
}

const MAX_TOKEN_LENGTH = 4096;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** An unknown kid triggers at most one key refetch per this many ms. */
const REFETCH_INTERVAL_MS = 5_000;
/** Tolerated clock difference for iat/nbf (not for exp). */
const CLOCK_SKEW_SECONDS = 30;
/** Tokens whose signature and claims were checked, by their exact text (a signature check costs more than the rest of a request). */
const MAX_VERIFIED = 20_000;

interface VerifiedToken { sub: string; role: Role; ver: number; exp: number; kid: string }

const unauthorized = (why: string): DomainError => new DomainError(CommonErrorCode.UNAUTHORIZED, why);

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies access tokens locally with the auth service's public keys (fetched over the bus, cached,
 * refetched on an unknown kid), then checks the user's current token version through a short cache,
 * so disabled users and changed roles stop working within the cache TTL.
 */
@Injectable()
export class AccessTokenVerifier {
  private keys = new Map<string, VerificationKey>();
  private issuer = '';
  private audience = '';
  private lastFetch = 0;
  private fetching: Promise<void> | null = null;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    private readonly tokenState: TokenStateCache,
  ) {}

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw unauthorized('malformed token');
    const seen = this.verified.get(token);
    // The same bytes were verified before: only what can change since (expiry, key retired, user state) is checked again.
    if (seen && seen.exp > Date.now() / 1000 && this.keys.has(seen.kid)) return this.current(seen);
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) throw unauthorized('malformed token');
    const [h, p, s] = parts;
    const header = decodeJson(h);
    if (!header) throw unauthorized('malformed token');
    const alg = header.alg;
    if (typeof alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) throw unauthorized('token algorithm not allowed');
    if (typeof header.kid !== 'string') throw unauthorized('token has no key id');
    if (header.crit !== undefined) throw unauthorized('unsupported token header');
    const key = await this.keyFor(header.kid);
    if (!key || key.alg !== alg) throw unauthorized('unknown signing key');
    const signature = Buffer.from(s, 'base64url');
    const ok = verify(alg === 'EdDSA' ? null : 'sha256', Buffer.from(`${h}.${p}`), key.key, signature);
    if (!ok) throw unauthorized('bad token signature');

    const claims = decodeJson(p);
    if (!claims) throw unauthorized('malformed token');
    const now = Math.floor(Date.now() / 1000);
    const aud = claims.aud;
    if (claims.iss !== this.issuer) throw unauthorized('wrong token issuer');
    if (!(aud === this.audience || (Array.isArray(aud) && aud.includes(this.audience)))) throw unauthorized('wrong token audience');
    if (claims.typ !== 'access') throw unauthorized('not an access token');
    if (typeof claims.exp !== 'number' || claims.exp <= now) throw unauthorized('token expired');
    if (typeof claims.iat !== 'number' || claims.iat > now + CLOCK_SKEW_SECONDS) throw unauthorized('token issued in the future');
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + CLOCK_SKEW_SECONDS)) throw unauthorized('token not yet valid');
    const sub = claims.sub;
    const role = claims.role;
    const ver = claims.ver;
    if (typeof sub !== 'string' || !isUuid(sub)) throw unauthorized('malformed token subject');
    if (role !== 'admin' && role !== 'user') throw unauthorized('malformed token role');
    if (typeof ver !== 'number' || !Number.isInteger(ver)) throw unauthorized('malformed token version');

    const checked: VerifiedToken = { sub, role, ver, exp: claims.exp, kid: header.kid };
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, checked);
    return this.current(checked);
  }

  /** The token's user must still be enabled, with the same role and token version. */
  private async current(t: VerifiedToken): Promise<Principal> {
    const state = await this.tokenState.get(t.sub);
    if (!state || state.disabled || state.tokenVersion !== t.ver || state.role !== t.role) throw unauthorized('token revoked');
    return { userId: t.sub, role: t.role };
  }

  private async keyFor(kid: string): Promise<VerificationKey | undefined> {
    let key = this.keys.get(kid);
    if (key) return key;
    if (this.keys.size === 0 || Date.now() - this.lastFetch >= REFETCH_INTERVAL_MS) {
      await this.refreshKeys();
      key = this.keys.get(kid);
    }
    return key;
  }

  private refreshKeys(): Promise<void> {
    this.fetching ??= this.fetchKeys().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private async fetchKeys(): Promise<void> {
    const reply = await this.commands.request('auth.verification-keys', {}, { timeoutMs: 3_000 });
    this.lastFetch = Date.now();
    const keys = new Map<string, VerificationKey>();
    for (const jwk of reply.keys) {
      const parsed = importKey(jwk);
      if (parsed && jwk.kid) keys.set(jwk.kid, parsed);
    }
    this.keys = keys;
    this.issuer = reply.issuer;
    this.audience = reply.audience;
  }
}

function importKey(jwk: JsonWebKeyLike): VerificationKey | null {
  const alg = jwk.alg;
  if (alg === 'EdDSA' && jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { alg, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }) };
  }
  if (alg === 'RS256' && jwk.kty === 'RSA') {
    return { alg, key: createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }) };
  }
  return null;
}
