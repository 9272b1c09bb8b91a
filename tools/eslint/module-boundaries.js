// ESLint rule: the Nx tags in each project's package.json ("nx": {"tags": [...]}) constrain imports.
// Types are floors; a project imports only the floors below it (nx-examples' depConstraints):
//   type:host     → app, platform, data, util, types   (standalone: mounts every service)
//   type:app      → platform, data, util, types        (services, gateway)
//   type:platform → data, util, types                  (how a service is hosted)
//   type:data     → data, util, types                  (persistence and the bus built on it)
//   type:util     → util, types
//   type:types    → types                              (contracts)
//   type:testing  → platform, data, util, types; imported by no production code (test code only)
//   scope:X       → scope:X and scope:shared only; a type:host project may mount any scope
// A project without a type tag is an error, so a new project cannot slip past the constraints.
// Deep imports into another project (@vpn/x/src/...) and relative paths that leave the project
// are errors too: a project's public surface is its src/index.ts.
// Test code (`<project>/test/**`, `*.spec.ts`) is exempt: integration tests compose several services.
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '../..');
const ALLOWED_TYPES = {
  host: ['app', 'platform', 'data', 'util', 'types'],
  app: ['platform', 'data', 'util', 'types'],
  platform: ['data', 'util', 'types'],
  data: ['data', 'util', 'types'],
  util: ['util', 'types'],
  types: ['types'],
  testing: ['platform', 'data', 'util', 'types'],
};

let cache = null;
function projects() {
  if (cache) return cache;
  const dirs = ['libs', 'services']
    .flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? fs.readdirSync(path.join(ROOT, d)).map((n) => path.join(ROOT, d, n)) : []))
    .concat(['gateway', 'standalone', 'frontend'].map((d) => path.join(ROOT, d)));
  const list = [];
  for (const dir of dirs) {
    const pj = path.join(dir, 'package.json');
    if (!fs.existsSync(pj)) continue;
    const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
    const tags = (pkg.nx && pkg.nx.tags) || [];
    const tag = (prefix) => (tags.find((t) => t.startsWith(prefix)) || '').slice(prefix.length) || null;
    list.push({ dir, name: pkg.name, type: tag('type:'), scope: tag('scope:') });
  }
  cache = list;
  return list;
}

function projectOfFile(file) {
  const abs = path.resolve(file);
  return projects()
    .filter((p) => abs === p.dir || abs.startsWith(p.dir + path.sep))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
}

function projectOfImport(spec) {
  const m = /^(@vpn\/[^/]+)(\/.*)?$/.exec(spec);
  if (!m) return null;
  return { project: projects().find((p) => p.name === m[1]) || null, deep: Boolean(m[2]), name: m[1] };
}

function violation(from, to) {
  for (const p of [from, to]) {
    if (!ALLOWED_TYPES[p.type]) return `${p.name} has no known type tag (one of ${Object.keys(ALLOWED_TYPES).map((t) => `type:${t}`).join(', ')})`;
  }
  if (!ALLOWED_TYPES[from.type].includes(to.type)) {
    return `a type:${from.type} project (${from.name}) may not import type:${to.type} (${to.name})`;
  }
  if (from.type !== 'host' && from.scope && to.scope && to.scope !== 'shared' && to.scope !== from.scope) {
    return `scope:${from.scope} (${from.name}) may not import scope:${to.scope} (${to.name}): talk through @vpn/contracts messages`;
  }
  return null;
}

module.exports = {
  meta: { type: 'problem', docs: { description: 'Nx tag constraints between projects' }, schema: [] },
  create(context) {
    const file = context.filename || context.getFilename();
    const from = projectOfFile(file);
    if (!from) return {};
    const rel = path.relative(from.dir, path.resolve(file));
    if (rel.startsWith(`test${path.sep}`) || /\.(spec|int-spec|e2e-spec)\.tsx?$/.test(file)) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const to = projectOfFile(target);
        if (to && to.dir !== from.dir) context.report({ node, message: `relative import leaves ${from.name}; import ${to.name} instead` });
        return;
      }
      const imp = projectOfImport(spec);
      if (!imp || !imp.project || imp.project.dir === from.dir) return;
      if (imp.deep) {
        context.report({ node, message: `deep import into ${imp.name}: use its public surface (src/index.ts)` });
        return;
      }
      const why = violation(from, imp.project);
      if (why) context.report({ node, message: why });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0] && node.arguments[0].type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
