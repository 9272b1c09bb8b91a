import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { CommandReply, Role } from '@vpn/contracts';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { ACCESS_TOKEN_ALGORITHM, legacyGeneratedKeyPath, loadSigningKey, type SigningKey } from './signing-key';

/** What an access token says about its bearer. */
export interface AccessClaims {
  sub: string;
  role: Role;
  /** The user's token version when the token was issued; the gateway refuses older versions. */
  ver: number;
  /** The session (refresh-token family) the token belongs to: ending the session ends its access tokens too. */
  sid: string;
}

export const ACCESS_TOKEN_TYP = 'access';

/** Signs short-lived ES256 access JWTs (@nestjs/jwt) and publishes the public key the gateway verifies them with. */
@Injectable()
export class AccessTokenIssuer implements OnModuleInit {
  private key: SigningKey;
  private readonly jwt = new JwtService();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.key = loadSigningKey({ keyFile: this.config.jwtPrivateKeyFile, dataDir: this.config.dataDir });
    const legacy = legacyGeneratedKeyPath(this.config.dataDir);
    if (!this.config.jwtPrivateKeyFile && existsSync(legacy)) {
      this.logger.info({ unused: legacy }, 'access tokens are ES256 now: the Ed25519 key of an earlier version is no longer used and may be deleted');
    }
  }

  get ttlSeconds(): number {
    return this.options.accessTokenTtlSeconds;
  }

  issue(claims: AccessClaims): string {
    const now = Math.floor(Date.now() / 1000);
    return this.jwt.sign({
      iss: this.options.issuer,
      aud: this.options.audience,
      sub: claims.sub,
      typ: ACCESS_TOKEN_TYP,
      role: claims.role,
      ver: claims.ver,
      sid: claims.sid,
      iat: now,
      exp: now + this.options.accessTokenTtlSeconds,
      jti: randomUUID(),
    }, { algorithm: ACCESS_TOKEN_ALGORITHM, keyid: this.key.kid, header: { alg: ACCESS_TOKEN_ALGORITHM, typ: 'at+jwt' }, privateKey: this.key.privateKey });
  }

  verificationKeys(): Promise<CommandReply<'auth.verification-keys'>> {
    return Promise.resolve({ keys: [this.key.publicJwk], issuer: this.options.issuer, audience: this.options.audience });
  }
}
