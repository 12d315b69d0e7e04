// WeChat's own compiler, offline: compiles the mini program exactly as an
// upload would (miniprogram-ci's getCompiledResult: TypeScript-free JS, WXML,
// WXSS, JSON checks) and enforces WeChat's package size limits. This catches
// what the simulator tolerates. Nothing is uploaded; the signing key is a
// throwaway generated here, and project attributes are supplied locally
// because the attribute service is not reachable offline.
const ci = require('miniprogram-ci');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const MB = 1024 * 1024;
const LIMITS = { package: 2 * MB, total: 20 * MB };
const root = path.join(__dirname, '..');

async function main() {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-wxcompile-'));
  const keyPath = path.join(tmp, 'key.pem');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const app = JSON.parse(fs.readFileSync(path.join(root, 'miniprogram/app.json'), 'utf8'));
  const roots = (app.subPackages || app.subpackages || []).map((p) => p.root.replace(/\/$/, ''));

  const project = new ci.Project({
    appid: 'touristappid',
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath: keyPath,
    ignores: ['node_modules/**/*', 'cloudfunctions/**/*', 'test/**/*', '.build/**/*', '.data/**/*'],
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
  });
  // The compiler is chatty; keep its lines for a failure report only.
  const chatter = [];
  const { log, error } = console;
  console.log = console.error = (...args) => chatter.push(args.join(' '));
  let files;
  try {
    files = await ci.getCompiledResult(
      { project, setting: { useProjectConfig: true }, onProgressUpdate: () => {} },
      path.join(tmp, 'compiled.zip'),
    );
  } catch (err) {
    Object.assign(console, { log, error });
    console.error(chatter.slice(-30).join('\n'));
    throw err;
  } finally {
    Object.assign(console, { log, error });
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const sizes = { main: 0 };
  for (const r of roots) sizes[r] = 0;
  for (const [file, content] of Object.entries(files)) {
    const owner = roots.find((r) => file.startsWith(`${r}/`)) || 'main';
    sizes[owner] += Buffer.byteLength(content);
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`wechat-compile: ${Object.keys(files).length} files compiled in ${Date.now() - started} ms`);
  for (const [name, size] of Object.entries(sizes))
    console.log(`  ${name.padEnd(22)} ${kb(size).padStart(10)}  (limit ${kb(LIMITS.package)})`);
  console.log(`  ${'total'.padEnd(22)} ${kb(total).padStart(10)}  (limit ${kb(LIMITS.total)})`);

  const over = Object.entries(sizes).filter(([, size]) => size > LIMITS.package);
  if (over.length || total > LIMITS.total) {
    console.error(`wechat-compile: over WeChat's size limits: ${over.map(([n]) => n).join(', ') || 'total'}`);
    process.exit(1);
  }
  for (const page of [
    'pages/home/index',
    ...roots.flatMap((r) =>
      (app.subPackages || []).find((p) => p.root.replace(/\/$/, '') === r).pages.map((p) => `${r}/${p}`),
    ),
  ]) {
    for (const ext of ['js', 'wxml', 'json']) {
      if (!files[`${page}.${ext}`]) {
        console.error(`wechat-compile: ${page}.${ext} is missing from the compiled package`);
        process.exit(1);
      }
    }
  }
}

// The compiler leaves a forked worker running: exit explicitly.
main().then(
  () => process.exit(0),
  (err) => {
    console.error("wechat-compile: WeChat's compiler refused the app:\n", err && (err.message || err));
    process.exit(1);
  },
);
