// Identity comes only from the invocation: in cloud mode never from the
// process environment (one instance serves many invocations), a context's
// environment is never topped up from the process's, and the local gateway
// gives a request without identity headers an empty environment.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { main as merchant } from '../../cloudfunctions/merchant';
import { contextFor, identityFrom } from '../../cloudfunctions/core/runtime/identity';
import { createGateway } from '../../cloudfunctions/local/gateway';
import { admin, buyer, call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import type { MerchantStatus } from '../../typings/api';

const cloudEnv = { PMS_MODE: 'cloud', WX_OPENID: admin.openid, WX_APPID: admin.appid };

describe('identityFrom', () => {
  test('cloud mode: the process environment is never an identity', () => {
    expect(identityFrom(undefined, cloudEnv)).toBeNull();
    expect(identityFrom({ request_id: 'r1' }, cloudEnv)).toBeNull();
  });

  test("cloud mode: the invocation's environment is, with nothing merged in from the process", () => {
    expect(identityFrom(contextFor(buyer), cloudEnv)).toEqual(buyer);
    // An environment with an openid only does not borrow the process's appid.
    expect(identityFrom({ environment: JSON.stringify({ WX_OPENID: buyer.openid }) }, cloudEnv)).toBeNull();
    const third = { environment: JSON.stringify({ WX_OPENID: 'o_1', WX_APPID: 'wx_a', WX_FROM_APPID: 'wx_tp' }) };
    expect(identityFrom(third, { ...cloudEnv, WX_FROM_APPID: undefined })).toEqual({
      openid: 'o_1',
      appid: 'wx_a',
      fromAppid: 'wx_tp',
    });
    // Nor does a context without WX_FROM_APPID borrow one.
    expect(identityFrom(contextFor(buyer), { ...cloudEnv, WX_FROM_APPID: 'wx_tp' })).toEqual(buyer);
  });

  test('malformed environments give no identity', () => {
    for (const environment of ['not json', '[]', 'null', '42', JSON.stringify({ WX_OPENID: 7, WX_APPID: 'wx_a' })])
      expect(identityFrom({ environment }, cloudEnv)).toBeNull();
    expect(identityFrom({ environment: 7 as unknown as string }, cloudEnv)).toBeNull();
  });

  test('local mode: a process run by hand may still name its caller with WX_OPENID and WX_APPID', () => {
    const local = { WX_OPENID: buyer.openid, WX_APPID: buyer.appid };
    expect(identityFrom(undefined, local)).toEqual(buyer);
    expect(identityFrom(undefined, { ...local, PMS_MODE: 'local' })).toEqual(buyer);
    expect(identityFrom(contextFor(admin), local)).toEqual(admin);
  });
});

describe('through the functions', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await testDeps();
  });
  afterEach(async () => {
    for (const name of Object.keys(cloudEnv)) delete process.env[name];
    await deps.close();
  });

  test("cloud mode: a call without context does not run as the instance environment's user", async () => {
    Object.assign(process.env, cloudEnv);
    expect((await errorOf(call(merchant, null, 'getStatus'))).code).toBe('AUTH.NO_IDENTITY');
    expect((await ok<MerchantStatus>(call(merchant, buyer, 'getStatus'))).role).toBe('buyer');
  });

  test('the local gateway: no identity headers means no identity, whatever the process environment holds', async () => {
    Object.assign(process.env, { WX_OPENID: admin.openid, WX_APPID: admin.appid });
    const gateway = createGateway(deps);
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = gateway.server.address() as AddressInfo;
      const post = (headers: Record<string, string>) =>
        new Promise<{ ok: boolean; error?: { code: string }; data?: MerchantStatus }>((resolve, reject) => {
          const req = http.request(
            { host: '127.0.0.1', port, method: 'POST', path: '/functions/merchant', headers },
            (res) => {
              let body = '';
              res.on('data', (c) => (body += c));
              res.on('end', () => resolve(JSON.parse(body)));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ action: 'getStatus' }));
        });
      const json = { 'content-type': 'application/json' };
      expect((await post(json)).error?.code).toBe('AUTH.NO_IDENTITY');
      const asAdmin = await post({ ...json, 'x-wx-openid': admin.openid, 'x-wx-appid': admin.appid });
      expect(asAdmin.data?.role).toBe('admin');
    } finally {
      await gateway.close();
    }
  });
});
