// `npm start` from the outside: it answers /healthz, serves a function call
// with identity from the local headers, persists to SQLite in its data
// folder, and stops cleanly on Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { MerchantStatus } from '../../typings/api';
import { startStack, type Stack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ PMS_SETUP_CODE: '135790' });
}, 30_000);
afterAll(() => stack?.stop());

const user = { openid: 'o_e2e_user', appid: DEMO_APPID };

test('healthz lists the functions', async () => {
  const res = await fetch(`${stack.gatewayUrl}/healthz`);
  const body = (await res.json()) as { ok: boolean; mode: string; functions: string[] };
  expect(body).toMatchObject({ ok: true, mode: 'local' });
  expect(body.functions).toContain('merchant');
});

test('a function call gets the identity from the local headers and persists', async () => {
  const before = await stack.call<MerchantStatus>('merchant', 'getStatus', {}, user);
  expect(before).toMatchObject({ ok: true, data: { role: 'buyer', appid: DEMO_APPID } });
  const claimed = await stack.call('merchant', 'claimAdmin', { code: '135790' }, user);
  expect(claimed).toEqual({ ok: true, data: { role: 'admin' } });
  const after = await stack.call<MerchantStatus>('merchant', 'getStatus', {}, user);
  expect(after).toMatchObject({ ok: true, data: { role: 'admin' } });
  expect(fs.existsSync(path.join(stack.dataDir, 'pms.sqlite'))).toBe(true);
});

test('calls without local identity headers are refused with a typed error', async () => {
  const res = await fetch(`${stack.gatewayUrl}/functions/merchant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"action":"getStatus"}',
  });
  expect(await res.json()).toMatchObject({ ok: false, error: { code: 'AUTH.NO_IDENTITY' } });
  const unknown = await fetch(`${stack.gatewayUrl}/functions/nope`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(unknown.status).toBe(404);
});

test('it prints what it started and stops cleanly on SIGINT', async () => {
  expect(stack.output()).toMatch(/gateway\s+http:\/\/127\.0\.0\.1:\d+/);
  expect(stack.output()).toMatch(/setup code\s+135790/);
});
