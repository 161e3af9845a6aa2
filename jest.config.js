import { fileURLToPath } from 'node:url';

/**
 * Jest runs the TypeScript sources as native ESM through ts-jest (type checking is `npm run
 * typecheck`). REQUIRED_ESM lists ESM-only packages that CommonJS dependencies require(); see
 * test/support/babel-require-esm.cjs for why.
 */
const REQUIRED_ESM = ['cookie'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    [`/node_modules/(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['babel-jest', { configFile: fileURLToPath(new URL('./test/support/babel-require-esm.cjs', import.meta.url)) }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${REQUIRED_ESM.join('|')})/)`],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  testTimeout: 60_000,
  // Three: the suites spend much of their time waiting (browsers, databases, timers), so two cores stay busier.
  maxWorkers: 3,
  // ts-jest's ESM modules pile up in a worker file after file; past this a worker is replaced
  // between files instead of slowing in garbage collection and dying at the heap limit.
  workerIdleMemoryLimit: '1500MB',
};
