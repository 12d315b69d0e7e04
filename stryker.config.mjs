// npm run mutate: StrykerJS over the domain, the ledger and the runtime
// (toolchain facts: Stryker 9.6 is the last line for Node 20). Runs are
// incremental: results are kept in test/mutation/incremental.json, committed,
// so each run only re-tests mutants whose code or tests changed. Narrow it
// with `npm run mutate -- --mutate 'cloudfunctions/core/domain/fee.ts'`.
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'test/mutation/jest.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: ['cloudfunctions/core/domain/**/*.ts', 'cloudfunctions/core/ledger/**/*.ts', 'cloudfunctions/core/runtime/**/*.ts'],
  incremental: true,
  incrementalFile: 'test/mutation/incremental.json',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  ignoreStatic: true,
};
