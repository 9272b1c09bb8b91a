// Runs this repo's TypeScript directly in Node (CLIs, benchmarks): compiles each .ts file with swc
// on load and resolves the @vpn/* aliases of tsconfig.base.json to their sources, as jest does.
const Module = require('module');
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');

const root = path.join(__dirname, '..');
const { readPaths } = require(path.join(root, 'tools/jest/paths.js'));
const aliases = Object.fromEntries(Object.entries(readPaths()).map(([k, v]) => [k, path.join(root, v[0])]));
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (aliases[request]) return aliases[request];
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...swcrc, filename, swcrc: false, sourceMaps: 'inline' });
  module._compile(code, filename);
};
