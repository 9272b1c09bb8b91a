import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { authService } from './index';

void runServiceProcess(authService).catch((e: unknown) => {
  process.stderr.write(`auth failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
