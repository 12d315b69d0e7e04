// Jest for mutation testing: the server project's unit and function tests
// only (no e2e child processes, no simulator), one transpile-only transform.
// The hardening suites (fuzz, seeded model, concurrency, crash) are left out:
// each takes seconds to minutes, and a mutant covered by them would rerun
// them all. The score is then what the unit and function tests alone catch.
const transform = {
  '^.+\\.[tj]s$': [
    'ts-jest',
    { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true, target: 'ES2020', module: 'CommonJS' } },
  ],
};

module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: [
    '<rootDir>/test/miniprogram/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/screenshots/',
    '<rootDir>/test/ship/',
    '<rootDir>/test/hardening/',
  ],
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
