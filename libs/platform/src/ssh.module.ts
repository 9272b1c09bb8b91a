import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { loadProvisionerIdentity, SshPool, type ProvisionerIdentity } from '@vpn/ssh';
import { LOGGER, PLATFORM_CONFIG } from './nest-service';

/** The provisioner's SSH identity: SSH_PRIVATE_KEY_FILE, or the key generated once into DATA_DIR. */
export const PROVISIONER_IDENTITY = Symbol('PROVISIONER_IDENTITY');

@Injectable()
class SshPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(SshPool) private readonly pool: SshPool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}

/**
 * A service's own pooled SSH connections to the WireGuard servers, with the provisioner's identity
 * (the key operators authorized); the pool closes when the service stops.
 */
@Module({})
export class SshModule {
  static forRoot(opts: { commandTimeoutMs: number }): DynamicModule {
    return {
      module: SshModule,
      providers: [
        { provide: PROVISIONER_IDENTITY, inject: [PLATFORM_CONFIG], useFactory: (config: PlatformConfig) => loadProvisionerIdentity(config) },
        {
          provide: SshPool,
          inject: [PROVISIONER_IDENTITY, LOGGER],
          useFactory: (identity: ProvisionerIdentity, logger: Logger) =>
            new SshPool({ privateKey: identity.privateKey, logger, connectTimeoutMs: 5_000, commandTimeoutMs: opts.commandTimeoutMs }),
        },
        SshPoolCloser,
      ],
      exports: [PROVISIONER_IDENTITY, SshPool],
    };
  }
}
