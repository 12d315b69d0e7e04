// Jest for mutation testing: the server project's unit and function tests
// only (no e2e child processes, no simulator), one transpile-only transform.
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
    '<rootDir>/test/hardening/crash',
  ],
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
