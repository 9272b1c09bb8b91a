#!/usr/bin/env node
// `npm test`: the dependency check, lint, typecheck, build, then every test tier (unit, integration, e2e) in one jest run.
// Exits non-zero on the first failing step.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['dependencies', process.execPath, [join(root, 'scripts/check-deps.mjs')]],
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['typecheck dashboard', 'npx', ['tsc', '-p', 'frontend/tsconfig.json', '--noEmit']],
  ['build', process.execPath, [join(root, 'scripts/build.mjs')]],
  ['tests', 'npx', ['jest', '--ci', '--forceExit', ...process.argv.slice(2)]],
];
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n── ${name} ──`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  console.log(`── ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
