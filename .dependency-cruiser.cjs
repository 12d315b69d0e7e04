// Import-direction rules for the server (cloudfunctions/), the app (miniprogram/) and the DTOs (typings/).
// Run by `npm run lint`: depcruise cloudfunctions miniprogram typings --config .dependency-cruiser.cjs
// Tests (test/) and scripts (scripts/) are not cruised: they may import anything.
/** @type {import('dependency-cruiser').IConfiguration} */

const FUNCTIONS = '^cloudfunctions/(checkout|funds|merchant|jobs|payNotify)/';
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

module.exports = {
  forbidden: [
    {
      name: 'function-imports-itself-and-core',
      severity: 'error',
      comment:
        'A cloud function is deployed (and bundled) on its own: it may import only its own folder, cloudfunctions/core/, ' +
        'typings/, miniprogram/shared/, npm packages and node builtins. Code two functions need belongs in core/.',
      from: { path: FUNCTIONS },
      to: {
        pathNot: ['^cloudfunctions/$1/', '^cloudfunctions/core/', '^typings/', '^miniprogram/shared/', 'node_modules'],
        dependencyTypesNot: ['core'],
        // An import that does not resolve is reported once, by not-to-unresolvable.
        couldNotResolve: false,
      },
    },
    {
      name: 'core-stays-core',
      severity: 'error',
      comment:
        'cloudfunctions/core/ is the shared server library every function bundles: it must not depend on a function ' +
        'folder or on the local stack (cloudfunctions/local/), nor on the app except miniprogram/shared/.',
      from: { path: '^cloudfunctions/core/' },
      to: {
        path: ['^cloudfunctions/', '^miniprogram/'],
        pathNot: ['^cloudfunctions/core/', '^miniprogram/shared/'],
      },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'core/domain/ holds the business rules as plain functions: no adapters, no runtime, no config or collection ' +
        'names (those are wiring, decided outside the domain).',
      from: { path: '^cloudfunctions/core/domain/' },
      to: {
        path: [
          '^cloudfunctions/core/(adapters|runtime)/',
          '^cloudfunctions/core/(config|collections)(\\.[cm]?[jt]s|/|$)',
        ],
      },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'core/domain/ uses no npm package (not even type-only): it must run and be tested with no dependencies.',
      from: { path: '^cloudfunctions/core/domain/' },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'core/domain/ uses no node builtin except crypto (hashing for deterministic ids is allowed: it is pure and ' +
        'deterministic); files, network, processes and clocks come in through ports.',
      from: { path: '^cloudfunctions/core/domain/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'core/domain/ may name the port types (core/ports/) but not use their runtime code: type-only imports only.',
      from: { path: '^cloudfunctions/core/domain/' },
      to: { path: '^cloudfunctions/core/ports/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-never-imports-server',
      severity: 'error',
      comment:
        'The mini program runs on the phone and cannot load server code; it talks to the server through wx.cloud. ' +
        'Shared DTO types come from typings/ (type-only), shared pure code from miniprogram/shared/.',
      from: { path: '^miniprogram/' },
      to: { path: '^cloudfunctions/' },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment:
        'miniprogram/shared/ is compiled into both the app and the cloud functions: it may import only itself ' +
        '(no npm package, no node builtin, nothing from the app or the server).',
      from: { path: '^miniprogram/shared/' },
      to: { pathNot: '^miniprogram/shared/' },
    },
    {
      name: 'nothing-imports-local',
      severity: 'error',
      comment:
        'cloudfunctions/local/ is the local stack (SQLite, WeChat Pay sandbox, HTTP gateway) and is never deployed: ' +
        'only itself (and tests/scripts, not cruised) may import it.',
      from: { pathNot: '^cloudfunctions/local/' },
      to: { path: '^cloudfunctions/local/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that does not resolve to a file escapes every rule above (its path is the raw specifier); ' +
        'after moving a file, fix the importers.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles make load order matter (undefined values at import time under CommonJS) and block moving code. ' +
        'Cycles made only of type-only imports are erased at compile time and ignored.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Keep imports that compile away (type-only) in the graph: the rules above judge them too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: [
        // Generated by tsc beside each .ts of the app (hand-written *.wxs.js excepted).
        '^miniprogram/.*(?<!\\.wxs)\\.js$',
        // Generated by DevTools' "Build npm" / scripts/copy-npm.js.
        'miniprogram_npm',
        // esbuild bundles of the cloud functions.
        '^cloudfunctions/[^/]+/index\\.js$',
        'node_modules',
      ],
    },
    enhancedResolveOptions: {
      // .ts before .js: an import of './x' must resolve to x.ts, not to the generated x.js beside it.
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
