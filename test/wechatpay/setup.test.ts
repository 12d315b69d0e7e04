// Where the adapter's configuration comes from (environment in production,
// the sandbox's files locally), and the sandbox's own persistence: keys
// written once and reused, state and pending notifications kept across a restart.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lazy, payFromEnv, sandboxUrl } from '../../cloudfunctions/core/adapters/wechatpay';
import { WechatPayClient } from '../../cloudfunctions/core/adapters/wechatpay/client';
import { configFromEnv, configFromSandboxDir } from '../../cloudfunctions/core/adapters/wechatpay/config';
import {
  oaepDecrypt,
  rsaSign,
  signatureMessage,
  unixSeconds,
  wechatpaySignatureHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import { loadConfig } from '../../cloudfunctions/core/config';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { Sandbox } from '../../cloudfunctions/local/sandbox/server';
import type { DeliveryDoc } from '../../cloudfunctions/local/sandbox/notify';
import { startNotifyInbox, testKeyMaterial } from '../support/sandbox';
import { CERT_KEY_PEM, CERT_PEM, CERT_SERIAL } from './certificate';
import { APPID, OPENID } from './fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pms-wxsetup-'));

describe('configuration from the environment (production)', () => {
  const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (k: crypto.KeyObject) =>
    k.export({ type: k.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
  const env = (over: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PMS_WXPAY_SP_MCHID: '1900000109',
    PMS_WXPAY_SP_APPID: 'wx8888888888888888',
    PMS_WXPAY_MERCHANT_SERIAL: '3775B6A45ACD588826D15E583A95F5DD00000000',
    PMS_WXPAY_MERCHANT_PRIVATE_KEY: Buffer.from(pem(merchant.privateKey)).toString('base64'),
    PMS_WXPAY_APIV3_KEY: 'a'.repeat(32),
    PMS_WXPAY_PLATFORM_KEYS: JSON.stringify({
      [CERT_SERIAL]: CERT_PEM,
      PUB_KEY_ID_0119000001092025: pem(pub.publicKey),
    }),
    ...over,
  });

  test('public keys and certificates side by side; the public key encrypts by default', async () => {
    const c = configFromEnv(env());
    expect(c.baseUrl).toBe('https://api.mch.weixin.qq.com');
    expect([...c.platformKeys.keys()]).toEqual([CERT_SERIAL, 'PUB_KEY_ID_0119000001092025']);
    expect(c.encryptKeyId).toBe('PUB_KEY_ID_0119000001092025');
    // The certificate's key verifies what its private key signed.
    const body = '{"ok":true}';
    const at = new Date();
    const headers = wechatpaySignatureHeaders(body, CERT_SERIAL, crypto.createPrivateKey(CERT_KEY_PEM), at);
    const provider = WechatPayProvider.fromEnv(env(), { now: () => at });
    await expect(provider.client.verify(headers, body)).resolves.toBe(CERT_SERIAL);
    expect(oaepDecrypt(provider.encryptSensitive('13800138000'), pub.privateKey)).toBe('13800138000');
  });

  test('certificates only: the certificate encrypts; PEM given with \\n escapes works too', () => {
    const c = configFromEnv(
      env({
        PMS_WXPAY_PLATFORM_KEYS: JSON.stringify({ [CERT_SERIAL]: CERT_PEM.replace(/\n/g, '\\n') }),
        PMS_WXPAY_MERCHANT_PRIVATE_KEY: pem(merchant.privateKey),
      }),
    );
    expect(c.encryptKeyId).toBe(CERT_SERIAL);
    expect(
      oaepDecrypt(
        new WechatPayProvider(new WechatPayClient(c)).encryptSensitive('x'),
        crypto.createPrivateKey(CERT_KEY_PEM),
      ),
    ).toBe('x');
  });

  test('refused: a missing variable, a certificate under the wrong serial, a short APIv3 key, an unknown encrypt key', () => {
    expect(() => configFromEnv(env({ PMS_WXPAY_SP_MCHID: '' }))).toThrow(/PMS_WXPAY_SP_MCHID/);
    expect(() => configFromEnv(env({ PMS_WXPAY_PLATFORM_KEYS: JSON.stringify({ ABC: CERT_PEM }) }))).toThrow(
      /does not match/,
    );
    expect(() => configFromEnv(env({ PMS_WXPAY_APIV3_KEY: 'short' }))).toThrow(/32 bytes/);
    expect(() => configFromEnv(env({ PMS_WXPAY_ENCRYPT_KEY_ID: 'PUB_KEY_ID_NOPE' }))).toThrow(/ENCRYPT_KEY_ID/);
  });

  test('deps: cloud mode builds the real adapter lazily; local mode points at the sandbox folder and URL', () => {
    const cloud = payFromEnv(loadConfig({ PMS_MODE: 'cloud' }), {}, new ManualClock());
    expect(() => cloud.encryptSensitive('x')).toThrow(/PMS_WXPAY_PLATFORM_KEYS/);
    const dir = tmp();
    const local = payFromEnv(loadConfig({ PMS_MODE: 'local', PMS_DATA_DIR: dir }), {}, new ManualClock());
    expect(() => local.encryptSensitive('x')).toThrow(/start the WeChat Pay sandbox first/);
    expect(sandboxUrl({})).toBe('http://127.0.0.1:8788');
    expect(sandboxUrl({ SANDBOX_PORT: '9999' })).toBe('http://127.0.0.1:9999');
    expect(lazy(() => ({ encryptSensitive: () => 'ok' }) as never).encryptSensitive('x')).toBe('ok');
  });
});

describe('the sandbox folder', () => {
  test('first start writes what a v3 SDK needs, private; later starts reuse it', async () => {
    const dir = path.join(tmp(), 'sandbox');
    const first = await Sandbox.create({ dir, tickMs: 0 });
    await first.close();
    for (const f of [
      'merchant_private_key.pem',
      'merchant_serial',
      'platform_public_key.pem',
      'platform_public_key_id',
      'apiv3_key',
      'mchid',
      'appid',
      'platform_private_key.pem',
    ]) {
      expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
    const c = configFromSandboxDir(dir, 'http://127.0.0.1:1');
    expect(c.spMchid).toMatch(/^19\d{8}$/);
    expect(c.spAppid).toMatch(/^wx[0-9a-f]{16}$/);
    expect(c.merchantSerial).toMatch(/^[0-9A-F]{40}$/);
    expect(c.encryptKeyId).toMatch(/^PUB_KEY_ID_01\d+$/);
    expect(c.apiV3Key).toHaveLength(32);
    // The merchant key in the folder is the one the sandbox verifies requests with.
    const second = await Sandbox.create({ dir, tickMs: 0 });
    const message = signatureMessage('GET', '/v3/x', '1', 'n', '');
    expect(
      crypto.verify(
        'sha256',
        Buffer.from(message),
        second.keys.merchantPublicKey,
        Buffer.from(rsaSign(message, c.merchantPrivateKey), 'base64'),
      ),
    ).toBe(true);
    expect(second.keys.platformKeyId).toBe(c.encryptKeyId);
    await second.close();
  });

  test('an incomplete folder is an error, not a silent new identity', async () => {
    const dir = path.join(tmp(), 'sandbox');
    await (await Sandbox.create({ dir, tickMs: 0, seedKeys: await testKeyMaterial() })).close();
    fs.rmSync(path.join(dir, 'apiv3_key'));
    await expect(Sandbox.create({ dir, tickMs: 0 })).rejects.toThrow(/incomplete \(missing apiv3_key\)/);
  });

  test('a restart loses nothing: orders, sub-merchants, and a notification still being retried', async () => {
    const dir = path.join(tmp(), 'sandbox');
    const clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
    const inbox = await startNotifyInbox();
    inbox.respond = () => 500;
    let sandbox = await Sandbox.create({ dir, clock, tickMs: 0, seedKeys: await testKeyMaterial() });
    let url = await sandbox.listen(0);
    let provider = WechatPayProvider.fromSandboxDir(dir, url, clock);
    const sub = sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
    const { prepayId } = await provider.prepay({
      subMchid: sub,
      subAppid: APPID,
      openid: OPENID,
      outTradeNo: 'T_restart_01',
      description: 'tea',
      totalFen: 500,
      notifyUrl: inbox.url,
      expireAt: new Date(clock.now().getTime() + 600_000),
    });
    sandbox.pay({ prepay_id: prepayId });
    await sandbox.flush();
    expect(inbox.received).toHaveLength(1);
    await sandbox.close();

    inbox.respond = () => 204;
    sandbox = await Sandbox.create({ dir, clock, tickMs: 0 });
    url = await sandbox.listen(0);
    provider = WechatPayProvider.fromSandboxDir(dir, url, clock);
    expect((await provider.queryTransaction(sub, 'T_restart_01'))?.tradeState).toBe('SUCCESS');
    clock.advance(15_000);
    await sandbox.flush();
    expect(inbox.received.map((r) => r.status)).toEqual([500, 204]);
    expect((await provider.parseNotification(inbox.received[1].headers, inbox.received[1].body)).kind).toBe(
      'transaction',
    );
    // Ids keep counting where they were.
    expect(sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid).not.toBe(sub);
    await sandbox.close();
    await inbox.close();
  });

  test('a notification cut off mid-send by a stop is sent again at the next start', async () => {
    const dir = path.join(tmp(), 'sandbox');
    const clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
    const inbox = await startNotifyInbox();
    let sandbox = await Sandbox.create({ dir, clock, tickMs: 0, seedKeys: await testKeyMaterial() });
    const stuck: DeliveryDoc = {
      id: 'D_stuck',
      event_id: 'e',
      event_type: 'TRANSACTION.SUCCESS',
      notify_url: inbox.url,
      ref: 'order:x',
      body: '{}',
      state: 'sending',
      attempts: [],
      created_at: '',
    };
    sandbox.ctx.state.put('delivery', stuck.id, stuck, null);
    await sandbox.close();
    sandbox = await Sandbox.create({ dir, clock, tickMs: 0 });
    await sandbox.flush();
    expect(inbox.received).toHaveLength(1);
    expect(sandbox.deliveries({ ref: 'order:x' })[0].state).toBe('delivered');
    await sandbox.close();
    await inbox.close();
  });
});

test('unixSeconds is whole seconds', () => {
  expect(unixSeconds(new Date(1_767_578_400_999))).toBe(1_767_578_400);
});
