#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or the ones named as arguments) one after another,
// each exporting `default async () => Array<{name, value, unit, goal?, notes?}>`; prints a table
// and writes bench/results.json. Real services are found as for the tests (tools/jest/global-setup.js).
import { readdirSync, writeFileSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('./ts-register.cjs');
const globalSetup = require('../tools/jest/global-setup.js');
const globalTeardown = require('../tools/jest/global-teardown.js');

const wanted = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

await globalSetup();
const results = [];
let failed = false;
try {
  for (const f of files) {
    const started = Date.now();
    process.stdout.write(`\n▶ ${f}\n`);
    try {
      const mod = require(join(root, 'bench', f));
      const rows = await (mod.default ?? mod.bench)();
      for (const r of rows) results.push({ bench: basename(f, '.bench.ts'), ...r });
      for (const r of rows) {
        process.stdout.write(`  ${r.name.padEnd(60)} ${String(r.value).padStart(12)} ${r.unit.padEnd(10)} ${r.goal ? `goal ${r.goal}` : ''}\n`);
        if (r.notes) process.stdout.write(`      ${r.notes}\n`);
      }
    } catch (e) {
      failed = true;
      process.stdout.write(`  FAILED: ${e.stack ?? e}\n`);
    }
    process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
} finally {
  await globalTeardown();
}
const out = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`\nwrote bench/results.json (${results.length} rows)\n`);
process.exit(failed ? 1 : 0);
