// The built local stack (`npm start` as a child process) on a data folder of
// its own: the folder private (0700, every file 0600, an old 0755/0644 folder
// fixed at start), a second stack on the same folder refused with a message
// naming the folder and the first one's pid, a lock left by a killed stack
// taken over, the lock released on a clean stop, only loopback Host names
// served by the gateway and the sandbox, and a bad registration record
// stopping the start with a message naming it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from './stack';

jest.setTimeout(120_000);

/** Every file and folder under `dir` (the folder included) that group or others can use. */
function notPrivate(dir: string): string[] {
  const open: string[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== want) open.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(dir);
  return open;
}

/** Everything opened up again, as a folder from before this rule was. */
function makeOld(dir: string): void {
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      fs.chmodSync(p, 0o755);
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    } else if (st.isFile()) fs.chmodSync(p, 0o644);
  };
  visit(dir);
}

function rawGet(url: string, host: string): Promise<{ status: number; body: string }> {
  const { port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: Number(port), path: pathname, headers: { host }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

let stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  stacks = [];
});
const start = async (env: Record<string, string>) => {
  const stack = await startStack(env);
  stacks.push(stack);
  return stack;
};

test('data folder private, one stack per folder, stale lock taken over, loopback Host names only', async () => {
  // A data folder from before: 0755, with a 0644 file in it.
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pms-e2e-hard-')), 'data');
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'identity-codes.log'), 'old\n', { mode: 0o644 });

  const first = await start({ PMS_DATA_DIR: dir });
  const db = path.join(dir, 'pms.sqlite');
  for (const file of [db, `${db}-wal`, `${db}-shm`, 'data-key', 'setup-codes.json', 'pms.lock'])
    expect(fs.existsSync(path.resolve(dir, file))).toBe(true);
  expect(fs.readdirSync(path.join(dir, 'sandbox'))).toEqual(
    expect.arrayContaining([
      'sandbox.sqlite',
      'sandbox.sqlite-wal',
      'merchant_private_key.pem',
      'platform_private_key.pem',
    ]),
  );
  expect(notPrivate(dir)).toEqual([]);
  expect(fs.readFileSync(path.join(dir, 'pms.lock'), 'utf8').trim()).toBe(String(first.pid));

  // DNS rebinding: another name for 127.0.0.1 is refused by both servers; their own names work.
  const gatewayPort = new URL(first.gatewayUrl).port;
  const sandboxPort = new URL(first.sandboxUrl).port;
  const refusedGateway = await rawGet(`${first.gatewayUrl}/healthz`, `rebind.example:${gatewayPort}`);
  expect(refusedGateway.status).toBe(403);
  expect(JSON.parse(refusedGateway.body)).toMatchObject({ ok: false, error: { code: 'GATEWAY.HOST_NOT_ALLOWED' } });
  const refusedSandbox = await rawGet(`${first.sandboxUrl}/sandbox`, `rebind.example:${sandboxPort}`);
  expect(refusedSandbox.status).toBe(403);
  expect(JSON.parse(refusedSandbox.body)).toMatchObject({ code: 'HOST_NOT_ALLOWED' });
  expect((await rawGet(`${first.gatewayUrl}/healthz`, `localhost:${gatewayPort}`)).status).toBe(200);
  expect((await rawGet(`${first.sandboxUrl}/sandbox`, `localhost:${sandboxPort}`)).status).toBe(200);

  // A second `npm start` on the same folder is refused, naming the folder and the first's pid.
  const second = await startStack({ PMS_DATA_DIR: dir }).then(
    (s) => {
      stacks.push(s);
      return null;
    },
    (err: Error) => err.message,
  );
  expect(second).toMatch(/the local stack exited \(1\)/);
  expect(second).toContain(`Another local stack (pid ${first.pid}) is already using the data folder ${dir}`);
  // ... and the first one is untouched.
  expect(fs.readFileSync(path.join(dir, 'pms.lock'), 'utf8').trim()).toBe(String(first.pid));
  expect((await fetch(`${first.gatewayUrl}/healthz`)).ok).toBe(true);

  // Killed (no clean-up runs): its lock stays behind, stale; the folder opened up again meanwhile.
  await first.kill();
  expect(fs.existsSync(path.join(dir, 'pms.lock'))).toBe(true);
  makeOld(dir);
  expect(notPrivate(dir).length).toBeGreaterThan(5);

  const third = await start({ PMS_DATA_DIR: dir });
  expect(fs.readFileSync(path.join(dir, 'pms.lock'), 'utf8').trim()).toBe(String(third.pid));
  expect(notPrivate(dir)).toEqual([]);

  // A clean stop releases the lock.
  await third.stop();
  expect(fs.existsSync(path.join(dir, 'pms.lock'))).toBe(false);
});

test('a registration record that does not fit stops the start, naming the record and the field', async () => {
  const records = [
    {
      appid: 'wx_e2e_ok',
      name: 'Fine',
      entity: { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
    },
    {
      appid: 'wx_e2e_bad',
      name: 'Unsure',
      entity: { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N' },
    },
  ];
  const failure = await startStack({ PMS_MINI_PROGRAMS: JSON.stringify(records) }).then(
    (s) => {
      stacks.push(s);
      return '';
    },
    (err: Error) => err.message,
  );
  expect(failure).toMatch(/the local stack exited \(1\)/);
  expect(failure).toContain(
    'npm start: Invalid registration records in PMS_MINI_PROGRAMS:\n  PMS_MINI_PROGRAMS record 1 (appid "wx_e2e_bad"): entity.domestic is required',
  );
  // A clear message, not a stack trace.
  expect(failure).not.toMatch(/\n\s+at /);
});
