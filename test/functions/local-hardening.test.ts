// The local stack's own defences, in process: the gateway and the sandbox
// answer only requests addressed to 127.0.0.1 or localhost with their port
// (DNS rebinding), the data folder is private (0700, files 0600, an existing
// folder fixed), and one data folder takes one stack (a lock naming the other
// pid, stale once that process is gone).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getDeps, LOCAL_STORE_FILE, useDeps } from '../../cloudfunctions/core/runtime/deps';
import { createGateway } from '../../cloudfunctions/local/gateway';
import { DataDirLocked, isRunning, LOCK_FILE, lockDataDir } from '../../cloudfunctions/local/lock';
import { allowedHosts, isLoopbackHost } from '../../cloudfunctions/local/loopback-host';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { admin, testDeps, type TestDeps } from '../support/deps';

/** A raw HTTP request with any Host header (fetch will not send a forged one). */
function request(
  port: number,
  host: string,
  method: string,
  urlPath: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, headers: { ...headers, host }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `pms-${label}-`));

describe('Host header: loopback names with the right port only', () => {
  test('the rule', () => {
    expect(allowedHosts(8787)).toEqual(['127.0.0.1:8787', 'localhost:8787']);
    expect(isLoopbackHost('127.0.0.1:8787', 8787)).toBe(true);
    expect(isLoopbackHost('LOCALHOST:8787', 8787)).toBe(true);
    for (const host of [
      undefined,
      '',
      'evil.example:8787',
      'evil.example',
      '127.0.0.1',
      '127.0.0.1:8788',
      'localhost.evil.example:8787',
      '127.0.0.1.nip.io:8787',
      '[::1]:8787',
      '0.0.0.0:8787',
    ])
      expect(isLoopbackHost(host, 8787)).toBe(false);
    expect(isLoopbackHost('localhost', 80)).toBe(true);
  });

  describe('the gateway', () => {
    let deps: TestDeps;
    let port: number;
    let close: () => Promise<void>;
    beforeAll(async () => {
      deps = await testDeps();
      const gateway = createGateway(deps);
      await gateway.listen({ host: '127.0.0.1', port: 0 });
      port = (gateway.server.address() as AddressInfo).port;
      close = async () => {
        await gateway.close();
        await deps.close();
      };
    });
    afterAll(() => close());

    const getStatus = (host: string) =>
      request(
        port,
        host,
        'POST',
        '/functions/merchant',
        { 'content-type': 'application/json', 'x-wx-openid': admin.openid, 'x-wx-appid': admin.appid },
        JSON.stringify({ action: 'getStatus' }),
      );

    test('a rebound name is refused with 403 and a JSON error, before any function runs', async () => {
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`]) {
        const res = await getStatus(host);
        expect(res.status).toBe(403);
        const body = JSON.parse(res.body) as { ok: boolean; error: { code: string; message: string; details: object } };
        expect(body.ok).toBe(false);
        expect(body.error.code).toBe('GATEWAY.HOST_NOT_ALLOWED');
        expect(body.error.message).toContain(`127.0.0.1:${port} or localhost:${port}`);
        expect(body.error.details).toEqual({ host, allowed: `127.0.0.1:${port}, localhost:${port}` });
      }
      expect((await request(port, 'evil.example', 'GET', '/healthz')).status).toBe(403);
      // payNotify's HTTP route too.
      expect((await request(port, 'evil.example', 'POST', '/http/payNotify', {}, '{}')).status).toBe(403);
      // Nothing ran: no idempotency, no claim attempts, nothing stored.
      expect((await deps.store.find('claimAttempts')).items).toHaveLength(0);
    });

    test('127.0.0.1 and localhost with the port, as the app, the simulator and the sandbox send them, work', async () => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const res = await getStatus(host);
        expect(res.status).toBe(200);
        expect((JSON.parse(res.body) as { data: { role: string } }).data.role).toBe('admin');
      }
      // fetch (what the e2e stack and the sandbox's notifications use) sends 127.0.0.1:<port>.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    });
  });

  describe('the sandbox', () => {
    let wx: TestSandbox;
    let port: number;
    beforeAll(async () => {
      wx = await startTestSandbox({ tickMs: 0 });
      port = Number(new URL(wx.url).port);
    });
    afterAll(() => wx.close());

    test('a rebound name is refused with 403 and a JSON error, on its pages, its sandbox-only endpoints and /v3', async () => {
      for (const [method, urlPath] of [
        ['GET', '/sandbox'],
        ['POST', '/sandbox/tick'],
        ['GET', '/v3/certificates'],
      ]) {
        const res = await request(port, `evil.example:${port}`, method, urlPath);
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body)).toEqual({
          code: 'HOST_NOT_ALLOWED',
          message: expect.stringContaining(`127.0.0.1:${port} or localhost:${port}`),
        });
      }
    });

    test('its own names work, and the WeChat Pay adapter still talks to it', async () => {
      expect((await request(port, `127.0.0.1:${port}`, 'GET', '/sandbox')).status).toBe(200);
      expect((await request(port, `localhost:${port}`, 'POST', '/sandbox/tick')).status).toBe(200);
      // A signed /v3 call through the real adapter (it addresses the sandbox as 127.0.0.1:<port>).
      await expect(wx.provider.queryRefund('1900000109', 'R_not_there')).resolves.toBeNull();
    });
  });
});

describe('the local data folder is private', () => {
  const saved = { mode: process.env.PMS_MODE, dir: process.env.PMS_DATA_DIR };
  afterEach(() => {
    useDeps(null);
    for (const [name, value] of [
      ['PMS_MODE', saved.mode],
      ['PMS_DATA_DIR', saved.dir],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('local deps (core/runtime/deps.ts): folder 0700, database and its -wal and -shm 0600, an old folder fixed', async () => {
    // A folder from before: 0755, with a 0644 file and a 0755 subfolder.
    const dir = path.join(tmp('private'), 'data');
    fs.mkdirSync(path.join(dir, 'uploads'), { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'setup-codes.json'), '{}', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'uploads', 'licence.jpg'), 'x', { mode: 0o644 });
    Object.assign(process.env, { PMS_MODE: 'local', PMS_DATA_DIR: dir });
    useDeps(null);
    const deps = await getDeps();
    try {
      await deps.store.insert('products', { _id: 'p1', name: 'tea' });
      const db = path.join(dir, LOCAL_STORE_FILE);
      expect(fs.existsSync(`${db}-wal`)).toBe(true);
      expect(fs.existsSync(`${db}-shm`)).toBe(true);
      expect({
        folder: mode(dir),
        db: mode(db),
        wal: mode(`${db}-wal`),
        shm: mode(`${db}-shm`),
        codes: mode(path.join(dir, 'setup-codes.json')),
        uploads: mode(path.join(dir, 'uploads')),
        upload: mode(path.join(dir, 'uploads', 'licence.jpg')),
      }).toEqual({ folder: 0o700, db: 0o600, wal: 0o600, shm: 0o600, codes: 0o600, uploads: 0o700, upload: 0o600 });
      // The data key, written on first use, too.
      deps.sealer.seal('x');
      expect(mode(path.join(dir, 'data-key'))).toBe(0o600);
    } finally {
      await deps.store.close();
    }
  });

  test("the sandbox's folder: keys and its SQLite files 0600", async () => {
    const dir = path.join(tmp('sbx'), 'sandbox');
    const wx = await startTestSandbox({ dir, tickMs: 0 });
    try {
      await wx.sandbox.flush();
      const files = fs.readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(['sandbox.sqlite', 'sandbox.sqlite-wal', 'sandbox.sqlite-shm']));
      expect(mode(dir)).toBe(0o700);
      for (const file of files) expect([file, mode(path.join(dir, file))]).toEqual([file, 0o600]);
    } finally {
      await wx.close();
    }
  });
});

describe('one stack per data folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmp('lock');
  });

  /** The pid of a process that has exited and been reaped. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

  test('a second lock on the folder is refused, naming the folder and the holder; release frees it', () => {
    const first = lockDataDir(dir, process.pid);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(mode(path.join(dir, LOCK_FILE))).toBe(0o600);
    // Another process (its pid stands in) asks for the same folder.
    const other = process.ppid;
    let refused: unknown;
    try {
      lockDataDir(dir, other);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLocked);
    expect((refused as DataDirLocked).pid).toBe(process.pid);
    expect((refused as Error).message).toContain(dir);
    expect((refused as Error).message).toContain(`pid ${process.pid}`);

    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const second = lockDataDir(dir, other);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(other));
    // Releasing twice, or someone else's lock, removes nothing.
    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    second.release();
  });

  test('a lock left by a process that is gone (SIGKILL) is stale and taken over', () => {
    const gone = deadPid();
    expect(isRunning(gone)).toBe(false);
    fs.writeFileSync(path.join(dir, LOCK_FILE), `${gone}\n`);
    const lock = lockDataDir(dir, process.pid);
    expect(fs.readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  test('a lock file with no pid in it is stale once it is not being written', () => {
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, 'garbage');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(file, old, old);
    const lock = lockDataDir(dir, process.pid);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  test('isRunning', () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(isRunning(deadPid())).toBe(false);
    expect(isRunning(0)).toBe(false);
    expect(isRunning(-1)).toBe(false);
  });
});
