#!/usr/bin/env node
// `npm run start:<service>`: one service as its own process (needs DATABASE_URL and NATS_URL).
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const service = process.argv[2];
const entries = {
  gateway: 'gateway/dist/main.js',
  auth: 'services/auth/dist/main.js',
  'billing-limits': 'services/billing-limits/dist/main.js',
  provisioning: 'services/provisioning/dist/main.js',
  sync: 'services/sync/dist/main.js',
  audit: 'services/audit/dist/main.js',
};
if (!entries[service]) {
  console.error(`unknown service "${service}"; one of: ${Object.keys(entries).join(', ')}`);
  process.exit(2);
}
const { buildServer, buildFrontend } = await import('./build.mjs');
await buildServer({ quiet: true });
if (service === 'gateway') buildFrontend();
const child = spawn(process.execPath, ['--enable-source-maps', join(root, entries[service])], { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
