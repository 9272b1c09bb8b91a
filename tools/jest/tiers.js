// Sorts the test files into tiers by what they need, so each tier's global setup starts only that:
//   unit        *.spec.ts beside the code: nothing outside the process.
//   integration test/**/*.int-spec.ts: PostgreSQL and NATS.
//   lab         integration or end-to-end files that reach the WireGuard lab (root, network namespaces,
//               sshd, wireguard-go): found by following their relative imports to the lab fixture.
//   browser     frontend/e2e: Chromium (and the lab where a spec drives real servers).
const fs = require('fs');
const path = require('path');

const LAB_FIXTURE = path.join('infra', 'lab', 'test', 'lab-fixture.ts');
const IGNORED = new Set(['node_modules', 'dist', '.data', '.nx', '.git']);
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

function resolveTs(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((p) => fs.existsSync(p) && fs.statSync(p).isFile()) ?? null;
}

/** Whether a file reaches the lab fixture through relative imports (memoised per file). */
function reachesLab(file, root, seen = new Map()) {
  if (seen.has(file)) return seen.get(file);
  seen.set(file, false);
  if (path.relative(root, file) === LAB_FIXTURE) return seen.set(file, true).get(file);
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const target = resolveTs(file, m[1] ?? m[2]);
    if (target && reachesLab(target, root, seen)) return seen.set(file, true).get(file);
  }
  return false;
}

/** The test files of each tier below `roots`, as absolute paths. */
function testTiers(root, roots) {
  const tiers = { unit: [], integration: [], lab: [], browser: [] };
  const seen = new Map();
  for (const r of roots.filter((dir) => fs.existsSync(dir))) {
    for (const file of walk(r)) {
      const rel = path.relative(root, file);
      if (/\.spec\.ts$/.test(file) && !/\.(int|e2e)-spec\.ts$/.test(file)) tiers.unit.push(file);
      else if (rel.startsWith(path.join('frontend', 'e2e') + path.sep) && file.endsWith('.e2e-spec.ts')) tiers.browser.push(file);
      else if (/\.int-spec\.ts$/.test(file) && rel.split(path.sep).includes('test')) {
        (reachesLab(file, root, seen) ? tiers.lab : tiers.integration).push(file);
      } else if (file.endsWith('.e2e-spec.ts')) tiers.lab.push(file);
    }
  }
  return tiers;
}

module.exports = { testTiers, reachesLab };
