import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CommandReply, Role } from '@vpn/contracts';
import { OnCommand, PLATFORM_CONFIG } from '@vpn/platform';
import type { PlatformConfig } from '@vpn/runtime';
import { AUTH_OPTIONS, type AuthOptions } from '../auth.options';
import { signJwt } from './jwt-signer';
import { loadSigningKey, type SigningKey } from './signing-key';

/** What an access token says about its bearer. */
export interface AccessClaims {
  sub: string;
  role: Role;
  /** The user's token version when the token was issued; the gateway refuses older versions. */
  ver: number;
}

export const ACCESS_TOKEN_TYP = 'access';

/** Signs short-lived access JWTs and publishes the public key the gateway verifies them with. */
@Injectable()
export class AccessTokenIssuer implements OnModuleInit {
  private key: SigningKey;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  onModuleInit(): void {
    this.key = loadSigningKey({ keyFile: this.config.jwtPrivateKeyFile, dataDir: this.config.dataDir });
  }

  get ttlSeconds(): number {
    return this.options.accessTokenTtlSeconds;
  }

  issue(claims: AccessClaims): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ alg: this.key.alg, kid: this.key.kid, typ: 'at+jwt' }, {
      iss: this.options.issuer,
      aud: this.options.audience,
      sub: claims.sub,
      typ: ACCESS_TOKEN_TYP,
      role: claims.role,
      ver: claims.ver,
      iat: now,
      exp: now + this.options.accessTokenTtlSeconds,
      jti: randomUUID(),
    }, this.key.privateKey);
  }

  @OnCommand('auth.verification-keys')
  verificationKeys(): Promise<CommandReply<'auth.verification-keys'>> {
    return Promise.resolve({ keys: [this.key.publicJwk], issuer: this.options.issuer, audience: this.options.audience });
  }
}
