// Platform-certificate mode end to end: the sandbox issues certificates from
// its own CA, serves GET /v3/certificates as WeChat does and signs with the
// current certificate; the adapter downloads, checks, caches and refreshes
// them, verifies by serial, and follows a certificate change in the middle of
// traffic without anyone touching its configuration.
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  MIN_DOWNLOAD_GAP_MS,
  REFRESH_INTERVAL_MS,
  RENEW_INTERVAL_MS,
} from '../../cloudfunctions/core/adapters/wechatpay/certificates';
import { WechatPayClient } from '../../cloudfunctions/core/adapters/wechatpay/client';
import { configFromEnv, configFromSandboxDir } from '../../cloudfunctions/core/adapters/wechatpay/config';
import {
  decryptResource,
  oaepDecrypt,
  randomNonce,
  rsaVerify,
  SignatureError,
  signatureMessage,
  signRequest,
  unixSeconds,
  wechatpaySignatureHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import type { SettlementAccount } from '../../cloudfunctions/core/ports/pay';
import { issueCertificate, randomSerial } from '../../cloudfunctions/local/sandbox/x509';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID, payError } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;

const NAME = 'Shenzhen Demo Tea Co., Ltd.';
const HOUR = 3600_000;

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0, platformMode: 'certificate' });
  sub = t.sandbox.createSubMerchant({
    appids: [APPID],
    merchant_name: NAME,
    legal_person: '张三',
    subject_type: 'SUBJECT_TYPE_ENTERPRISE',
  }).sub_mchid;
});
afterEach(async () => {
  await t.close();
});

const downloads = (p: WechatPayProvider = t.provider) => p.client.certificates?.downloads ?? -1;
const signing = async () => (await t.sandbox.certificates()).find((c) => c.signing)?.serial_no;

async function payOrder(outTradeNo: string, p: WechatPayProvider = t.provider) {
  const { prepayId } = await p.prepay({
    subMchid: sub,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo,
    description: 'Oolong tea',
    totalFen: 1999,
    notifyUrl: t.inbox.url,
    expireAt: new Date(clock.now().getTime() + 600_000),
  });
  return t.sandbox.pay({ ...p.clientParams(APPID, prepayId) });
}

/** The next notification the inbox receives. */
async function nextNotification() {
  const before = t.inbox.received.length;
  await t.sandbox.flush();
  const all = await t.inbox.waitFor(before + 1);
  return all[before];
}

async function reason(call: Promise<unknown>): Promise<SignatureError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof SignatureError) return err;
    throw err;
  }
  throw new Error('expected a SignatureError');
}

/** A signed GET as any v3 client sends it. */
async function signedGet(pathWithQuery: string): Promise<Response> {
  const read = (f: string) => fs.readFileSync(path.join(t.dir, f), 'utf8').trim();
  return fetch(`${t.url}${pathWithQuery}`, {
    headers: {
      Accept: 'application/json',
      Authorization: signRequest({
        method: 'GET',
        pathWithQuery,
        body: '',
        mchid: read('mchid'),
        serial: read('merchant_serial'),
        privateKey: crypto.createPrivateKey(read('merchant_private_key.pem')),
        timestamp: unixSeconds(clock.now()),
        nonce: randomNonce(),
      }),
    },
  });
}

describe('the sandbox serves /v3/certificates as WeChat does', () => {
  test('listed, encrypted with the APIv3 key, issued by the sandbox CA, the answer signed by the certificate', async () => {
    const res = await signedGet('/v3/certificates');
    expect(res.status).toBe(200);
    const raw = await res.text();
    const { data } = JSON.parse(raw);
    expect(data).toHaveLength(1);
    const [item] = data;
    expect(item.serial_no).toMatch(/^[0-9A-F]{40}$/);
    expect(item.effective_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(item.expire_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(item.encrypt_certificate).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate' });
    expect(item.encrypt_certificate.nonce).toHaveLength(12);
    expect(raw).not.toContain('BEGIN CERTIFICATE');
    const pem = decryptResource(item.encrypt_certificate, t.sandbox.keys.apiV3Key);
    const cert = new X509Certificate(pem);
    const ca = new X509Certificate(fs.readFileSync(path.join(t.dir, 'platform_ca.pem')));
    expect(cert.serialNumber).toBe(item.serial_no);
    expect(cert.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(5 * 365 * 24 * HOUR);
    expect(Date.parse(item.effective_time)).toBe(Date.parse(cert.validFrom));
    // Signed with that certificate's key, named by its serial.
    expect(res.headers.get('wechatpay-serial')).toBe(item.serial_no);
    const ts = res.headers.get('wechatpay-timestamp') ?? '';
    const nonce = res.headers.get('wechatpay-nonce') ?? '';
    expect(
      rsaVerify(signatureMessage(ts, nonce, raw), res.headers.get('wechatpay-signature') ?? '', cert.publicKey),
    ).toBe(true);
    // Like every v3 path, only for signed requests.
    expect((await fetch(`${t.url}/v3/certificates`)).status).toBe(401);
  });

  test('a rotation lists old and new; the old drops out after the overlap; the state survives a restart', async () => {
    const [first] = await t.sandbox.certificates();
    const rotated = await t.sandbox.rotateCertificate({ overlapSeconds: 3600 });
    const listed = async () =>
      JSON.parse(await (await signedGet('/v3/certificates')).text()).data.map(
        (c: { serial_no: string; expire_time: string }) => [c.serial_no, Date.parse(c.expire_time)],
      );
    expect(await listed()).toEqual([
      [first.serial_no, clock.now().getTime() + HOUR],
      [rotated.serial_no, Date.parse(rotated.expire_time)],
    ]);
    expect(await signing()).toBe(rotated.serial_no);
    // The PEM's notAfter stays as it was: expire_time is WeChat's word on when it is retired.
    expect(Date.parse(first.expire_time)).toBeGreaterThan(clock.now().getTime() + HOUR);
    clock.advance(HOUR);
    expect(await listed()).toEqual([[rotated.serial_no, Date.parse(rotated.expire_time)]]);
    // Over HTTP too, and a restart keeps CA and certificates.
    const res = await fetch(`${t.url}/sandbox/certificates/rotate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ overlap_seconds: 60, effective_in_seconds: 0 }),
    });
    const third = (await res.json()) as { serial_no: string };
    expect(third.serial_no).toMatch(/^[0-9A-F]{40}$/);
    const ca = fs.readFileSync(path.join(t.dir, 'platform_ca.pem'), 'utf8');
    await t.sandbox.close();
    const again = await startTestSandbox({ clock, tickMs: 0, dir: t.dir, platformMode: 'certificate' });
    try {
      expect((await again.sandbox.certificates()).map((c) => c.serial_no)).toEqual([
        first.serial_no,
        rotated.serial_no,
        third.serial_no,
      ]);
      expect(fs.readFileSync(path.join(t.dir, 'platform_ca.pem'), 'utf8')).toBe(ca);
    } finally {
      await again.close();
      t = await startTestSandbox({ clock, tickMs: 0, platformMode: 'certificate' });
    }
  });
});

describe('the adapter in certificate mode', () => {
  test('downloads on first need, verifies by serial, keeps them in memory', async () => {
    expect(t.provider.client.config.platformKeys.size).toBe(0);
    expect(downloads()).toBe(0);
    await payOrder('T_cert_0001');
    const note = await nextNotification();
    expect(note.status).toBe(204);
    expect(note.headers['wechatpay-serial']).toBe(await signing());
    expect((await t.provider.parseNotification(note.headers, note.body)).kind).toBe('transaction');
    expect((await t.provider.queryTransaction(sub, 'T_cert_0001'))?.tradeState).toBe('SUCCESS');
    // One download served the prepay answer, the notification and the query.
    expect(downloads()).toBe(1);
    expect(t.provider.client.certificates?.list().map((c) => c.serial)).toEqual([await signing()]);
  });

  test('a rotation in the middle of traffic: the new certificate is fetched once, the old accepted until it expires', async () => {
    await payOrder('T_cert_0002');
    await t.provider.parseNotification(...parts(await nextNotification()));
    const old = await signing();
    expect(downloads()).toBe(1);

    const rotated = await t.sandbox.rotateCertificate(); // in effect now, the old one valid 24 h more
    // Answers and notifications now carry the new serial: one download, no configuration touched.
    expect((await t.provider.queryTransaction(sub, 'T_cert_0002'))?.tradeState).toBe('SUCCESS');
    expect(downloads()).toBe(2);
    await payOrder('T_cert_0003');
    const note = await nextNotification();
    expect(note.headers['wechatpay-serial']).toBe(rotated.serial_no);
    expect((await t.provider.parseNotification(...parts(note))).kind).toBe('transaction');
    expect(downloads()).toBe(2);

    // WeChat may still sign with the old one during the change: accepted, nothing downloaded.
    t.sandbox.signWithCertificate(old ?? null);
    expect((await t.provider.queryTransaction(sub, 'T_cert_0003'))?.tradeState).toBe('SUCCESS');
    await payOrder('T_cert_0004');
    const oldNote = await nextNotification();
    expect(oldNote.headers['wechatpay-serial']).toBe(old);
    expect((await t.provider.parseNotification(...parts(oldNote))).kind).toBe('transaction');
    expect(downloads()).toBe(2);
    t.sandbox.signWithCertificate(null);

    // Once its expire_time has passed, the old certificate verifies nothing.
    clock.advance(24 * HOUR + 1000);
    const oldKey = t.sandbox.ctx.certificates.privateKey(old ?? '');
    const body = oldNote.body;
    const err = await reason(
      t.provider.parseNotification(lower(wechatpaySignatureHeaders(body, old ?? '', oldKey, clock.now())), body),
    );
    expect(err.reason).toBe('UNKNOWN_SERIAL');
    expect(t.provider.client.certificates?.list().map((c) => c.serial)).toEqual([rotated.serial_no]);
    // The new one carries on.
    expect((await t.provider.queryTransaction(sub, 'T_cert_0004'))?.tradeState).toBe('SUCCESS');
  });

  test('an unknown serial: one download, then a clear refusal; never more than one download a minute', async () => {
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(1);
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const body = '{"id":"EV-forged"}';
    const forged = (serial: string) =>
      t.provider.parseNotification(
        lower(wechatpaySignatureHeaders(body, serial, forger.privateKey, clock.now())),
        body,
      );

    const first = await reason(forged('5157F09EFDC096DE15EBE81A47057A7232F1B8E1'));
    expect(first.reason).toBe('UNKNOWN_SERIAL');
    expect(first.message).toMatch(/no platform key with serial 5157F09EFDC096DE15EBE81A47057A7232F1B8E1/);
    expect(downloads()).toBe(2);
    // A flood of invented serials costs nothing more within the minute.
    for (let i = 0; i < 5; i++) expect((await reason(forged(`FORGED${i}`))).reason).toBe('UNKNOWN_SERIAL');
    expect(downloads()).toBe(2);
    // Stale messages and signature probes are refused before any key is looked up.
    clock.advance(MIN_DOWNLOAD_GAP_MS);
    const stale = lower(
      wechatpaySignatureHeaders(body, 'STALE', forger.privateKey, new Date(clock.now().getTime() - 301_000)),
    );
    expect((await reason(t.provider.parseNotification(stale, body))).reason).toBe('STALE_TIMESTAMP');
    const probe = { ...lower(wechatpaySignatureHeaders(body, 'PROBE', forger.privateKey, clock.now())) };
    probe['wechatpay-signature'] = 'WECHATPAY/SIGNTEST/abc';
    expect((await reason(t.provider.parseNotification(probe, body))).reason).toBe('SIGNTEST_PROBE');
    expect(downloads()).toBe(2);
    // A minute later, one more.
    expect((await reason(forged('FORGED9'))).reason).toBe('UNKNOWN_SERIAL');
    expect(downloads()).toBe(3);
    // A known serial with a forged signature is just a bad signature.
    expect((await reason(forged((await signing()) ?? ''))).reason).toBe('BAD_SIGNATURE');
  });

  test('refreshed on schedule, so a change announced ahead needs no download when it happens', async () => {
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(1);
    const old = await signing();
    // WeChat's way: the new certificate is listed ahead (a day; 8 h here); the old one retires when it takes effect.
    const next = await t.sandbox.rotateCertificate({ effectiveInSeconds: 8 * 3600, overlapSeconds: 0 });
    expect(await signing()).toBe(old);
    clock.advance(REFRESH_INTERVAL_MS - 1000);
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(1);
    clock.advance(1000);
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(2);
    expect(t.provider.client.certificates?.list().map((c) => c.serial)).toEqual([old, next.serial_no]);
    // The change: the sandbox now signs with the new certificate, which the adapter already has.
    clock.advance(2 * HOUR);
    expect(await signing()).toBe(next.serial_no);
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(2);
    // And the old one, retired, is no longer accepted (beyond the 5 minutes allowed for clock differences).
    expect(t.provider.client.certificates?.get(old ?? '')).toBeDefined();
    clock.advance(300_000);
    expect(t.provider.client.certificates?.get(old ?? '')).toBeUndefined();
  });

  test('when the newest certificate known ends within a day, it looks for its successor every hour', async () => {
    const [cert] = await t.sandbox.certificates();
    clock.set(new Date(Date.parse(cert.expire_time) - 12 * HOUR));
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(1);
    clock.advance(RENEW_INTERVAL_MS - 1000);
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(1);
    clock.advance(1000);
    await t.provider.queryTransaction(sub, 'T_none');
    expect(downloads()).toBe(2);
  });

  test('sensitive fields: encrypted with the newest certificate, named in Wechatpay-Serial, decrypted by the sandbox', async () => {
    const account: SettlementAccount = {
      accountType: 'ACCOUNT_TYPE_BUSINESS',
      accountBank: '招商银行',
      bankAddressCode: '440300',
      bankName: '招商银行深圳分行',
      accountName: NAME,
      accountNumber: '755912345678901',
    };
    // Nothing known yet: encrypting needs prepareSensitive first (it downloads).
    expect(() => t.provider.encryptSensitive('x')).toThrow(/prepareSensitive/);
    const { applicationNo } = await t.provider.modifySettlement(sub, account);
    expect(await t.provider.querySettlementModification(sub, applicationNo)).toEqual({ state: 'AUDITING' });

    const first = await signing();
    const rotated = await t.sandbox.rotateCertificate();
    // Until prepared again, the fields keep going to the certificate chosen before (valid through the change).
    const before = t.provider.encryptSensitive('13800138000');
    expect(oaepDecrypt(before, t.sandbox.ctx.certificates.privateKey(first ?? ''))).toBe('13800138000');
    // Preparing downloads again (unless done within the minute) and picks the newest.
    clock.advance(MIN_DOWNLOAD_GAP_MS);
    const count = downloads();
    await t.provider.prepareSensitive();
    expect(downloads()).toBe(count + 1);
    const after = t.provider.encryptSensitive('13800138000');
    expect(oaepDecrypt(after, t.sandbox.ctx.certificates.privateKey(rotated.serial_no))).toBe('13800138000');
    expect(t.provider.client.encryptionKey().serial).toBe(rotated.serial_no);
    clock.advance(24 * HOUR);
    expect(await t.provider.querySettlementModification(sub, applicationNo)).toEqual({ state: 'AUDIT_SUCCESS' });
    const second = await t.provider.modifySettlement(sub, { ...account, accountNumber: '755912345678902' });
    expect(second.applicationNo).toBeTruthy();
    // The sandbox refuses a serial that is not a valid platform certificate.
    const err = await payError(
      t.provider.client.request('POST', `/v3/apply4sub/sub_merchants/${sub}/modify-settlement`, {
        body: {
          account_type: 'ACCOUNT_TYPE_BUSINESS',
          account_bank: '招商银行',
          bank_address_code: '440300',
          account_number: after,
        },
      }),
    );
    expect(err.code).toBe('PARAM_ERROR');
  });

  test('refused downloads: another CA, another APIv3 key', async () => {
    const caKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const name = { CN: 'Someone else CA' };
    const otherCa = issueCertificate({
      serial: randomSerial(),
      subject: name,
      issuer: name,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2040-01-01T00:00:00Z'),
      publicKey: caKey.publicKey,
      signingKey: caKey.privateKey,
      issuerPublicKey: caKey.publicKey,
      ca: true,
    });
    const base = configFromSandboxDir(t.dir, t.url);
    const withCa = new WechatPayProvider(
      new WechatPayClient(
        { ...base, certificates: { trustedCa: [new X509Certificate(otherCa)], configured: [] } },
        { clock },
      ),
    );
    const untrusted = await reason(withCa.queryTransaction(sub, 'T_none'));
    expect(untrusted.reason).toBe('UNKNOWN_SERIAL');
    expect(untrusted.message).toMatch(/not issued by a trusted CA/);
    const wrongKey = new WechatPayProvider(new WechatPayClient({ ...base, apiV3Key: Buffer.alloc(32, 7) }, { clock }));
    expect((await reason(wrongKey.queryTransaction(sub, 'T_none'))).message).toMatch(/resource decryption failed/);
    expect(wrongKey.client.certificates?.list()).toEqual([]);
  });

  test('configured from the environment like production: certificate mode with the CA, nothing listed', async () => {
    const read = (f: string) => fs.readFileSync(path.join(t.dir, f), 'utf8').trim();
    const env = {
      PMS_WXPAY_BASE_URL: t.url,
      PMS_WXPAY_SP_MCHID: read('mchid'),
      PMS_WXPAY_SP_APPID: read('appid'),
      PMS_WXPAY_MERCHANT_SERIAL: read('merchant_serial'),
      PMS_WXPAY_MERCHANT_PRIVATE_KEY: read('merchant_private_key.pem'),
      PMS_WXPAY_APIV3_KEY: read('apiv3_key'),
      PMS_WXPAY_PLATFORM_MODE: 'certificate',
      PMS_WXPAY_PLATFORM_CA: read('platform_ca.pem'),
    };
    const config = configFromEnv(env);
    expect(config.platformKeys.size).toBe(0);
    expect(config.encryptKeyId).toBeUndefined();
    expect(config.certificates?.trustedCa).toHaveLength(1);
    const p = WechatPayProvider.fromEnv(env, clock);
    await payOrder('T_cert_env1', p);
    expect((await p.parseNotification(...parts(await nextNotification()))).kind).toBe('transaction');
    expect(downloads(p)).toBe(1);
    expect(() => configFromEnv({ ...env, PMS_WXPAY_PLATFORM_MODE: 'both' })).toThrow(/public_key or certificate/);
  });
});

describe('public-key mode is unchanged', () => {
  test('no certificate store, no download; the public key id signs', async () => {
    const pk = await startTestSandbox({ clock, tickMs: 0 });
    try {
      expect(pk.provider.client.certificates).toBeNull();
      expect(fs.readFileSync(path.join(pk.dir, 'platform_mode'), 'utf8').trim()).toBe('public_key');
      const s = pk.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
      const { prepayId } = await pk.provider.prepay({
        subMchid: s,
        subAppid: APPID,
        openid: OPENID,
        outTradeNo: 'T_pk_0001',
        description: 'Oolong tea',
        totalFen: 1,
        notifyUrl: pk.inbox.url,
        expireAt: new Date(clock.now().getTime() + 600_000),
      });
      pk.sandbox.pay({ prepay_id: prepayId });
      await pk.sandbox.flush();
      const [note] = await pk.inbox.waitFor(1);
      expect(note.headers['wechatpay-serial']).toBe(pk.sandbox.keys.platformKeyId);
      expect((await pk.provider.parseNotification(note.headers, note.body)).kind).toBe('transaction');
      // A rotation of the sandbox's certificates changes nothing in this mode.
      await pk.sandbox.rotateCertificate();
      expect((await pk.provider.queryTransaction(s, 'T_pk_0001'))?.tradeState).toBe('SUCCESS');
    } finally {
      await pk.close();
    }
  });
});

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function parts(note: { headers: Record<string, string>; body: string }): [Record<string, string>, string] {
  return [note.headers, note.body];
}
