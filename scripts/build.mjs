#!/usr/bin/env node
// Emits JavaScript: a workspace package's TypeScript (src → dist, with swc; only files newer than
// their output) and the dashboard (vite) when its sources changed. Type checking is `npm run typecheck`.
//   node scripts/build.mjs <projectRoot>   one project (the Nx `build` target of each package)
//   node scripts/build.mjs                  everything (`npm start`, `npm run start:<service>`)
import { readdirSync, statSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const swc = require('@swc/core');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const packageDirs = ['libs', 'services']
  .flatMap((d) => readdirSync(join(root, d)).map((n) => join(root, d, n)))
  .concat([join(root, 'gateway'), join(root, 'standalone')])
  .filter((d) => existsSync(join(d, 'src')));

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(p)) yield p;
  }
}

export async function buildServer({ quiet = false, only = packageDirs } = {}) {
  let built = 0;
  for (const pkg of only) {
    for (const file of walk(join(pkg, 'src'))) {
      const out = join(pkg, 'dist', relative(join(pkg, 'src'), file)).replace(/\.ts$/, '.js');
      if (existsSync(out) && statSync(out).mtimeMs >= statSync(file).mtimeMs) continue;
      const result = await swc.transformFile(file, { ...swcrc, filename: file, sourceMaps: true, outputPath: out, swcrc: false });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${result.code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
      if (result.map) writeFileSync(`${out}.map`, result.map);
      built++;
    }
  }
  if (!quiet) console.log(`build: ${built} TypeScript file(s) compiled`);
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

export function buildFrontend({ force = false } = {}) {
  const fe = join(root, 'frontend');
  if (!existsSync(join(fe, 'index.html'))) return;
  const index = join(fe, 'dist', 'index.html');
  const sourcesMtime = Math.max(newestMtime(join(fe, 'src')), newestMtime(join(root, 'libs', 'wireguard', 'src')), statSync(join(fe, 'index.html')).mtimeMs);
  if (!force && existsSync(index) && statSync(index).mtimeMs >= sourcesMtime) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: fe, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('frontend build failed');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const project = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const force = process.argv.includes('--force');
  if (project === undefined) {
    await buildServer();
    buildFrontend({ force });
  } else if (join(root, project) === join(root, 'frontend')) {
    buildFrontend({ force });
  } else {
    const dir = join(root, project);
    if (!packageDirs.includes(dir)) throw new Error(`no TypeScript package at ${project}`);
    await buildServer({ only: [dir] });
  }
}
