// npm start: the whole product on one machine with no cloud account.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../core/config';
import { SqliteStore } from '../core/adapters/sqlite/store';
import { randomIds, systemClock } from '../core/ports/clock';
import { createLogger } from '../core/runtime/log';
import { type Deps, useDeps } from '../core/runtime/deps';
import { sealerFromEnv } from '../core/runtime/seal';
import { DEFAULT_SANDBOX_PORT, sandboxDir, WechatPayProvider } from '../core/adapters/wechatpay';
import { LocalFileStore } from '../core/adapters/local/files';
import { createGateway } from './gateway';
import { startJobTimers } from './timers';
import { startSandbox } from './sandbox/server';

async function start(): Promise<void> {
  const env = { ...process.env, PMS_MODE: 'local' };
  const config = loadConfig(env);
  config.setupCode ??= setupCode(config.dataDir);
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const store = new SqliteStore({ file: path.join(config.dataDir, 'pms.sqlite') });
  // The WeChat Pay v3 sandbox first: it writes the keys the adapter reads. SANDBOX_TIME_SCALE
  // speeds up its delays and notification retries (0.01: 100x); SANDBOX_REVIEW=manual leaves
  // applications in review until an outcome is forced (POST /sandbox/applyments/<code>/outcome).
  const sandbox = await startSandbox({
    dir: sandboxDir(config),
    port: Number(process.env.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT),
    timeScale: Number(process.env.SANDBOX_TIME_SCALE ?? 1),
    review: process.env.SANDBOX_REVIEW === 'manual' ? 'manual' : 'auto',
    log: (message, data) => log.info({ sandbox: true, ...data }, message),
  });
  const pay = WechatPayProvider.fromSandboxDir(sandbox.dir, sandbox.url, systemClock);
  const deps: Deps = { config, store, clock: systemClock, ids: randomIds, log, sealer: sealerFromEnv(env, config.dataDir, 'local'), pay, files: new LocalFileStore(path.join(config.dataDir, 'uploads')) };
  useDeps(deps);

  const port = Number(process.env.PORT ?? 8787);
  const gateway = createGateway(deps);
  await gateway.listen({ host: '127.0.0.1', port });

  const timers = startJobTimers(deps);
  const demo = Object.values(config.miniPrograms)[0];
  console.log(
    [
      'Payment management, local stack',
      `  gateway      http://127.0.0.1:${port}  (POST /functions/<name>, GET /healthz)`,
      `  data         ${config.dataDir}`,
      `  wechat pay   ${sandbox.url}  (local v3 sandbox; ${sandbox.url}/sandbox for the buyer, reviewer, bank and notifications)`,
      `  pay keys     ${sandbox.dir}  (point any WeChat Pay v3 SDK at the sandbox with these)`,
      `  mini program ${demo.name} (appid ${demo.appid})`,
      `  setup code   ${config.setupCode}  (claim the merchant admin role in the app)`,
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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** A setup code generated once per data folder, so restarts keep it. */
function setupCode(dataDir: string): string {
  const file = path.join(dataDir, 'setup-code');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
  fs.writeFileSync(file, code, { mode: 0o600 });
  return code;
}

start().catch((err) => {
  console.error(err);
  process.exit(1);
});
