// The sandbox is as strict as WeChat Pay about signatures, and the adapter's
// client is as strict about the sandbox's: unsigned, forged, stale, replayed
// or altered requests get 401 SIGN_ERROR; every /v3 answer is signed, and an
// answer that does not verify is never trusted.
import crypto from 'node:crypto';
import { WechatPayClient } from '../../cloudfunctions/core/adapters/wechatpay/client';
import { configFromSandboxDir } from '../../cloudfunctions/core/adapters/wechatpay/config';
import {
  randomNonce,
  SignatureError,
  signRequest,
  unixSeconds,
  verifyWechatpaySignature,
  wechatpayHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { PayError } from '../../cloudfunctions/core/ports/pay';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, payError } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0 });
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
});
afterAll(async () => {
  await t.close();
});

const path = () =>
  `/v3/pay/partner/transactions/out-trade-no/T_missing_01?sp_mchid=${t.sandbox.keys.mchid}&sub_mchid=${sub}`;

function auth(
  over: Partial<Parameters<typeof signRequest>[0]> & { method: string; pathWithQuery: string; body: string },
): string {
  const cfg = configFromSandboxDir(t.dir, t.url);
  return signRequest({
    mchid: cfg.spMchid,
    serial: cfg.merchantSerial,
    privateKey: cfg.merchantPrivateKey,
    timestamp: unixSeconds(clock.now()),
    nonce: randomNonce(),
    ...over,
  });
}

async function raw(
  method: string,
  pathWithQuery: string,
  init: { body?: string; authorization?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${t.url}${pathWithQuery}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(init.authorization ? { Authorization: init.authorization } : {}),
      ...init.headers,
    },
    body: init.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const platformKeys = () => new Map([[t.sandbox.keys.platformKeyId, t.sandbox.keys.platformPublicKey]]);

describe('requests the sandbox refuses with 401 SIGN_ERROR', () => {
  test('a correctly signed request passes (here: to a 404 for an unknown order)', async () => {
    const r = await raw('GET', path(), { authorization: auth({ method: 'GET', pathWithQuery: path(), body: '' }) });
    expect([r.status, r.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
  });

  test('no Authorization, another scheme, a malformed header', async () => {
    for (const authorization of [undefined, 'Bearer abc', 'WECHATPAY2-SHA256-RSA2048 mchid="1"']) {
      const r = await raw('GET', path(), { authorization });
      expect([r.status, r.json.code]).toEqual([401, 'SIGN_ERROR']);
    }
  });

  test('signed by another key, or naming another serial or merchant', async () => {
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases = [
      auth({ method: 'GET', pathWithQuery: path(), body: '', privateKey: forger.privateKey }),
      auth({ method: 'GET', pathWithQuery: path(), body: '', serial: 'ABCDEF0123456789' }),
      auth({ method: 'GET', pathWithQuery: path(), body: '', mchid: '1900000001' }),
    ];
    for (const authorization of cases) expect((await raw('GET', path(), { authorization })).status).toBe(401);
  });

  test('a stale timestamp (more than 5 minutes off the sandbox clock)', async () => {
    const stale = auth({ method: 'GET', pathWithQuery: path(), body: '', timestamp: unixSeconds(clock.now()) - 301 });
    expect((await raw('GET', path(), { authorization: stale })).json.code).toBe('SIGN_ERROR');
    const early = auth({ method: 'GET', pathWithQuery: path(), body: '', timestamp: unixSeconds(clock.now()) + 301 });
    expect((await raw('GET', path(), { authorization: early })).json.code).toBe('SIGN_ERROR');
  });

  test('a signature reused for another path, query, method or body', async () => {
    const signed = auth({ method: 'GET', pathWithQuery: path(), body: '' });
    expect((await raw('GET', path().replace('T_missing_01', 'T_missing_02'), { authorization: signed })).status).toBe(
      401,
    );
    expect((await raw('GET', `${path()}&x=1`, { authorization: signed })).status).toBe(401);
    const body = JSON.stringify({ sp_mchid: t.sandbox.keys.mchid, sub_mchid: sub });
    const closePath = '/v3/pay/partner/transactions/out-trade-no/T_missing_01/close';
    const closeAuth = auth({ method: 'POST', pathWithQuery: closePath, body });
    expect(
      (await raw('POST', closePath, { body: body.replace(sub, '1600000000'), authorization: closeAuth })).status,
    ).toBe(401);
    expect((await raw('POST', closePath, { body: ` ${body}`, authorization: closeAuth })).status).toBe(401);
    expect((await raw('POST', closePath, { body, authorization: closeAuth })).json.code).toBe('ORDER_NOT_EXIST');
  });

  test('malformed JSON is PARAM_ERROR, after the signature checks out', async () => {
    const body = '{"sp_mchid":';
    const p = '/v3/pay/partner/transactions/jsapi';
    const r = await raw('POST', p, { body, authorization: auth({ method: 'POST', pathWithQuery: p, body }) });
    expect([r.status, r.json.code]).toEqual([400, 'PARAM_ERROR']);
  });
});

describe('answers are signed', () => {
  test('every /v3 answer, errors included, verifies with the platform key; Request-ID is set', async () => {
    for (const r of [
      await raw('GET', path()),
      await raw('GET', path(), { authorization: auth({ method: 'GET', pathWithQuery: path(), body: '' }) }),
    ]) {
      expect(verifyWechatpaySignature(wechatpayHeaders(r.headers), r.text, platformKeys(), clock.now())).toBe(
        t.sandbox.keys.platformKeyId,
      );
      expect(r.headers.get('request-id')).toMatch(/^sandbox-/);
    }
  });

  test('a 204 answer is signed over the empty body', async () => {
    const { prepayId } = await t.provider.prepay({
      subMchid: sub,
      subAppid: APPID,
      openid: 'o1',
      outTradeNo: 'T_close_0001',
      description: 'tea',
      totalFen: 1,
      notifyUrl: t.inbox.url,
      expireAt: new Date(clock.now().getTime() + 600_000),
    });
    expect(prepayId).toBeTruthy();
    const p = '/v3/pay/partner/transactions/out-trade-no/T_close_0001/close';
    const body = JSON.stringify({ sp_mchid: t.sandbox.keys.mchid, sub_mchid: sub });
    const r = await raw('POST', p, { body, authorization: auth({ method: 'POST', pathWithQuery: p, body }) });
    expect(r.status).toBe(204);
    expect(verifyWechatpaySignature(wechatpayHeaders(r.headers), '', platformKeys(), clock.now())).toBe(
      t.sandbox.keys.platformKeyId,
    );
  });
});

describe('the adapter client', () => {
  const client = (over: Partial<ReturnType<typeof configFromSandboxDir>> = {}, c = clock) =>
    new WechatPayProvider(new WechatPayClient({ ...configFromSandboxDir(t.dir, t.url), ...over }, { clock: c }));

  test('refuses answers signed by a key other than the one configured under that id', async () => {
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = client({ platformKeys: new Map([[t.sandbox.keys.platformKeyId, other.publicKey]]) });
    // A successful answer (200) and an error answer (404) alike.
    await t.provider.prepay({
      subMchid: sub,
      subAppid: APPID,
      openid: 'o1',
      outTradeNo: 'T_exists_01',
      description: 'tea',
      totalFen: 1,
      notifyUrl: t.inbox.url,
      expireAt: new Date(clock.now().getTime() + 600_000),
    });
    expect((await t.provider.queryTransaction(sub, 'T_exists_01'))?.tradeState).toBe('NOTPAY');
    await expect(wrongKey.queryTransaction(sub, 'T_exists_01')).rejects.toMatchObject({ reason: 'BAD_SIGNATURE' });
    await expect(wrongKey.queryTransaction(sub, 'T_missing_01')).rejects.toThrow(SignatureError);
    const wrongId = client({
      platformKeys: new Map([['PUB_KEY_ID_OLD', t.sandbox.keys.platformPublicKey]]),
      encryptKeyId: 'PUB_KEY_ID_OLD',
    });
    await expect(wrongId.queryTransaction(sub, 'T_missing_01')).rejects.toMatchObject({ reason: 'UNKNOWN_SERIAL' });
  });

  test('keeps working while keys rotate: several keys, chosen by Wechatpay-Serial', async () => {
    const old = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const both = client({
      platformKeys: new Map([
        ['PUB_KEY_ID_OLD', old.publicKey],
        [t.sandbox.keys.platformKeyId, t.sandbox.keys.platformPublicKey],
      ]),
    });
    expect(await both.queryTransaction(sub, 'T_missing_01')).toBeNull();
  });

  test('clocks: within 5 minutes of each other all is well; further apart, WeChat refuses the request', async () => {
    expect(
      await client({}, new ManualClock(new Date(clock.now().getTime() + 200_000))).queryTransaction(
        sub,
        'T_missing_01',
      ),
    ).toBeNull();
    const err = await payError(
      client({}, new ManualClock(new Date(clock.now().getTime() + 400_000))).queryTransaction(sub, 'T_missing_01'),
    );
    expect([err.status, err.code]).toEqual([401, 'SIGN_ERROR']);
  });

  test('an answer checked more than 5 minutes after it was signed is refused', async () => {
    const r = await raw('GET', path(), { authorization: auth({ method: 'GET', pathWithQuery: path(), body: '' }) });
    const later = new ManualClock(new Date(clock.now().getTime() + 301_000));
    const c = new WechatPayClient(configFromSandboxDir(t.dir, t.url), { clock: later });
    await expect(c.verify(r.headers, r.text)).rejects.toMatchObject({ reason: 'STALE_TIMESTAMP' });
    await expect(
      new WechatPayClient(configFromSandboxDir(t.dir, t.url), { clock }).verify(r.headers, r.text),
    ).resolves.toBe(t.sandbox.keys.platformKeyId);
  });

  test('WeChat error bodies become PayError(status, code, message); no answer is NETWORK_ERROR', async () => {
    const err = await payError(
      t.provider.refund({
        subMchid: sub,
        outTradeNo: 'T_missing_01',
        outRefundNo: 'R1',
        refundFen: 1,
        totalFen: 1,
        notifyUrl: t.inbox.url,
      }),
    );
    expect(err).toBeInstanceOf(PayError);
    expect([err.status, err.code, err.message]).toEqual([404, 'RESOURCE_NOT_EXISTS', '订单不存在']);
    const down = new WechatPayProvider(
      new WechatPayClient({ ...configFromSandboxDir(t.dir, 'http://127.0.0.1:9') }, { clock }),
    );
    expect((await payError(down.queryTransaction(sub, 'T1'))).code).toBe('NETWORK_ERROR');
  });

  test('encrypted bodies must name the platform key in Wechatpay-Serial', async () => {
    const p = '/v3/applyment4sub/applyment/';
    const body = JSON.stringify({ business_code: 'BC1' });
    const r = await raw('POST', p, { body, authorization: auth({ method: 'POST', pathWithQuery: p, body }) });
    expect([r.status, r.json.code]).toEqual([400, 'PARAM_ERROR']);
    expect(r.json.detail).toMatchObject({ location: 'header', field: 'Wechatpay-Serial' });
  });
});
