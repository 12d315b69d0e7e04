// npm run build: the mini program's TypeScript to JS beside each file, each
// cloud function bundled into its own folder (deployable on its own), and the
// local stack into .build/.
const { execFileSync } = require('node:child_process');
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const started = Date.now();

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'miniprogram/tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});

const functionsDir = path.join(root, 'cloudfunctions');
const functions = fs
  .readdirSync(functionsDir)
  .filter(
    (name) =>
      fs.existsSync(path.join(functionsDir, name, 'package.json')) &&
      fs.existsSync(path.join(functionsDir, name, 'index.ts')),
  );

// A "main" field would make `import '../merchant'` resolve to the bundle (with
// its own copy of the runtime) instead of the source; CloudBase does not need
// it (the handler is index.main).
for (const name of functions) {
  if (require(path.join(functionsDir, name, 'package.json')).main) {
    console.error(`build: remove "main" from cloudfunctions/${name}/package.json (see scripts/build.js)`);
    process.exit(1);
  }
}

const builds = functions.map((name) =>
  esbuild.build({
    entryPoints: [path.join(functionsDir, name, 'index.ts')],
    outfile: path.join(functionsDir, name, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: true,
    sourcemap: false,
    // Only the local store needs it, and CloudBase never loads that adapter.
    external: ['better-sqlite3'],
    logLevel: 'warning',
    legalComments: 'none',
  }),
);

builds.push(
  esbuild.build({
    entryPoints: [path.join(functionsDir, 'local', 'start.ts')],
    outfile: path.join(root, '.build', 'local', 'start.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  }),
);

Promise.all(builds).then(
  () =>
    console.log(
      `build: mini program + ${functions.length} functions (${functions.join(', ')}) + local stack in ${Date.now() - started} ms`,
    ),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
