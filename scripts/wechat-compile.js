// WeChat's own compiler, offline: compiles the mini program exactly as an
// upload would (miniprogram-ci's getCompiledResult: TypeScript-free JS, WXML,
// WXSS, JSON checks) and enforces WeChat's package size limits. This catches
// what the simulator tolerates. Nothing is uploaded; the signing key is a
// throwaway generated here, and project attributes are supplied locally
// because the attribute service is not reachable offline.
//
// `npm run check:wechat` always compiles. The same check is a module for
// scripts/upload.js (`npm run upload -- --dry-run`), which may reuse the last
// result: each compile records, in .build/wechat-compile.json, the size of
// every compiled file and a fingerprint of everything the compiler reads (the
// files under miniprogram/, project.config.json, project.private.config.json
// and the miniprogram-ci version), and a result is reused only for the same
// fingerprint.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MB = 1024 * 1024;
const LIMITS = { package: 2 * MB, total: 20 * MB };
const ROOT = path.join(__dirname, '..');
/** What the compiler leaves out besides project.config.json's packOptions (the .ts sources). */
const IGNORES = ['node_modules/**/*', 'cloudfunctions/**/*', 'test/**/*', '.build/**/*', '.data/**/*'];
const CACHE = path.join('.build', 'wechat-compile.json');
const CI_VERSION = require('miniprogram-ci/package.json').version;
/** Loaded on first use: loading it takes a while and prints a line. */
const ci = () => require('miniprogram-ci');

/** app.json and its subpackage roots ("packages/checkout", ...). */
function readApp(root = ROOT) {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'miniprogram/app.json'), 'utf8'));
  const subPackages = app.subPackages || app.subpackages || [];
  return { app, subPackages, roots: subPackages.map((p) => p.root.replace(/\/$/, '')) };
}

/** A syntactically valid RSA key for the compiler (it signs nothing that leaves this machine). */
function throwawayKey(dir) {
  const keyPath = path.join(dir, 'key.pem');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  return keyPath;
}

/**
 * A miniprogram-ci Project. With `offline` the attributes an upload would
 * fetch from WeChat are supplied here (the tourist appid has none, and the
 * service is not reachable offline); a real upload leaves them to WeChat.
 */
function project({ root = ROOT, appid, privateKeyPath, offline }) {
  return new (ci().Project)({
    appid,
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath,
    ignores: IGNORES,
    ...(offline
      ? {
          attr: async () => ({
            platform: false,
            appType: 0,
            isSandbox: false,
            released: false,
            gameApp: false,
            setting: {
              MaxCodeSize: 2,
              MaxSubpackageSubCodeSize: 2,
              MaxSubpackageFullCodeSize: 20,
              NavigateMiniprogramLimit: 10,
              MaxSubPackageLimit: 100,
            },
          }),
        }
      : {}),
  });
}

/** Compiles the app as an upload would; resolves to the byte size of every compiled file. */
async function compile(root = ROOT) {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-wxcompile-'));
  // The compiler is chatty; keep its lines for a failure report only.
  const chatter = [];
  const { log, error } = console;
  console.log = console.error = (...args) => chatter.push(args.join(' '));
  try {
    const files = await ci().getCompiledResult(
      {
        project: project({ root, appid: 'touristappid', privateKeyPath: throwawayKey(tmp), offline: true }),
        setting: { useProjectConfig: true },
        onProgressUpdate: () => {},
      },
      path.join(tmp, 'compiled.zip'),
    );
    const fileSizes = {};
    for (const [file, content] of Object.entries(files)) fileSizes[file] = Buffer.byteLength(content);
    return { fileSizes, ms: Date.now() - started };
  } catch (err) {
    Object.assign(console, { log, error });
    if (err && typeof err === 'object') err.chatter = chatter.slice(-30).join('\n');
    throw err;
  } finally {
    Object.assign(console, { log, error });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A hash of everything the compiler reads: two trees with the same fingerprint compile to the same files. */
function fingerprint(root = ROOT) {
  const hash = crypto.createHash('sha256').update(`miniprogram-ci ${CI_VERSION}\n`);
  const add = (rel) => {
    hash.update(`${rel}\n`);
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update('\n');
  };
  for (const rel of ['project.config.json', 'project.private.config.json']) {
    if (fs.existsSync(path.join(root, rel))) add(rel);
  }
  const walk = (rel) => {
    for (const entry of fs
      .readdirSync(path.join(root, rel), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) add(child);
    }
  };
  walk('miniprogram');
  return hash.digest('hex');
}

function readCache(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, CACHE), 'utf8'));
  } catch {
    return null;
  }
}

function writeCache(root, entry) {
  const file = path.join(root, CACHE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(entry)}\n`);
  fs.renameSync(tmp, file);
}

/** Package sizes and every problem with them: over WeChat's limits, or a page missing from the package. */
function assess(fileSizes, root = ROOT) {
  const { subPackages, roots } = readApp(root);
  const sizes = { main: 0 };
  for (const r of roots) sizes[r] = 0;
  for (const [file, size] of Object.entries(fileSizes)) {
    const owner = roots.find((r) => file.startsWith(`${r}/`)) || 'main';
    sizes[owner] += size;
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const problems = [];
  const over = Object.entries(sizes).filter(([, size]) => size > LIMITS.package);
  if (over.length || total > LIMITS.total) {
    problems.push(`over WeChat's size limits: ${over.map(([n]) => n).join(', ') || 'total'}`);
  }
  const pages = [
    'pages/home/index',
    ...subPackages.flatMap((p) => p.pages.map((page) => `${p.root.replace(/\/$/, '')}/${page}`)),
  ];
  for (const page of pages) {
    for (const ext of ['js', 'wxml', 'json']) {
      if (fileSizes[`${page}.${ext}`] === undefined)
        problems.push(`${page}.${ext} is missing from the compiled package`);
    }
  }
  return { sizes, total, problems };
}

/**
 * The whole check: compile (or, with `reuse`, take the last result for the
 * same fingerprint), print the package sizes with `say`, and list every
 * problem. Rejects when the compiler refuses the app (err.chatter holds its
 * last lines).
 */
async function checkPackage({ root = ROOT, reuse = false, say = (line) => console.log(line) } = {}) {
  const print = fingerprint(root);
  const cached = reuse ? readCache(root) : null;
  let fileSizes;
  if (cached && cached.fingerprint === print && cached.ciVersion === CI_VERSION && cached.fileSizes) {
    fileSizes = cached.fileSizes;
    say(
      `wechat-compile: ${Object.keys(fileSizes).length} files, the compile of ${cached.compiledAt} reused (same sources, ${CACHE})`,
    );
  } else {
    const compiled = await compile(root);
    fileSizes = compiled.fileSizes;
    writeCache(root, { fingerprint: print, ciVersion: CI_VERSION, compiledAt: new Date().toISOString(), fileSizes });
    say(`wechat-compile: ${Object.keys(fileSizes).length} files compiled in ${compiled.ms} ms`);
  }
  const result = assess(fileSizes, root);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const [name, size] of Object.entries(result.sizes))
    say(`  ${name.padEnd(22)} ${kb(size).padStart(10)}  (limit ${kb(LIMITS.package)})`);
  say(`  ${'total'.padEnd(22)} ${kb(result.total).padStart(10)}  (limit ${kb(LIMITS.total)})`);
  return { ...result, files: Object.keys(fileSizes).length, reused: fileSizes === cached?.fileSizes };
}

module.exports = { LIMITS, IGNORES, CI_VERSION, readApp, project, compile, fingerprint, assess, checkPackage };

// The compiler leaves a forked worker running: exit explicitly.
if (require.main === module) {
  checkPackage().then(
    ({ problems }) => {
      for (const problem of problems) console.error(`wechat-compile: ${problem}`);
      process.exit(problems.length ? 1 : 0);
    },
    (err) => {
      if (err?.chatter) console.error(err.chatter);
      console.error("wechat-compile: WeChat's compiler refused the app:\n", err && (err.message || err));
      process.exit(1);
    },
  );
}
