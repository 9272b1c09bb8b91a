import 'reflect-metadata';
import { runServiceProcess } from '@vpn/platform';
import { gatewayService } from './index';

void runServiceProcess(gatewayService).catch((e: unknown) => {
  process.stderr.write(`gateway failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
