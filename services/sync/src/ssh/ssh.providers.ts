import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { SshPool } from '@vpn/ssh';
import { loadProvisionerIdentity, type ProvisionerIdentity } from '@vpn/vpn-core';

const PROVISIONER_IDENTITY = Symbol('PROVISIONER_IDENTITY');

/** Sync's own pooled SSH connections, with the provisioner's identity (the key operators authorized). */
export const sshProviders = [
  { provide: PROVISIONER_IDENTITY, inject: [PLATFORM_CONFIG], useFactory: (config: PlatformConfig) => loadProvisionerIdentity(config) },
  {
    provide: SshPool,
    inject: [PROVISIONER_IDENTITY, LOGGER],
    // A 10,000-peer re-add takes about a second; the deadline leaves room for much larger servers.
    useFactory: (identity: ProvisionerIdentity, logger: Logger) =>
      new SshPool({ privateKey: identity.privateKey, logger, connectTimeoutMs: 5_000, commandTimeoutMs: 60_000 }),
  },
];

@Injectable()
export class SshPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(SshPool) private readonly pool: SshPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
