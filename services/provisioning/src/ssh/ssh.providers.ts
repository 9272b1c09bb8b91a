import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SshPool } from '@vpn/ssh';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { loadProvisionerIdentity, type ProvisionerIdentity } from '@vpn/vpn-core';

export const PROVISIONER_IDENTITY = Symbol('PROVISIONER_IDENTITY');

export const sshProviders = [
  {
    provide: PROVISIONER_IDENTITY,
    inject: [PLATFORM_CONFIG],
    useFactory: (config: PlatformConfig) => loadProvisionerIdentity(config),
  },
  {
    provide: SshPool,
    inject: [PROVISIONER_IDENTITY, LOGGER],
    useFactory: (identity: ProvisionerIdentity, logger: Logger) =>
      new SshPool({ privateKey: identity.privateKey, logger, connectTimeoutMs: 5_000, commandTimeoutMs: 10_000 }),
  },
];

/** Closes the pool's connections when the service stops. */
@Injectable()
export class SshPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(SshPool) private readonly pool: SshPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
