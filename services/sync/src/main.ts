import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { syncService } from './index';

void runServiceProcess(syncService).catch((e: unknown) => {
  process.stderr.write(`sync failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
