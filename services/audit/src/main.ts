import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { auditService } from './index';

void runServiceProcess(auditService).catch((e: unknown) => {
  process.stderr.write(`audit failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
