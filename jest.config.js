/**
 * Jest runs the TypeScript sources as native ESM, compiled file by file by @swc/jest without type
 * information (types are checked once by `npm run typecheck`). Node 24 lets CommonJS packages
 * require() ESM-only ones (light-my-request needs `cookie`), and so does Jest's module loader on
 * it, so no package needs compiling. See docs/performance.md, "The test suite".
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    target: 'es2022',
    transform: { react: { runtime: 'automatic' }, useDefineForClassFields: true },
  },
  sourceMaps: 'inline',
};

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.tsx?$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  testTimeout: 60_000,
  // Three: the suites spend much of their time waiting (browsers, databases, timers), so two cores stay busier.
  maxWorkers: 3,
  // The ESM modules pile up in a worker file after file; past this a worker is replaced
  // between files instead of slowing in garbage collection and dying at the heap limit.
  workerIdleMemoryLimit: '1500MB',
};
