// Maps the tsconfig path aliases (@vpn/*) to their sources, so tests run the TypeScript directly.
const path = require('path');
const fs = require('fs');

function readPaths() {
  const text = fs.readFileSync(path.join(__dirname, '../../tsconfig.base.json'), 'utf8');
  return JSON.parse(text).compilerOptions.paths;
}

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, targets] of Object.entries(readPaths())) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = `<rootDir>/${targets[0]}`;
  }
  return mapper;
}

module.exports = { readPaths, pathsToModuleNameMapper };
