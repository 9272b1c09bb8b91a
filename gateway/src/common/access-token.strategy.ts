import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { CommonErrorCode, DomainError, isUuid } from '@vpn/contracts';
import type { Principal } from './access.decorators';
import { TokenStateCache } from './token-state.cache';
import { ACCESS_TOKEN_ALGORITHM, VerificationKeys } from './verification-keys';

/** The passport strategy name the access guard authenticates with. */
export const ACCESS_TOKEN_STRATEGY = 'access-token';

const MAX_TOKEN_LENGTH = 4096;
/** Tolerated clock difference between auth and gateway for iat/nbf/exp. */
const CLOCK_SKEW_SECONDS = 30;

export const unauthorized = (why: string): DomainError => new DomainError(CommonErrorCode.UNAUTHORIZED, why);

/** The token of `Authorization: Bearer <token>`, or null (also for absurdly long headers). */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || header.length > MAX_TOKEN_LENGTH + 16) return null;
  const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

function headerOf(token: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims our access tokens carry besides what jsonwebtoken already checked (signature, alg, exp, nbf). */
interface AccessTokenPayload {
  iss?: unknown; aud?: unknown; typ?: unknown; sub?: unknown; role?: unknown; ver?: unknown; exp?: unknown; iat?: unknown; sid?: unknown;
}

/**
 * Access tokens through passport-jwt: ES256 only, the key picked by the header's kid from the auth
 * service's published keys; then our claims, and the user's current state (token version, disabled,
 * role) through the short token-state cache, so revocations take effect within its TTL.
 */
@Injectable()
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) implements OnModuleDestroy {
  constructor(private readonly keys: VerificationKeys, private readonly tokenState: TokenStateCache) {
    super({
      jwtFromRequest: bearerToken,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: CLOCK_SKEW_SECONDS },
      secretOrKeyProvider: (_req: Request, rawJwtToken: string, done: (err: unknown, key?: string) => void) => {
        const header = headerOf(rawJwtToken);
        // Refused before any key lookup: other algorithms, and extensions we do not implement.
        if (!header || header.alg !== ACCESS_TOKEN_ALGORITHM) return done(unauthorized('token algorithm not allowed'));
        if (header.crit !== undefined) return done(unauthorized('unsupported token header'));
        if (typeof header.kid !== 'string' || header.kid.length > 128) return done(unauthorized('token has no key id'));
        const known = keys.known(header.kid);
        if (known) return done(null, known);
        keys.keyFor(header.kid).then(
          (key) => (key ? done(null, key) : done(unauthorized('unknown signing key'))),
          (e: unknown) => done(e),
        );
      },
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Principal> {
    const now = Math.floor(Date.now() / 1000);
    const { aud, sub, role, ver } = payload;
    if (payload.iss !== this.keys.issuer) throw unauthorized('wrong token issuer');
    if (!(aud === this.keys.audience || (Array.isArray(aud) && aud.includes(this.keys.audience)))) throw unauthorized('wrong token audience');
    if (payload.typ !== 'access') throw unauthorized('not an access token');
    // jsonwebtoken checks exp only when present: ours always carry one.
    if (typeof payload.exp !== 'number') throw unauthorized('token has no expiry');
    if (typeof payload.iat !== 'number' || payload.iat > now + CLOCK_SKEW_SECONDS) throw unauthorized('token issued in the future');
    if (typeof sub !== 'string' || !isUuid(sub)) throw unauthorized('malformed token subject');
    if (role !== 'admin' && role !== 'user') throw unauthorized('malformed token role');
    if (typeof ver !== 'number' || !Number.isInteger(ver)) throw unauthorized('malformed token version');
    let state = await this.tokenState.get(sub);
    // A token newer than the cached state (signed in right after a password reset) proves the cache stale.
    if (state && ver > state.tokenVersion) {
      this.tokenState.invalidate(sub);
      state = await this.tokenState.get(sub);
    }
    if (!state || state.disabled || state.tokenVersion !== ver || state.role !== role) throw unauthorized('token revoked');
    // `sid` is the token's session (refresh family): a session that ended (logout, another session's password change) ends its access tokens.
    if (payload.sid !== undefined && (typeof payload.sid !== 'string' || state.endedSessions.includes(payload.sid))) throw unauthorized('session ended');
    return { userId: sub, role };
  }

  /**
   * `PassportStrategy` registers on passport's process-wide registry; a stopped gateway takes its
   * strategy (and the caches it closes over) out, so a later app in the same process never authenticates
   * through a stale one.
   */
  onModuleDestroy(): void {
    passport.unuse(ACCESS_TOKEN_STRATEGY);
  }
}
