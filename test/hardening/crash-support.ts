// The built local stack (`node .build/local/start.js`, what `npm start` runs)
// as a child process that can be killed with SIGKILL and started again on the
// same data folder and the same ports (so WeChat Pay's pending notifications,
// addressed to the gateway, still arrive), and read-only copies of its
// SQLite files for the checks made after it stopped.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { ApiResult } from '../../typings/api';

const ENTRY = path.join(__dirname, '../../.build/local/start.js');

export interface CrashableStack {
  readonly pid: number;
  readonly gatewayUrl: string;
  output(): string;
  call<T = unknown>(fn: string, action: string, data: unknown, who: Identity, key?: string): Promise<ApiResult<T>>;
  sandbox<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** SIGKILL: nothing runs on the way out. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGINT (Ctrl-C), then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export interface Launch {
  dataDir: string;
  port: number;
  sandboxPort: number;
  env?: Record<string, string>;
}

/** Starts the stack and waits for /healthz (20 s at most). */
export async function launch({ dataDir, port, sandboxPort, env = {} }: Launch): Promise<CrashableStack> {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      PMS_MODE: 'local',
      PMS_DATA_DIR: dataDir,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the local stack exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    const up = await fetch(`${gatewayUrl}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the local stack did not answer /healthz within 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    pid: child.pid ?? 0,
    gatewayUrl,
    output: () => out,
    async call(fn, action, data, who, key) {
      const res = await fetch(`${gatewayUrl}/functions/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': who.openid, 'x-wx-appid': who.appid },
        body: JSON.stringify({ action, data, ...(key ? { idempotencyKey: key } : {}) }),
        signal: AbortSignal.timeout(15_000),
      });
      return (await res.json()) as never;
    },
    async sandbox(method, urlPath, body) {
      const res = await fetch(`${sandboxUrl}${urlPath}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * Copies a stopped stack's SQLite file (with its -wal and -shm, if any) into
 * a fresh temp folder and returns the copy's path: the stack's own files are
 * only read.
 */
export function copyOf(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-crash-copy-'));
  const to = path.join(dir, path.basename(file));
  for (const suffix of ['', '-wal', '-shm'])
    if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, to + suffix);
  return to;
}
