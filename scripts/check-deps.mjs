#!/usr/bin/env node
// No dependency without an import: fails when a `dependencies` entry of any package.json is not
// imported by code that runs, or when code imports a package no package.json declares
// (rules in tools/deps/dependency-check.js). Run by `npm test` before the tests.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { checkDependencies } = require('../tools/deps/dependency-check.js');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'screenshots']);
/** Tests and tooling: their imports must be declared, but they do not make a runtime dependency used. */
const NOT_RUNTIME = [
  /(^|\/)(test|tests|e2e|__tests__|bench)\//,
  /\.(spec|int-spec|e2e-spec|bench)\.[cm]?[jt]sx?$/,
  /(^|\/)[^/]*\.config\.[cm]?[jt]s$/,
  /^tools\//,
  /^libs\/testing\//,
  /^frontend\/scripts\//,
  /^scripts\/(test|bench|check-deps)\.mjs$/,
];
/** Launchers run from a full install (they compile TypeScript with @swc/core before anything starts). */
const NEEDS_DEV_DEPS = /^scripts\//;

/** Loaded by a library at run time, never imported by name: NestFactory.create's HTTP adapter. */
const IMPLICITLY_USED = ['@nestjs/platform-express'];

/**
 * A declared library's peer dependencies are loaded by that library (e.g. `passport` by
 * `@nestjs/passport`): declaring them is how npm wants them installed, so they count as used.
 */
function peersOf(manifest) {
  const peers = [];
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const file = join(root, 'node_modules', dep, 'package.json');
    if (existsSync(file)) peers.push(...Object.keys(readJson(file).peerDependencies ?? {}));
  }
  return peers;
}

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

function sourceFiles(dir, exclude) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name) || exclude.has(p)) continue;
      out.push(...sourceFiles(p, exclude));
    } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) {
      out.push(p);
    }
  }
  return out;
}

function loadPackage(dir, exclude = new Set()) {
  const files = sourceFiles(dir, exclude).map((abs) => {
    const path = relative(root, abs).split(sep).join('/');
    return {
      path,
      text: readFileSync(abs, 'utf8'),
      runtime: !NOT_RUNTIME.some((re) => re.test(path)),
      runtimeNeedsDevDeps: NEEDS_DEV_DEPS.test(path),
    };
  });
  return { dir: relative(root, dir).split(sep).join('/') || '.', manifest: readJson(join(dir, 'package.json')), files };
}

/** `libs/*` → every folder of libs with a package.json; a plain entry is taken as is. */
function workspaceDirs(patterns) {
  return patterns.flatMap((p) => {
    if (!p.endsWith('/*')) return [join(root, p)];
    const parent = join(root, p.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(parent, e.name));
  }).filter((d) => existsSync(join(d, 'package.json')));
}

const rootManifest = readJson(join(root, 'package.json'));
const dirs = workspaceDirs(rootManifest.workspaces ?? []);
const workspaces = dirs.map((d) => loadPackage(d));
const rootPkg = loadPackage(root, new Set(dirs));
const aliasPrefixes = [...Object.keys(readJson(join(root, 'tsconfig.base.json')).compilerOptions.paths ?? {}), '@vpn/', '@/'];

const implicitlyUsed = [...IMPLICITLY_USED, ...peersOf(rootManifest)];
const violations = checkDependencies({ root: rootPkg, workspaces, aliasPrefixes, implicitlyUsed });
const files = [rootPkg, ...workspaces].reduce((n, p) => n + p.files.length, 0);
if (violations.length === 0) {
  console.log(`dependencies: every declared runtime dependency is imported, every import declared (${files} files)`);
  process.exit(0);
}
const explain = {
  unused: 'declared in dependencies, imported by no runtime code',
  undeclared: 'imported, declared in no package.json',
  'dev-only': 'imported by runtime code, declared only in devDependencies',
};
for (const v of violations) console.error(`${v.manifest}: ${v.package}: ${explain[v.kind]}${v.where ? ` (${v.where})` : ''}`);
console.error(`dependencies: ${violations.length} problem(s)`);
process.exit(1);
