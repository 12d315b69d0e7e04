// npm start: the whole product on one machine with no cloud account.
import path from 'node:path';
import { type Config, ConfigError, ensureLocalSetupCodes, loadConfig } from '../core/config';
import type { Store } from '../core/ports/store';
import type { AdminDoc } from '../core/runtime/roles';
import { SqliteStore } from '../core/adapters/sqlite/store';
import { randomIds } from '../core/ports/clock';
import { createLogger } from '../core/runtime/log';
import { type Deps, localStoreFile, useDeps } from '../core/runtime/deps';
import { securePrivateDir, sealerFromEnv } from '../core/runtime/seal';
import { DEFAULT_SANDBOX_PORT, sandboxDir, WechatPayProvider } from '../core/adapters/wechatpay';
import { LocalFileStore } from '../core/adapters/local/files';
import { LocalClock } from './console/clock';
import { SandboxEvents } from './console/events';
import { duration } from './console/sandbox-jobs';
import { createGateway } from './gateway';
import { startJobTimers } from './timers';
import { startSandbox } from './sandbox/server';
import { DataDirLocked, lockDataDir } from './lock';

async function start(): Promise<void> {
  const env = { ...process.env, PMS_MODE: 'local' };
  // Registration records are checked here: a bad one stops the start with its index, appid and field.
  const config = loadConfig(env);
  // Everything this process writes is its owner's only (0600 files, 0700 folders): the SQLite files,
  // keys, codes, uploads. The data folder is made private, an existing one included.
  process.umask(0o077);
  securePrivateDir(config.dataDir);
  // One stack per data folder: a second `npm start` on it is refused, naming the folder and the first's pid.
  const lock = lockDataDir(config.dataDir);
  process.on('exit', () => lock.release());
  // Per mini program, generated once under the data folder (PMS_SETUP_CODE still sets the demo's).
  ensureLocalSetupCodes(config);
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const store = new SqliteStore({ file: localStoreFile(config.dataDir) });
  // One clock for the functions, the WeChat Pay client and the sandbox; the console moves it forward.
  const clock = LocalClock.forDataDir(config.dataDir);
  const events = new SandboxEvents(clock);
  // The WeChat Pay v3 sandbox first: it writes the keys the adapter reads. SANDBOX_TIME_SCALE
  // speeds up its delays and notification retries (0.01: 100x); SANDBOX_REVIEW=manual leaves
  // applications in review until an outcome is forced (POST /sandbox/applyments/<code>/outcome).
  const sandbox = await startSandbox({
    dir: sandboxDir(config),
    port: Number(process.env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT),
    timeScale: Number(process.env.SANDBOX_TIME_SCALE ?? 1),
    review: process.env.SANDBOX_REVIEW === 'manual' ? 'manual' : 'auto',
    // SANDBOX_PLATFORM_MODE=certificate: WeChat signs with platform certificates, which the adapter downloads.
    platformMode: process.env.SANDBOX_PLATFORM_MODE === 'certificate' ? 'certificate' : 'public_key',
    clock,
    log: (message, data) => {
      events.record(message, data);
      log.info({ sandbox: true, ...data }, message);
    },
  });
  const pay = WechatPayProvider.fromSandboxDir(sandbox.dir, sandbox.url, clock);
  const deps: Deps = {
    config,
    store,
    clock,
    ids: randomIds,
    log,
    sealer: sealerFromEnv(env, config.dataDir, 'local'),
    pay,
    files: new LocalFileStore(path.join(config.dataDir, 'uploads')),
  };
  useDeps(deps);

  const timers = startJobTimers(deps);
  const port = Number(process.env.PORT ?? 8787);
  const gateway = createGateway(deps, { console: { deps, sandbox, jobs: timers, clock, events } });
  await gateway.listen({ host: '127.0.0.1', port });

  console.log(
    [
      'Payment management, local stack',
      `  console      http://127.0.0.1:${port}/console  (open in a browser: state, and WeChat's side: review, pay, bank, clock; ?lang=en-US for English)`,
      `  gateway      http://127.0.0.1:${port}  (POST /functions/<name>, GET /healthz)`,
      `  data         ${config.dataDir}`,
      `  wechat pay   ${sandbox.url}  (local v3 sandbox; ${sandbox.url}/sandbox for the buyer, reviewer, bank and notifications)`,
      `  pay keys     ${sandbox.dir}  (point any WeChat Pay v3 SDK at the sandbox with these)`,
      ...(clock.offsetMs > 0
        ? [`  clock        ${duration(clock.offsetMs)} ahead of real time (moved in the console)`]
        : []),
      ...(await adminSetupLines(config, store)),
      'Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down`);
    timers.stop();
    await gateway.close();
    await sandbox.close();
    await store.close();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Every registered mini program and how its merchant admin is set up. */
async function adminSetupLines(config: Config, store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const record of Object.values(config.miniPrograms)) {
    lines.push(`  mini program ${record.name} (appid ${record.appid})`);
    let admin: string;
    if (record.admins.length > 0) admin = `admins configured (${record.admins.length})`;
    else if (await store.get<AdminDoc>('admins', record.appid)) admin = 'claimed';
    else if (record.setupCode)
      admin = `setup code ${record.setupCode}  (claim the merchant admin role in the app; one use)`;
    else admin = `no admin: setup code disabled (${config.setupCodeProblems[record.appid] ?? 'none configured'})`;
    lines.push(`    admin      ${admin}`);
  }
  for (const [key, problem] of Object.entries(config.setupCodeProblems)) {
    if (!config.miniPrograms[key]) lines.push(`  config       ${problem}`);
  }
  return lines;
}

start().catch((err) => {
  // A configuration or a second stack on the same folder: the message says it all.
  console.error(err instanceof ConfigError || err instanceof DataDirLocked ? `npm start: ${err.message}` : err);
  process.exit(1);
});
