// The local gateway's POST /files, local mode's cloud storage: the app's
// wx.uploadFile (multipart/form-data) lands in the local file store, in the
// caller's own folder only, and the file id it answers is what
// merchant.uploadDocument takes.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { uploadFolder } from '../../cloudfunctions/core/onboarding/documents';
import { createGateway } from '../../cloudfunctions/local/gateway';
import { MAX_UPLOAD_BYTES } from '../../cloudfunctions/local/uploads';
import { admin, buyer, testDeps, type TestDeps } from '../support/deps';
import { jpeg, validSteps } from '../onboarding/fixtures';
import { choose, saveAll } from '../onboarding/support';

let deps: TestDeps;
let gateway: FastifyInstance;
let url: string;
beforeEach(async () => {
  deps = await testDeps();
  gateway = createGateway(deps);
  await gateway.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(gateway.server.address() as { port: number }).port}`;
});
afterEach(async () => {
  await gateway.close();
  await deps.close();
  fs.rmSync(deps.dataDir, { recursive: true, force: true });
});

const identity = (who = admin) => ({ 'X-Wx-Openid': who.openid, 'X-Wx-Appid': who.appid });

async function send(form: FormData, headers: Record<string, string> = identity()) {
  const res = await fetch(`${url}/files`, { method: 'POST', body: form, headers });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; data?: { fileID: string }; error?: { code: string } },
  };
}

function form(cloudPath: string | null, content: Buffer = jpeg('licence'), filename = 'tmp_1.jpg'): FormData {
  const f = new FormData();
  if (cloudPath !== null) f.append('cloudPath', cloudPath);
  f.append('file', new Blob([content]), filename);
  return f;
}

async function callMerchant<T>(action: string, data: unknown) {
  const res = await fetch(`${url}/functions/merchant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity() },
    body: JSON.stringify({ action, data }),
  });
  return (await res.json()) as { ok: boolean; data: T; error?: { code: string } };
}

test('a photo sent the way wx.uploadFile sends it is stored privately, and uploadDocument takes its id', async () => {
  await choose('INDIVIDUAL');
  await saveAll(validSteps('INDIVIDUAL'));
  const prepared = await callMerchant<{ cloudPath: string }>('prepareDocumentUpload', { slot: 'licence', ext: 'jpg' });
  const photo = jpeg('licence', 300 * 1024);
  const { status, body } = await send(form(prepared.data.cloudPath, photo));
  expect(status).toBe(200);
  expect(body).toEqual({ ok: true, data: { fileID: `local://${prepared.data.cloudPath}` } });
  const file = path.join(deps.dataDir, 'uploads', prepared.data.cloudPath);
  expect(fs.readFileSync(file).equals(photo)).toBe(true);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

  const taken = await callMerchant<{ bytes: number }>('uploadDocument', { slot: 'licence', fileId: body.data!.fileID });
  expect(taken).toMatchObject({ ok: true, data: { bytes: photo.length } });
  expect(fs.existsSync(file)).toBe(false);
});

test("nothing lands outside the caller's own folder: not another user's, not the sealed documents", async () => {
  for (const cloudPath of [
    `${uploadFolder(buyer)}/licence-x.jpg`,
    `${uploadFolder({ ...admin, appid: 'wx0000000000000002' })}/licence-x.jpg`,
    `${uploadFolder(admin)}/deeper/licence-x.jpg`,
    `${uploadFolder(admin)}/../x/licence-x.jpg`,
    `onboarding/${admin.appid}/app-1/licence-0000`,
    'licence.jpg',
    '/etc/passwd',
  ]) {
    const { status, body } = await send(form(cloudPath));
    expect([cloudPath, status, body.error?.code]).toEqual([cloudPath, 403, 'AUTH.FORBIDDEN']);
  }
  expect(fs.existsSync(path.join(deps.dataDir, 'uploads'))).toBe(false);
});

test('refusals: no identity, no cloudPath, no file, not multipart, too large', async () => {
  const mine = `${uploadFolder(admin)}/licence-x.jpg`;
  expect(await send(form(mine), {})).toMatchObject({ status: 401, body: { error: { code: 'AUTH.NO_IDENTITY' } } });
  expect(await send(form(null))).toMatchObject({ status: 400, body: { error: { code: 'INPUT.INVALID' } } });
  const noFile = new FormData();
  noFile.append('cloudPath', mine);
  expect(await send(noFile)).toMatchObject({ status: 400, body: { error: { code: 'INPUT.INVALID' } } });
  const json = await fetch(`${url}/files`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity() },
    body: JSON.stringify({ cloudPath: mine, content: 'aGVsbG8=' }),
  });
  expect(json.status).toBe(400);
  expect(await send(form(mine, Buffer.alloc(MAX_UPLOAD_BYTES + 1)))).toMatchObject({
    status: 413,
    body: { error: { code: 'INPUT.INVALID' } },
  });
  expect(fs.existsSync(path.join(deps.dataDir, 'uploads'))).toBe(false);
});

test('the loopback Host check applies to uploads too', async () => {
  const port = (gateway.server.address() as { port: number }).port;
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/files', headers: { host: `evil.example:${port}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(403);
});
