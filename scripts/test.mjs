#!/usr/bin/env node
// `npm test`: everything, through Nx, exiting non-zero when anything fails.
//   1. the dependency check, lint, typecheck (server and dashboard), build and unit tests of every
//      project — cached Nx targets (`nx run-many`), so an unchanged project is not redone;
//   2. the integration, lab and browser tiers in one jest run (workspace:test-services; never cached:
//      they exercise real PostgreSQL, NATS, network namespaces and Chromium).
// Extra arguments go to that jest run (e.g. `npm test -- --testNamePattern crash`).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nx = (...args) => ['npx', ['nx', ...args, '--outputStyle=static']];
const steps = [
  // One task at a time: the machine has two cores and the timing-sensitive unit tests need one.
  ['checks, build, unit tests', ...nx('run-many', '-t', 'deps', 'lint', 'typecheck', 'build', 'test', '--parallel=1')],
  ['integration, lab and browser tests', ...nx('run', 'workspace:test-services', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []))],
];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n── ${name} ──`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  console.log(`── ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
