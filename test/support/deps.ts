// Real dependencies for function tests: a temp SQLite file per test, a clock
// the test controls, the demo mini program registered (admin ADMIN_OPENID by
// configuration, setup code 246810: see openForClaim), and WeChat Pay as the
// real v3 adapter talking to a real in-process sandbox (fresh state per call,
// same clock, notifications to a local inbox).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { LocalFileStore } from '../../cloudfunctions/core/adapters/local/files';
import { DEMO_APPID, loadConfig, type Config } from '../../cloudfunctions/core/config';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { type Deps, useDeps } from '../../cloudfunctions/core/runtime/deps';
import { contextFor, type Identity } from '../../cloudfunctions/core/runtime/identity';
import { createLogger } from '../../cloudfunctions/core/runtime/log';
import { createSealer } from '../../cloudfunctions/core/runtime/seal';
import type { Main } from '../../cloudfunctions/core/runtime/main';
import type { FieldProblems } from '../../miniprogram/shared/errors';
import type { ApiResult } from '../../typings/api';
import type { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import type { Sandbox } from '../../cloudfunctions/local/sandbox/server';
import { type NotifyInbox, startTestSandbox, type TestSandboxOptions } from './sandbox';

export const ADMIN_OPENID = 'o_admin_0000000000000000001';
export const BUYER_OPENID = 'o_buyer_0000000000000000001';
export const admin: Identity = { openid: ADMIN_OPENID, appid: DEMO_APPID };
export const buyer: Identity = { openid: BUYER_OPENID, appid: DEMO_APPID };

export interface TestDeps extends Deps {
  clock: ManualClock;
  dataDir: string;
  pay: WechatPayProvider;
  /** The WeChat Pay sandbox behind `pay`: buyer, reviewer and bank (pay(), forceApplyment(), flush(), …). */
  sandbox: Sandbox;
  /** config.notifyUrl points here: notifications the sandbox sent (set `respond` to fail them). */
  inbox: NotifyInbox;
  /** Stops the sandbox and the inbox and closes the store. */
  close(): Promise<void>;
}

let seq = 0;
/** The sandbox of the latest deps: an earlier one left open stops ticking (no background CPU). */
let latestSandbox: Sandbox | null = null;

/** Fresh deps on a temp SQLite file, installed for every function's main(). */
export async function testDeps(
  overrides: Partial<Config> = {},
  sandboxOptions: TestSandboxOptions = {},
): Promise<TestDeps> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-test-'));
  const config = loadConfig({ PMS_MODE: 'local', PMS_DATA_DIR: dataDir, PMS_SETUP_CODE: '246810' });
  config.miniPrograms[DEMO_APPID].admins = [ADMIN_OPENID];
  const clock = new ManualClock();
  const wx = await startTestSandbox({ ...sandboxOptions, clock, dir: path.join(dataDir, 'sandbox') });
  latestSandbox?.stopTicker();
  latestSandbox = wx.sandbox;
  config.notifyUrl = wx.inbox.url;
  Object.assign(config, overrides);
  let n = 0;
  const store = new SqliteStore({ file: path.join(dataDir, 'test.sqlite') });
  const deps: TestDeps = {
    config,
    store,
    clock,
    ids: { next: (prefix) => `${prefix}${String(++seq).padStart(6, '0')}${String(++n).padStart(4, '0')}` },
    log: createLogger({ level: 'silent' }),
    sealer: createSealer(Buffer.alloc(32, 7)),
    files: new LocalFileStore(path.join(dataDir, 'uploads')),
    dataDir,
    pay: wx.provider,
    sandbox: wx.sandbox,
    inbox: wx.inbox,
    async close() {
      await wx.close();
      await store.close();
    },
  };
  useDeps(deps);
  return deps;
}

/**
 * The demo mini program with no configured admins, so its setup code (246810)
 * can be claimed: a registration that lists admins refuses every claim.
 */
export function openForClaim(deps: Deps, appid = DEMO_APPID): void {
  deps.config.miniPrograms[appid].admins = [];
}

/** Calls a function the way CloudBase would: event plus a runtime context carrying the identity. */
export async function call<T = unknown>(
  main: Main,
  who: Identity | null,
  action: string,
  data?: unknown,
  idempotencyKey?: string,
): Promise<ApiResult<T>> {
  const event = { action, data, ...(idempotencyKey ? { idempotencyKey } : {}) };
  return (await main(event, who ? contextFor(who) : undefined)) as ApiResult<T>;
}

/** Unwraps a successful result, failing the test with the error otherwise. */
export async function ok<T = unknown>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok)
    throw new Error(`expected ok, got ${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

/** Unwraps a failed result's error code. */
export async function errorOf(result: Promise<ApiResult<unknown>>): Promise<{
  code: string;
  message: string;
  fields?: FieldProblems;
  details?: Record<string, string | number>;
  correlationId?: string;
}> {
  const r = await result;
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
  return r.error;
}
