#!/usr/bin/env node
// Runs a TypeScript file of this repo (a CLI such as infra/lab/cli.ts or a benchmark) after
// building the workspace packages; @vpn/* imports resolve to their builds.
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
const { buildServer } = await import('./build.mjs');
await buildServer({ quiet: true });
// Compile the entry and its relative imports into dist/scripts, mirroring the repo layout.
const swc = require('@swc/core');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
const outRoot = join(root, 'dist', 'run-ts');
const seen = new Set();
async function compile(abs) {
  if (seen.has(abs)) return;
  seen.add(abs);
  const out = join(outRoot, relative(root, abs)).replace(/\.ts$/, '.js');
  const r = await swc.transformFile(abs, { ...swcrc, filename: abs, swcrc: false, sourceMaps: 'inline' });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, r.code);
  for (const m of r.code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
    let target = join(dirname(abs), m[1]);
    for (const cand of [`${target}.ts`, join(target, 'index.ts')]) {
      try {
        readFileSync(cand);
        await compile(cand);
        break;
      } catch { /* try the next form */ }
    }
  }
}
const abs = join(process.cwd(), file);
await compile(abs);
const entry = join(outRoot, relative(root, abs)).replace(/\.ts$/, '.js');
const child = spawn(process.execPath, ['--enable-source-maps', entry, ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
