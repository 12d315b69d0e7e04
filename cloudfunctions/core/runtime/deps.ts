// The ports a handler gets. Built once per process from the environment (a
// CloudBase instance or the local SQLite file); the local gateway and tests
// install their own with useDeps().
import path from 'node:path';
import type { Clock, Ids } from '../ports/clock';
import { randomIds, systemClock } from '../ports/clock';
import type { Store } from '../ports/store';
import { type Config, loadConfig } from '../config';
import { createLogger, type Logger } from './log';
import { type Sealer, sealerFromEnv } from './seal';

export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Encryption at rest for personal data. */
  sealer: Sealer;
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
  if (config.mode === 'cloud') {
    const { CloudBaseStore } = await import('../adapters/cloudbase/store');
    store = CloudBaseStore.fromEnv(env);
  } else {
    const { SqliteStore } = await import('../adapters/sqlite/store');
    store = new SqliteStore({ file: path.join(config.dataDir, 'pms.sqlite') });
  }
  return { config, store, clock: systemClock, ids: randomIds, log, sealer: sealerFromEnv(env, config.dataDir, config.mode) };
}
