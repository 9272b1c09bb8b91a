// ESLint rule: the Nx tags in each project's package.json ("nx": {"tags": [...]}) constrain imports.
//   type:app       → data, util, contracts (scope:platform, the single-process host, may mount apps)
//   type:data      → data, util, contracts
//   type:util      → util, contracts
//   type:contracts → contracts
//   scope:X        → scope:X and scope:shared only
// Deep imports into another project (@vpn/x/src/...) and relative paths that leave the project
// are errors too: a project's public surface is its src/index.ts.
// Test code (`<project>/test/**`, `*.spec.ts`) is exempt: integration tests compose several services.
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '../..');
const ALLOWED_TYPES = {
  app: ['data', 'util', 'contracts'],
  data: ['data', 'util', 'contracts'],
  util: ['util', 'contracts'],
  contracts: ['contracts'],
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
  if (from.scope === 'platform') return null;
  if (from.type && to.type && !(ALLOWED_TYPES[from.type] || []).includes(to.type)) {
    return `a type:${from.type} project (${from.name}) may not import type:${to.type} (${to.name})`;
  }
  if (from.scope && to.scope && to.scope !== 'shared' && to.scope !== from.scope) {
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
