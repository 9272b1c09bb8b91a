// The rules of `scripts/check-deps.mjs`, on data only (manifests and file texts), so a unit spec
// can feed it a small fixture. Rules:
//  - unused: a `dependencies` entry that no runtime (non-test, non-type) import uses. A workspace's
//    entry must be used by that workspace's code; the root's (hoisted) entries anywhere in the repo.
//  - undeclared: an import of a bare package declared neither in the importing workspace's
//    package.json nor in the root's (any section).
//  - dev-only: a runtime import in runtime code of a package that only devDependencies declare
//    (it is missing from a production install). Launchers (`runtimeNeedsDevDeps`) are exempt.
const { builtinModules } = require('module');

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative, builtin and alias imports. */
function packageOf(specifier, aliasPrefixes) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  if (aliasPrefixes.some((a) => specifier === a || specifier.startsWith(a.endsWith('/') ? a : `${a}/`))) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (BUILTINS.has(name)) return null;
  return name;
}

const blank = (c) => c.replace(/[^\n]/g, ' ');

/**
 * Drops comments, then the insides of template literals (generated code, test fixtures), keeping
 * line breaks so line numbers stay right; `://` inside URLs survives.
 */
function codeOnly(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
    .replace(/`(?:\\[\s\S]|[^`\\])*`/g, blank);
}

/** True when an import clause brings in types only (`type X`, `{ type A, type B }`). */
function typeOnlyClause(clause) {
  const c = clause.trim();
  if (/^type\s/.test(c)) return true;
  const braces = /^\{([\s\S]*)\}$/.exec(c);
  if (!braces) return false;
  const names = braces[1].split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** Every module specifier of a source text with its line and whether only types come from it. */
function importsOf(text) {
  const code = codeOnly(text);
  const found = [];
  const lineAt = (i) => code.slice(0, i).split('\n').length;
  const fromRe = /\b(import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (let m; (m = fromRe.exec(code));) {
    const clause = m[2];
    found.push({ specifier: m[3], line: lineAt(m.index), typeOnly: typeOnlyClause(clause) });
  }
  const bareRe = /\bimport\s*['"]([^'"]+)['"]/g;
  for (let m; (m = bareRe.exec(code));) found.push({ specifier: m[1], line: lineAt(m.index), typeOnly: false });
  const callRe = /\b(?:require(?:\.resolve)?|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = callRe.exec(code));) found.push({ specifier: m[1], line: lineAt(m.index), typeOnly: false });
  return found;
}

const declaredIn = (manifest, name, sections) => sections.some((s) => Boolean(manifest?.[s]?.[name]));
/** Types of `name` come from the package itself or from DefinitelyTyped (`@scope/x` → `@types/scope__x`). */
const typesOf = (name) => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
const ALL = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const RUNTIME = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/**
 * @param input {{ root: Pkg, workspaces: Pkg[], aliasPrefixes: string[], implicitlyUsed?: string[] }} where Pkg is
 *   { dir, manifest, files: [{ path, text, runtime: boolean, runtimeNeedsDevDeps?: boolean }] }
 *   (`runtime` false for tests and tooling; the root's files are those outside every workspace);
 *   `implicitlyUsed`: packages another library loads at run time without an import of ours
 * @returns {Array<{ kind: 'unused'|'undeclared'|'dev-only', package: string, manifest: string, where?: string }>}
 */
function checkDependencies({ root, workspaces, aliasPrefixes, implicitlyUsed = [] }) {
  const violations = [];
  const usedAnywhere = new Set(implicitlyUsed);
  for (const pkg of [root, ...workspaces]) {
    const usedHere = new Set();
    const isRoot = pkg === root;
    for (const file of pkg.files) {
      for (const imp of importsOf(file.text)) {
        const name = packageOf(imp.specifier, aliasPrefixes);
        if (!name) continue;
        const where = `${file.path}:${imp.line}`;
        const declared = (n) => declaredIn(pkg.manifest, n, ALL) || declaredIn(root.manifest, n, ALL);
        if (!declared(name) && !(imp.typeOnly && declared(typesOf(name)))) {
          violations.push({ kind: 'undeclared', package: name, manifest: isRoot ? 'package.json' : `${pkg.dir}/package.json`, where });
          continue;
        }
        if (!file.runtime || imp.typeOnly || name.startsWith('@types/')) continue;
        usedHere.add(name);
        usedAnywhere.add(name);
        if (!file.runtimeNeedsDevDeps && !declaredIn(pkg.manifest, name, RUNTIME) && !declaredIn(root.manifest, name, RUNTIME)) {
          violations.push({ kind: 'dev-only', package: name, manifest: isRoot ? 'package.json' : `${pkg.dir}/package.json`, where });
        }
      }
    }
    pkg.used = usedHere;
  }
  for (const pkg of [root, ...workspaces]) {
    const used = pkg === root ? usedAnywhere : pkg.used;
    for (const name of Object.keys(pkg.manifest.dependencies ?? {})) {
      if (!used.has(name)) violations.push({ kind: 'unused', package: name, manifest: pkg === root ? 'package.json' : `${pkg.dir}/package.json` });
    }
  }
  return violations;
}

module.exports = { checkDependencies, importsOf, packageOf };
