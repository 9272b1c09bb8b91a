// Three tiers: unit specs beside the code, integration tests against real PostgreSQL + NATS,
// and end-to-end tests (lab WireGuard servers, browser). Every tier finds the real services
// through the global setup, which records them in the environment for the workers.
const { pathsToModuleNameMapper } = require('./tools/jest/paths');

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

const roots = ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/gateway', '<rootDir>/standalone', '<rootDir>/infra', '<rootDir>/tools', '<rootDir>/test', '<rootDir>/frontend/e2e', '<rootDir>/bench'];

const common = {
  rootDir: __dirname,
  roots: roots.filter((r) => require('fs').existsSync(r.replace('<rootDir>', __dirname))),
  transform: { '^.+\\.(t|j)s$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/frontend/dist', '<rootDir>/.data'],
};

module.exports = {
  globalSetup: '<rootDir>/tools/jest/global-setup.js',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/test/**/*.int-spec.ts'], slowTestThreshold: 30 },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], slowTestThreshold: 120 },
  ],
};
