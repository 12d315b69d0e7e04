// npm run upload / npm run preview (scripts/upload.js, miniprogram-ci): the
// dry run compiles with WeChat's compiler and checks the package sizes (the
// check of scripts/wechat-compile.js, reusing its last result for the same
// sources); a real run refuses, before building or sending, what would ship
// a broken app. Nothing here uploads: there is no key for a real appid.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { removeTempDirs, ROOT, tempDir } from './support';

afterAll(removeTempDirs);

interface WechatCompile {
  fingerprint(root?: string): string;
  checkPackage(options: {
    root?: string;
    reuse?: boolean;
    say?: (line: string) => void;
  }): Promise<{ problems: string[]; sizes: Record<string, number>; total: number; reused: boolean }>;
}
const wechat = require('../../scripts/wechat-compile') as WechatCompile;

/** Runs an npm script; resolves to its exit code and output whatever the code. */
async function npm(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env, ...env };
  if (!('WX_PRIVATE_KEY_PATH' in env)) delete base.WX_PRIVATE_KEY_PATH;
  return promisify(execFile)('npm', ['run', '--silent', ...args], { cwd: ROOT, env: base, maxBuffer: 8 << 20 }).then(
    ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
  );
}

test('upload --dry-run compiles with WeChat compiler, checks the package sizes and lists what a real upload needs', async () => {
  const started = Date.now();
  const { code, out } = await npm(['upload', '--', '--dry-run']);
  expect(out).not.toContain('problem:');
  expect(code).toBe(0);
  expect(out).toContain('upload, dry run (nothing sent): miniprogram-ci 2.1.42');
  expect(out).toMatch(/wechat-compile: \d+ files( compiled in \d+ ms|, the compile of .* reused)/);
  for (const pkg of ['main', 'packages/onboarding', 'packages/checkout', 'packages/funds'])
    expect(out).toMatch(new RegExp(`\\n  ${pkg} +[0-9.]+ KB  \\(limit 2048.0 KB\\)`));
  // The repository as committed is not uploadable yet, and the dry run says why.
  expect(out).toContain(`a real upload needs: project.config.json's appid is "touristappid"`);
  expect(out).toContain('a real upload needs: WX_PRIVATE_KEY_PATH is not set');
  expect(out).toContain('upload, dry run: the package compiles and fits');
  console.log(`upload dry run: ${Date.now() - started} ms (${/reused/.test(out) ? 'compile reused' : 'compiled'})`);
}, 240_000);

test('a recorded compile is reused only for the same sources, and its sizes are checked against the limits', async () => {
  const root = tempDir('wxcompile');
  fs.mkdirSync(path.join(root, 'miniprogram/pages/home'), { recursive: true });
  fs.writeFileSync(path.join(root, 'project.config.json'), '{"appid":"touristappid"}');
  fs.writeFileSync(
    path.join(root, 'miniprogram/app.json'),
    JSON.stringify({
      pages: ['pages/home/index'],
      subPackages: [{ root: 'packages/funds/', pages: ['pages/home/index'] }],
    }),
  );
  fs.writeFileSync(path.join(root, 'miniprogram/pages/home/index.ts'), 'export {};\n');
  const print = wechat.fingerprint(root);
  fs.mkdirSync(path.join(root, '.build'));
  fs.writeFileSync(
    path.join(root, '.build/wechat-compile.json'),
    JSON.stringify({
      fingerprint: print,
      ciVersion: require('miniprogram-ci/package.json').version,
      compiledAt: '2026-01-01T00:00:00.000Z',
      fileSizes: {
        'app.js': 2 * 1024 * 1024,
        'pages/home/index.js': 100,
        'pages/home/index.wxml': 100,
        'pages/home/index.json': 100,
        'packages/funds/pages/home/index.js': 100,
        'packages/funds/pages/home/index.json': 100,
      },
    }),
  );
  const lines: string[] = [];
  const result = await wechat.checkPackage({ root, reuse: true, say: (l) => lines.push(l) });
  expect(result.reused).toBe(true);
  expect(lines[0]).toBe(
    'wechat-compile: 6 files, the compile of 2026-01-01T00:00:00.000Z reused (same sources, .build/wechat-compile.json)',
  );
  expect(result.problems).toEqual([
    "over WeChat's size limits: main",
    'packages/funds/pages/home/index.wxml is missing from the compiled package',
  ]);
  // Any change to what the compiler reads is a different fingerprint, so the record is not reused.
  fs.appendFileSync(path.join(root, 'miniprogram/pages/home/index.ts'), '// changed\n');
  expect(wechat.fingerprint(root)).not.toBe(print);
});

test('a real upload refuses the tourist appid, a missing key and a local-mode app, before building or sending', async () => {
  const { code, out } = await npm(['upload']);
  expect(code).toBe(1);
  expect(out).toContain(`problem: project.config.json's appid is "touristappid"`);
  expect(out).toContain('problem: WX_PRIVATE_KEY_PATH is not set');
  expect(out).toContain('problem: the app is in local mode (miniprogram/config.ts)');
  expect(out).toContain('upload: nothing built or sent');
  expect(out).not.toContain('> npm run build');

  // A key that parses is accepted; one that does not fails even a dry run.
  const dir = tempDir('key');
  const key = path.join(dir, 'private.wx8f3c2a1b0d4e5f67.key');
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(key, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const preview = await npm(['preview', '--', '--qrcode', path.join(dir, 'qr.png')], { WX_PRIVATE_KEY_PATH: key });
  expect(preview.code).toBe(1);
  expect(preview.out).toContain(`  key          ${key}`);
  expect(preview.out).toContain('warning: the app is in local mode');
  expect(preview.out).not.toContain('problem: WX_PRIVATE_KEY_PATH');
  expect(preview.out).toContain('preview: nothing built or sent');
  fs.writeFileSync(key, 'not a key');
  const broken = await npm(['upload', '--', '--dry-run', '--version', 'v1'], { WX_PRIVATE_KEY_PATH: key });
  expect(broken.code).toBe(1);
  expect(broken.out).toContain(`problem: WX_PRIVATE_KEY_PATH=${key} is not a readable private key`);
  expect(broken.out).toContain('problem: version "v1" is not a version such as 1.2.3');
}, 240_000);
