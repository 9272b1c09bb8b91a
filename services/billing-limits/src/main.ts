import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { billingLimitsService } from './index';

void runServiceProcess(billingLimitsService).catch((e: unknown) => {
  process.stderr.write(`billing-limits failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
