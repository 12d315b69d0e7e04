// npm run bench: bundles test/bench/run.ts with esbuild (which, like jest,
// resolves a function folder to its index.ts source rather than the deployable
// index.js bundle beside it) and runs it.
const esbuild = require('esbuild');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outfile = path.join(root, '.build', 'bench.js');
esbuild
  .build({
    entryPoints: [path.join(root, 'test/bench/run.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  })
  .then(() => require(outfile))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
