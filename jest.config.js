// One transpile-only ts-jest entry for everything (type-checking is the
// separate `tsc` step of `npm test`). Two projects: node for the backend and
// jsdom for the simulator page tests.
const transform = {
  '^.+\\.[tj]s$': [
    'ts-jest',
    { tsconfig: { isolatedModules: true, allowJs: true, esModuleInterop: true, target: 'ES2020', module: 'CommonJS' } },
  ],
};

module.exports = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/miniprogram/'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'miniprogram',
      // jsdom plus the Node globals the in-process backend needs (see the file).
      testEnvironment: '<rootDir>/test/miniprogram/environment.js',
      // Page tests run the real backend in process: resolve packages as Node does, not their browser builds.
      testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
      roots: ['<rootDir>/test/miniprogram'],
      testMatch: ['<rootDir>/test/miniprogram/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/miniprogram/setup.ts'],
      transform,
      transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram)'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      moduleDirectories: ['node_modules', 'miniprogram_npm'],
      moduleNameMapper: {
        '^tslib$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/miniprogram_npm/tslib/index.js',
      },
    },
  ],
};
