// The screenshot scenes (test/screenshots/*.shots.js): the simulator page
// harness of test/miniprogram (same environment, setup and transform as the
// `miniprogram` project of ../../jest.config.js), each scene writing its
// page's HTML for scripts/screenshots.js to photograph. Not part of
// `npm test`: run through `npm run screenshots`.
const path = require('node:path');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  displayName: 'screenshots',
  testEnvironment: '<rootDir>/test/miniprogram/environment.js',
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
  roots: ['<rootDir>/test/screenshots'],
  testMatch: ['<rootDir>/test/screenshots/**/*.shots.js'],
  setupFilesAfterEnv: ['<rootDir>/test/miniprogram/setup.ts', '<rootDir>/test/screenshots/support/setup.js'],
  transform: {
    '^.+\\.[tj]s$': [
      'ts-jest',
      {
        tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true, target: 'ES2020', module: 'CommonJS' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  moduleNameMapper: {
    '^tslib$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/miniprogram_npm/tslib/index.js',
  },
};
