// Starts the built local stack (`node .build/local/start.js`, what `npm start`
// runs) as a child process on free loopback ports with its own temp data
// folder, and talks to it over HTTP like the mini program does.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ApiResult } from '../../typings/api';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';

const ENTRY = path.join(__dirname, '../../.build/local/start.js');

export interface Stack {
  gatewayUrl: string;
  sandboxUrl: string;
  dataDir: string;
  /** The stack's process id. */
  pid: number;
  /** Everything the process printed so far. */
  output(): string;
  call<T = unknown>(
    fn: string,
    action: string,
    data: unknown,
    who: Identity,
    idempotencyKey?: string,
  ): Promise<ApiResult<T>>;
  /** A sandbox-only or WeChat-path request to the sandbox, unsigned (sandbox-only endpoints need no signature). */
  sandbox<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: nothing runs on the way out. Resolves once the process is gone. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  // PMS_DATA_DIR in `env` starts it on that folder (a restart, or a second stack on the same folder).
  const dataDir = env.PMS_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pms-e2e-'));
  const [port, sandboxPort] = [await freePort(), await freePort()];
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      PMS_MODE: 'local',
      PMS_DATA_DIR: dataDir,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      LOG_LEVEL: 'warn',
      // Sandbox delays 100x shorter and job timers 10x more frequent, so flows finish in seconds.
      SANDBOX_TIME_SCALE: '0.01',
      JOB_TIME_SCALE: '10',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const gatewayUrl = `http://127.0.0.1:${port}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the local stack exited (${child.exitCode}):\n${out}`);
    const up = await fetch(`${gatewayUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack did not answer /healthz within 20 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    gatewayUrl,
    sandboxUrl,
    dataDir,
    pid: child.pid ?? 0,
    output: () => out,
    async call(fn, action, data, who, idempotencyKey) {
      const res = await fetch(`${gatewayUrl}/functions/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': who.openid, 'x-wx-appid': who.appid },
        body: JSON.stringify({ action, data, ...(idempotencyKey ? { idempotencyKey } : {}) }),
      });
      return (await res.json()) as never;
    },
    async sandbox(method, urlPath, body) {
      const res = await fetch(`${sandboxUrl}${urlPath}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
