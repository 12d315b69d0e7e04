// The transport in local mode, against the real local gateway listening on a
// loopback port (the harness's local mode), wx.request made as real HTTP: the
// URL, headers and body the app sends are exactly what the gateway reads.
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import { BUYER_OPENID, openForClaim } from '../../support/deps';
import { config } from '../../../miniprogram/config';
import { fetchStatus } from '../../../miniprogram/services/merchant';
import { ApiFailure, callFunction, initTransport } from '../../../miniprogram/services/transport';
import { useHarness } from '../harness';

const h = useHarness({ mode: 'local' });

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiFailure);
  return err as ApiFailure;
}

const requests = () =>
  (wx.request as jest.Mock).mock.calls.map(([options]) => options as WechatMiniprogram.RequestOption);

test('the app ships in local mode, pointed at the gateway `npm start` runs, as the demo mini program', () => {
  // A fresh copy of the module: the harness has moved this one to a free port.
  jest.isolateModules(() => {
    const shipped = (require('../../../miniprogram/config') as typeof import('../../../miniprogram/config')).config;
    expect(shipped.mode).toBe('local');
    expect(shipped.local).toMatchObject({ gateway: 'http://127.0.0.1:8787', appid: DEMO_APPID });
    expect(shipped.local.openid).toMatch(/^o_/);
  });
  expect(config.local.gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

test('posts the event to the gateway with the local identity in headers', async () => {
  const status = await fetchStatus();
  expect(requests()[0]).toMatchObject({
    url: `${config.local.gateway}/functions/merchant`,
    method: 'POST',
    data: { action: 'getStatus', data: {} },
    header: { 'content-type': 'application/json', 'X-Wx-Openid': BUYER_OPENID, 'X-Wx-Appid': 'wxd0c0ffee5a1e5a1e' },
    timeout: config.timeoutMs,
  });
  // The gateway took the identity from the headers.
  expect(status).toMatchObject({ appid: 'wxd0c0ffee5a1e5a1e', role: 'buyer' });
  expect(h.calls).toEqual([
    expect.objectContaining({
      name: 'merchant',
      action: 'getStatus',
      identity: { openid: BUYER_OPENID, appid: 'wxd0c0ffee5a1e5a1e' },
    }),
  ]);
  expect(h.calls[0].result).toMatchObject({ ok: true, data: { role: 'buyer' } });
});

test('the identity follows h.as()', async () => {
  h.as('admin');
  expect((await fetchStatus()).role).toBe('admin');
});

test('the idempotency key travels in the body', async () => {
  await callFunction('merchant', 'getStatus', {}, { idempotencyKey: 'key_12345678' });
  expect(requests()[0].data).toEqual({ action: 'getStatus', data: {}, idempotencyKey: 'key_12345678' });
  expect(h.calls[0].idempotencyKey).toBe('key_12345678');
});

test('a local developer claims the admin role with the setup code `npm start` printed', async () => {
  openForClaim(h.deps);
  await callFunction('merchant', 'claimAdmin', { code: '246810' });
  expect((await fetchStatus()).role).toBe('admin');
  expect(await h.deps.store.get('admins', 'wxd0c0ffee5a1e5a1e')).toMatchObject({ openid: BUYER_OPENID });
});

test("the gateway's own refusals are typed too", async () => {
  const err = await failure(callFunction('nosuchfunction', 'x'));
  expect(err.code).toBe('GATEWAY.UNKNOWN_FUNCTION');
});

test('a dropped request is NETWORK.UNAVAILABLE', async () => {
  h.failNext();
  const err = await failure(fetchStatus());
  expect(err.code).toBe('NETWORK.UNAVAILABLE');
  expect(err.detail).toMatch(/request:fail timeout/);
});

test('no gateway listening is NETWORK.UNAVAILABLE', async () => {
  config.local.gateway = 'http://127.0.0.1:9'; // discard port: nothing listens
  const err = await failure(fetchStatus());
  expect(err.code).toBe('NETWORK.UNAVAILABLE');
  expect(err.detail).toMatch(/ECONNREFUSED/);
});

test('a proxy error page is NETWORK.BAD_RESPONSE', async () => {
  (wx.request as jest.Mock).mockImplementation((options: WechatMiniprogram.RequestOption) => {
    setTimeout(
      () =>
        options.success?.({
          statusCode: 502,
          data: '<html>Bad Gateway</html>',
          header: {},
          cookies: [],
          errMsg: 'request:ok',
        } as never),
      0,
    );
    return {} as WechatMiniprogram.RequestTask;
  });
  const err = await failure(fetchStatus());
  expect(err.code).toBe('NETWORK.BAD_RESPONSE');
  expect(err.detail).toMatch(/HTTP 502/);
});

test('launch does not touch wx.cloud', () => {
  const init = jest.spyOn(wx.cloud, 'init');
  initTransport();
  expect(init).not.toHaveBeenCalled();
  init.mockRestore();
});
