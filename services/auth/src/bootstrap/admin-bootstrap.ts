import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from '@vpn/db';
import { LOGGER, PLATFORM_CONFIG } from '@vpn/platform';
import type { Logger, PlatformConfig } from '@vpn/runtime';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';

export function adminPasswordPath(dataDir: string): string {
  return resolve(join(dataDir, 'admin-password'));
}

/**
 * Creates the first admin when no admin exists (API.md §2): ADMIN_EMAIL with ADMIN_PASSWORD, or a
 * generated password written to DATA_DIR/admin-password (0600). Only the file's path is logged.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly users: UsersService,
    private readonly repository: UsersRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (await this.repository.lockAndHasAdmin(m)) return;
      const email = this.config.adminEmail;
      if (await this.repository.findByEmail(email, m)) {
        this.logger.error({ email }, 'no admin exists and ADMIN_EMAIL belongs to a regular account: set ADMIN_EMAIL to another address');
        return;
      }
      const generated = this.config.adminPassword === undefined;
      const password = this.config.adminPassword ?? randomBytes(18).toString('base64url');
      await this.users.create(email, password, 'admin', m);
      if (generated) {
        const file = adminPasswordPath(this.config.dataDir);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${password}\n`, { mode: 0o600 });
        chmodSync(file, 0o600);
        this.logger.info({ email, passwordFile: file }, `created the first admin ${email}; its password is in ${file}`);
      } else {
        this.logger.info({ email }, `created the first admin ${email} with ADMIN_PASSWORD`);
      }
    });
  }
}
