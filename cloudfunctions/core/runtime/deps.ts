// The ports a handler gets. Built once per process from the environment (a
// CloudBase instance or the local SQLite file); the local gateway and tests
// install their own with useDeps().
import path from 'node:path';
import type { Clock, Ids } from '../ports/clock';
import { randomIds, systemClock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { PayProvider } from '../ports/pay';
import type { FileStore } from '../ports/files';
import { type Config, loadConfig } from '../config';
import { createLogger, type Logger } from './log';
import type { Sealer } from '../ports/sealer';
import { createPrivateFile, securePrivateDir, sealerFromEnv } from './seal';
import { payFromEnv } from '../adapters/wechatpay';

export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Encryption at rest for personal data. */
  sealer: Sealer;
  /** WeChat Pay: the real v3 API in cloud mode, the local sandbox in local mode. */
  pay: PayProvider;
  /** Uploaded documents: CloudBase cloud storage in cloud mode, <dataDir>/uploads locally. */
  files: FileStore;
}

let current: Deps | null = null;

export function useDeps(deps: Deps | null): void {
  current = deps;
}

export async function getDeps(): Promise<Deps> {
  if (!current) current = await depsFromEnv();
  return current;
}

async function depsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Deps> {
  const config = loadConfig(env);
  const log = createLogger();
  let store: Store;
  let files: FileStore;
  if (config.mode === 'cloud') {
    const { CloudBaseStore } = await import('../adapters/cloudbase/store');
    store = CloudBaseStore.fromEnv(env);
    const { CloudBaseFileStore } = await import('../adapters/cloudbase/files');
    files = CloudBaseFileStore.fromEnv(env);
  } else {
    const { SqliteStore } = await import('../adapters/sqlite/store');
    store = new SqliteStore({ file: localStoreFile(config.dataDir) });
    const { LocalFileStore } = await import('../adapters/local/files');
    files = new LocalFileStore(path.join(config.dataDir, 'uploads'));
  }
  const clock = systemClock;
  return {
    config,
    store,
    clock,
    ids: randomIds,
    log,
    sealer: sealerFromEnv(env, config.dataDir, config.mode),
    pay: payFromEnv(config, env, clock),
    files,
  };
}

export const LOCAL_STORE_FILE = 'pms.sqlite';

/**
 * The local SQLite file, ready to open: the data folder made private (0700,
 * an existing folder's files 0600) and the database file created 0600 before
 * SQLite opens it, so its -wal and -shm files are 0600 too.
 */
export function localStoreFile(dataDir: string): string {
  securePrivateDir(dataDir);
  return createPrivateFile(path.join(dataDir, LOCAL_STORE_FILE));
}
