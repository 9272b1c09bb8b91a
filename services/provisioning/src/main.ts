import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { provisioningService } from './index';

void runServiceProcess(provisioningService).catch((e: unknown) => {
  process.stderr.write(`provisioning failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
