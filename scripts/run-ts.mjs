#!/usr/bin/env node
// Runs a TypeScript file of this repo (e.g. infra/lab/cli.ts) with its arguments.
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
const child = spawn(process.execPath, ['--enable-source-maps', '-r', join(root, 'scripts/ts-register.cjs'), resolve(file), ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
