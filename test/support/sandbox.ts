// A real WeChat Pay v3 sandbox for tests: in-process, on an ephemeral
// loopback port, with its own state folder, the test's clock, and key
// material generated once per test process (RSA generation is the slow part).
// A notify inbox (a plain HTTP server) receives the notifications.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import type { Clock } from '../../cloudfunctions/core/ports/clock';
import { generateKeyMaterial, type KeyMaterial } from '../../cloudfunctions/local/sandbox/keys';
import { Sandbox, type SandboxOptions } from '../../cloudfunctions/local/sandbox/server';

let material: Promise<KeyMaterial> | null = null;

/** The key set every sandbox of this test process starts from. */
export function testKeyMaterial(): Promise<KeyMaterial> {
  material ??= generateKeyMaterial();
  return material;
}

export interface ReceivedNotification {
  headers: Record<string, string>;
  body: string;
  /** What the inbox answered. */
  status: number;
}

export interface NotifyInbox {
  url: string;
  received: ReceivedNotification[];
  /** Decides each answer (default 204). Return a status; throw or hang to simulate failures. */
  respond: (n: { headers: Record<string, string>; body: string }) => number | Promise<number>;
  /** Resolves once `count` notifications have arrived (real time). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotification[]>;
  close(): Promise<void>;
}

/** A notify_url that records what arrives and answers as told. */
export async function startNotifyInbox(): Promise<NotifyInbox> {
  const waiters: Array<() => void> = [];
  const inbox: NotifyInbox = {
    url: '',
    received: [],
    respond: () => 204,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (inbox.received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`inbox got ${inbox.received.length} of ${count} notifications in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50).unref();
        });
      }
      return inbox.received.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : (v ?? '')]),
      );
      const body = Buffer.concat(chunks).toString('utf8');
      Promise.resolve()
        .then(() => inbox.respond({ headers, body }))
        .then(
          (status) => {
            inbox.received.push({ headers, body, status });
            res.writeHead(status).end();
          },
          () => {
            inbox.received.push({ headers, body, status: 500 });
            res.writeHead(500).end();
          },
        )
        .finally(() => {
          for (const w of waiters.splice(0)) w();
        });
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const address = server.address();
  inbox.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/notify`;
  return inbox;
}

export interface TestSandbox {
  sandbox: Sandbox;
  /** The sandbox's base URL. */
  url: string;
  /** Its folder (keys, sandbox.sqlite). */
  dir: string;
  /** The real adapter, configured from the sandbox's files. */
  provider: WechatPayProvider;
  inbox: NotifyInbox;
  close(): Promise<void>;
}

export type TestSandboxOptions = Partial<Omit<SandboxOptions, 'dir' | 'seedKeys' | 'clock'>> & {
  dir?: string;
  clock?: Clock;
};

/** A fresh sandbox (fresh state, shared keys) listening on a free loopback port. */
export async function startTestSandbox(options: TestSandboxOptions = {}): Promise<TestSandbox> {
  const dir = options.dir ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pms-sandbox-')), 'sandbox');
  const sandbox = await Sandbox.create({
    tickMs: 20,
    notifyTimeoutMs: 1_000,
    ...options,
    dir,
    seedKeys: await testKeyMaterial(),
  });
  const url = await sandbox.listen(0);
  sandbox.unref();
  const inbox = await startNotifyInbox();
  const provider = WechatPayProvider.fromSandboxDir(dir, url, options.clock);
  return {
    sandbox,
    url,
    dir,
    provider,
    inbox,
    async close() {
      await sandbox.close();
      await inbox.close();
    },
  };
}
