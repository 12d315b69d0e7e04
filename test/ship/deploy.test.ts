// npm run deploy (scripts/deploy.ts): the dry run on this repository as CI
// runs it, every setting checked when given, structural faults named, and a
// real deploy driven through injected runners: without credentials it stops
// before running anything; with them it runs build, cloudbase:setup and the
// CloudBase CLI with a derived config, then fails unless the functions read
// back as deployed. Nothing here reaches the cloud.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type DeployDeps, main, SETTINGS } from '../../scripts/deploy';
import { cloudSettings, deployableCopy, editJson, removeTempDirs, ROOT, tempDir, writeEnvFile } from './support';

afterAll(removeTempDirs);

const run = async (argv: string[], env: NodeJS.ProcessEnv, deps?: DeployDeps, root?: string) => {
  const lines: string[] = [];
  const code = await main(argv, env, (line) => lines.push(line), deps, root);
  return { code, out: lines.join('\n') };
};

const required = SETTINGS.filter((s) => s.required).map((s) => s.name);
const CREDENTIALS = { TCB_ENV: 'pms-prod-1a2b3c', TCB_SECRET_ID: 'AKIDtest', TCB_SECRET_KEY: 'secret-key-for-tests' };

/** Runners that record what would run; nothing is spawned. */
function recorder(codes: Record<string, number> = {}, problems: string[] = []) {
  const calls: Array<{ command: string; args: string[]; env: NodeJS.ProcessEnv; config?: string; mode?: number }> = [];
  const deps: DeployDeps = {
    run: async (command, args, options) => {
      const i = args.indexOf('--config-file');
      const file = i >= 0 ? args[i + 1] : undefined;
      calls.push({
        command,
        args,
        env: options.env,
        ...(file ? { config: fs.readFileSync(file, 'utf8'), mode: fs.statSync(file).mode & 0o777 } : {}),
      });
      const key = args.includes('fn') ? 'tcb' : args.join(' ');
      return codes[key] ?? 0;
    },
    verify: jest.fn(async () => ({ problems, lines: ['  (read back)'] })),
  };
  return { calls, deps };
}

describe('npm run deploy -- --dry-run', () => {
  test('passes on this repository with no settings, listing what a real deploy needs (as CI runs it)', async () => {
    const env = { ...process.env };
    for (const name of [...required, 'TCB_ENV', 'TCB_SECRET_ID', 'TCB_SECRET_KEY']) delete env[name];
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'deploy', '--', '--dry-run'], {
      cwd: ROOT,
      env,
    });
    expect(stdout).toContain('dry run (nothing built, nothing sent; @cloudbase/cli 2.12.10)');
    for (const name of required) expect(stdout).toMatch(new RegExp(`${name} +required +needed by a real deploy`));
    expect(stdout).toContain('not checked: no --env-file');
    for (const name of ['merchant', 'checkout', 'funds', 'payNotify', 'jobs'])
      expect(stdout).toMatch(new RegExp(`\\n  ${name} +timeout`));
    expect(stdout).toMatch(/jobs .*timer everyMinute "0 \* \* \* \* \* \*"/);
    expect(stdout).toMatch(/payNotify .*HTTP access \/payNotify/);
    expect(stdout).not.toContain('problem:');
    expect(stdout).toContain('deploy, dry run: 5 functions ready (settings not checked)');
  }, 60_000);

  test('with --env-file every setting is checked, and a complete set passes without printing a secret', async () => {
    const settings = cloudSettings();
    const file = writeEnvFile(tempDir('env'), settings);
    const { code, out } = await run(['--dry-run', '--env-file', file], {});
    expect(out).not.toContain('problem:');
    expect(code).toBe(0);
    expect(out).toContain('PMS_MINI_PROGRAMS: wx8f3c2a1b0d4e5f67');
    expect(out).toContain('WeChat Pay: sp_mchid 1900000001, sp_appid wx1234567890abcdef, 1 platform key(s)');
    expect(out).toContain('settings complete');
    for (const secret of ['PMS_DATA_KEY', 'PMS_WXPAY_MERCHANT_PRIVATE_KEY', 'PMS_WXPAY_APIV3_KEY', 'PMS_MINI_PROGRAMS'])
      expect(out).not.toContain(settings[secret]);
    expect(out).toContain(`PMS_NOTIFY_URL                  required  set (${file}): https://`);
  }, 60_000);

  test('bad settings are each named: key size, notify URL, records, WeChat Pay keys, typos, local-only names', async () => {
    const settings = cloudSettings();
    settings.PMS_DATA_KEY = Buffer.alloc(16).toString('base64');
    settings.PMS_NOTIFY_URL = 'http://example.com/payNotify?x=1';
    settings.PMS_MINI_PROGRAMS = JSON.stringify([
      { appid: 'wx2b7d0c6e1f3a5b9c', name: 'Noodles', entity: { name: 'Zhang San', creditCode: '92440300MA5G00001R' } },
    ]);
    settings.PMS_WXPAY_APIV3_KEY = 'too-short';
    delete settings.PMS_WXPAY_MERCHANT_SERIAL;
    const file = writeEnvFile(tempDir('env'), {
      ...settings,
      PMS_WXPAY_SP_MCH_ID: '1900000001',
      PMS_SETUP_CODE: '123456',
      PMS_SERVICE_STATUS: 'paused',
    });
    const { code, out } = await run(['--dry-run', '--env-file', file], {});
    expect(code).toBe(1);
    expect(out).toContain('problem: missing: PMS_WXPAY_MERCHANT_SERIAL');
    expect(out).toContain('problem: PMS_DATA_KEY must be 32 bytes, base64');
    expect(out).toContain('problem: PMS_NOTIFY_URL must be https');
    expect(out).toContain(
      'PMS_MINI_PROGRAMS record 0 (appid "wx2b7d0c6e1f3a5b9c"): entity.domestic is required (no default)',
    );
    expect(out).toContain('problem: PMS_SERVICE_STATUS must be active, discontinued or unavailable');
    expect(out).toContain(`problem: PMS_WXPAY_SP_MCH_ID in ${file} is not a setting the functions read (a typo?)`);
    expect(out).toContain(`problem: PMS_SETUP_CODE in ${file}: not sent`);
    // Checked again when the missing one is there: the APIv3 key is validated by the adapter's own reader.
    const fixed = writeEnvFile(tempDir('env'), { ...cloudSettings(), PMS_WXPAY_APIV3_KEY: 'too-short' });
    const again = await run(['--dry-run', '--env-file', fixed], {});
    expect(again.code).toBe(1);
    expect(again.out).toContain('problem: WeChat Pay settings: the APIv3 key must be 32 bytes');
  }, 60_000);

  test('structural faults are each named; the untouched copy passes', async () => {
    const good = deployableCopy();
    const ok = await run(['--dry-run'], {}, undefined, good);
    expect(ok.out).not.toContain('problem:');
    expect(ok.code).toBe(0);

    const root = deployableCopy();
    const fn = (name: string, file: string) => path.join(root, 'cloudfunctions', name, file);
    fs.mkdirSync(path.join(root, 'cloudfunctions', 'orphan'));
    fs.writeFileSync(fn('orphan', 'package.json'), '{}');
    fs.writeFileSync(fn('orphan', 'index.ts'), '');
    editJson(path.join(root, 'cloudbaserc.json'), (rc) => {
      for (const f of rc.functions as Array<Record<string, unknown>>) if (f.name === 'jobs') delete f.triggers;
    });
    editJson(fn('jobs', 'config.json'), (c) => {
      delete c.triggers;
    });
    editJson(fn('merchant', 'config.json'), (c) => {
      c.timeout = 30;
    });
    editJson(fn('payNotify', 'config.json'), (c) => {
      delete c.httpTrigger;
    });
    editJson(fn('funds', 'config.json'), (c) => {
      (c.envVariables as Record<string, string>).PMS_DATA_KEY = 'committed';
    });
    fs.writeFileSync(fn('checkout', 'index.js'), "require('left-pad'); exports.main = async () => ({});\n");
    fs.rmSync(fn('merchant', 'index.js'));
    const { code, out } = await run(['--dry-run'], {}, undefined, root);
    expect(code).toBe(1);
    expect(out).toContain('problem: cloudbaserc.json does not list the function folder cloudfunctions/orphan');
    expect(out).toContain('problem: jobs: needs its timer trigger');
    expect(out).toContain(
      'problem: cloudfunctions/merchant/config.json: timeout 30 s, but cloudbaserc.json deploys 20 s',
    );
    expect(out).toContain('problem: payNotify: needs an httpTrigger');
    expect(out).toContain('problem: funds: PMS_DATA_KEY is committed in its configuration');
    expect(out).toMatch(/problem: cloudfunctions\/checkout\/index.js does not load on its own: .*left-pad/);
    expect(out).toContain('problem: cloudfunctions/merchant/index.js is missing: run npm run build');
  }, 60_000);
});

describe('npm run deploy', () => {
  test('without credentials it fails with the message naming each, and runs nothing', async () => {
    const file = writeEnvFile(tempDir('env'), cloudSettings());
    const { calls, deps } = recorder();
    const none = await run(['--env-file', file], {}, deps);
    expect(none.code).toBe(1);
    expect(none.out).toContain('deploy: missing TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY');
    expect(none.out).toContain('Nothing was built or sent');
    const partial = await run(['--env-file', file], { TCB_ENV: 'pms-prod-1a2b3c' }, deps);
    expect(partial.code).toBe(1);
    expect(partial.out).toContain('deploy: missing TCB_SECRET_ID, TCB_SECRET_KEY');
    expect(calls).toEqual([]);
    expect(deps.verify).not.toHaveBeenCalled();

    // The npm script itself, as a person would run it.
    const env = { ...process.env };
    for (const name of ['TCB_ENV', 'TCB_SECRET_ID', 'TCB_SECRET_KEY']) delete env[name];
    const failed = await promisify(execFile)('npm', ['run', '--silent', 'deploy'], { cwd: ROOT, env }).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('deploy: missing TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY');
    expect(failed?.stdout).not.toContain('> npm run build');
  }, 60_000);

  test('with credentials but incomplete settings it stops before building', async () => {
    const settings = cloudSettings();
    delete settings.PMS_NOTIFY_URL;
    const file = writeEnvFile(tempDir('env'), settings);
    const { calls, deps } = recorder();
    const { code, out } = await run(['--env-file', file], CREDENTIALS, deps);
    expect(code).toBe(1);
    expect(out).toContain('problem: missing: PMS_NOTIFY_URL');
    expect(out).toContain('deploy: stopped before building or sending anything');
    expect(calls).toEqual([]);
  }, 60_000);

  test('runs build, cloudbase:setup, then tcb fn deploy with a private derived config, and reads the functions back', async () => {
    const settings = cloudSettings();
    const file = writeEnvFile(tempDir('env'), settings);
    const { calls, deps } = recorder();
    const { code, out } = await run(['--env-file', file], CREDENTIALS, deps, deployableCopy());
    expect(out).not.toContain('problem:');
    expect(code).toBe(0);
    expect(calls.map((c) => [c.command, ...c.args].filter((a) => !a.includes('cloudbaserc.')).join(' '))).toEqual([
      'npm run build',
      'npm run cloudbase:setup',
      `${process.execPath} ${path.join(ROOT, 'node_modules/@cloudbase/cli/bin/tcb')} --config-file fn deploy --all --force --yes -e pms-prod-1a2b3c`,
    ]);
    const [, setup, tcb] = calls;
    expect(setup.env).toMatchObject(CREDENTIALS);
    expect(tcb.env).toMatchObject({
      TENCENTCLOUD_SECRETID: 'AKIDtest',
      TENCENTCLOUD_SECRETKEY: 'secret-key-for-tests',
    });
    expect(tcb.mode).toBe(0o600);
    const config = JSON.parse(tcb.config as string) as {
      envId: string;
      functions: Array<{ name: string; envVariables: Record<string, string>; path?: string; triggers?: unknown[] }>;
    };
    expect(config.envId).toBe('pms-prod-1a2b3c');
    const byName = Object.fromEntries(config.functions.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['checkout', 'funds', 'jobs', 'merchant', 'payNotify']);
    for (const f of config.functions) {
      expect(f.envVariables).toMatchObject({ ...settings, PMS_MODE: 'cloud' });
      expect(Object.keys(f.envVariables)).not.toEqual(expect.arrayContaining(['TCB_SECRET_ID']));
    }
    expect(byName.checkout.envVariables).toMatchObject({ PMS_SERVICE_STATUS: 'active', TCB_TX_BUDGET_MS: '15000' });
    expect(byName.payNotify.path).toBe('/payNotify');
    expect(byName.jobs.triggers).toEqual([{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }]);
    // The derived file (with the secrets) is gone once the CLI is done.
    const configFile = tcb.args[tcb.args.indexOf('--config-file') + 1];
    expect(fs.existsSync(configFile)).toBe(false);
    expect(fs.existsSync(path.dirname(configFile))).toBe(false);
    expect(deps.verify).toHaveBeenCalledWith(
      { envId: 'pms-prod-1a2b3c', secretId: 'AKIDtest', secretKey: 'secret-key-for-tests' },
      expect.objectContaining({ envId: 'pms-prod-1a2b3c' }),
      expect.any(Number),
    );
    expect(out).toContain('deploy: done');
    expect(out).not.toContain(settings.PMS_DATA_KEY);
  }, 60_000);

  test('fails when a step fails, and when the CLI exits 0 but a function is not as deployed', async () => {
    const file = writeEnvFile(tempDir('env'), cloudSettings());
    const setupFails = recorder({ 'run cloudbase:setup': 1 });
    const a = await run(['--env-file', file], CREDENTIALS, setupFails.deps, deployableCopy());
    expect(a.code).toBe(1);
    expect(a.out).toContain('deploy: cloudbase:setup failed; functions not deployed');
    expect(setupFails.calls).toHaveLength(2);

    const notDeployed = recorder({}, ['payNotify: not updated by this deploy (last modified 2024-01-01 00:00:00)']);
    const b = await run(['--env-file', file], CREDENTIALS, notDeployed.deps, deployableCopy());
    expect(b.code).toBe(1);
    expect(b.out).toContain('problem: payNotify: not updated by this deploy');
    expect(b.out).toContain('the functions above are not as deployed');
  }, 60_000);
});
