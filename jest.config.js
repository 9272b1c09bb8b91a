// Four tiers, each a jest project (`--selectProjects <tier>`), sorted by what their tests need
// (tools/jest/tiers.js): unit (nothing), integration (PostgreSQL + NATS), lab (also root, network
// namespaces, sshd, wireguard-go) and browser (also Chromium). Only the tiers that need real services
// have the global setup that finds them; it runs once, when the first of them has tests to run.
const fs = require('fs');
const path = require('path');
const { pathsToModuleNameMapper } = require('./tools/jest/paths');
const { testTiers } = require('./tools/jest/tiers');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: false },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const roots = ['libs', 'services', 'gateway', 'standalone', 'infra', 'tools', 'test', 'frontend/e2e', 'bench']
  .map((r) => path.join(__dirname, r))
  .filter((r) => fs.existsSync(r));
const tiers = testTiers(__dirname, roots);

const common = {
  rootDir: __dirname,
  roots,
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/frontend/dist', '<rootDir>/.data'],
};
const withServices = {
  globalSetup: '<rootDir>/tools/jest/global-setup.js',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.js',
};
/** A project running exactly these files (an empty list matches nothing rather than everything). */
const files = (list) => ({ testRegex: list.length ? list.map((f) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : ['^$'] });

module.exports = {
  projects: [
    { ...common, displayName: 'unit', ...files(tiers.unit) },
    { ...common, ...withServices, displayName: 'integration', ...files(tiers.integration), slowTestThreshold: 30 },
    { ...common, ...withServices, displayName: 'lab', ...files(tiers.lab), slowTestThreshold: 120 },
    { ...common, ...withServices, displayName: 'browser', ...files(tiers.browser), slowTestThreshold: 120 },
  ],
};
