// A standard third-party v3 SDK (wechatpay-axios-plugin), configured only
// from the files the sandbox wrote and pointed at its base URL, works
// unchanged: it signs its requests, and verifies every answer with the
// WeChat Pay public key (it refuses answers that do not verify).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID, PNG } from './fixtures';

// The SDK's chained API is dynamic; typed loosely here on purpose.
const { Wechatpay, Multipart, Rsa, Aes, Formatter, Hash } = require('wechatpay-axios-plugin');

type Res = { status: number; data: Record<string, any> };

let t: TestSandbox;
let wxpay: any;
const shift = { ms: 0 };
const clock = { now: () => new Date(Date.now() + shift.ms) };
let files: Record<string, string>;
let sub: string;

const read = (name: string) => fs.readFileSync(path.join(t.dir, name), 'utf8').trim();

function sdk(certs: Record<string, string>) {
  return new Wechatpay({
    mchid: files.mchid,
    serial: files.serial,
    privateKey: files.key,
    certs,
    baseURL: `${t.url}/`,
  });
}

beforeAll(async () => {
  // The real clock (the SDK checks timestamps against Date.now()), shiftable to trade in the past.
  t = await startTestSandbox({ clock });
  files = {
    mchid: read('mchid'),
    appid: read('appid'),
    serial: read('merchant_serial'),
    key: read('merchant_private_key.pem'),
    publicKey: read('platform_public_key.pem'),
    keyId: read('platform_public_key_id'),
    apiV3Key: read('apiv3_key'),
  };
  wxpay = sdk({ [files.keyId]: files.publicKey });
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
});
afterAll(async () => {
  await t.close();
});

async function prepay(outTradeNo: string): Promise<string> {
  const res: Res = await wxpay.v3.pay.partner.transactions.jsapi.post({
    sp_appid: files.appid,
    sp_mchid: files.mchid,
    sub_appid: APPID,
    sub_mchid: sub,
    description: 'Pu-erh tea',
    out_trade_no: outTradeNo,
    notify_url: t.inbox.url,
    amount: { total: 888, currency: 'CNY' },
    payer: { sub_openid: OPENID },
  });
  expect(res.status).toBe(200);
  return res.data.prepay_id;
}

test('prepay, the buyer pays with SDK-signed client parameters, query, notification', async () => {
  const prepayId = await prepay('T_sdk_000001');
  // Client parameters signed the SDK's way, paid through the sandbox's HTTP endpoint.
  const timeStamp = String(Formatter.timestamp());
  const nonceStr = Formatter.nonce();
  const pkg = `prepay_id=${prepayId}`;
  const paySign = Rsa.sign(
    Formatter.joinedByLineFeed(APPID, timeStamp, nonceStr, pkg),
    Rsa.from(files.key, Rsa.KEY_TYPE_PRIVATE),
  );
  const paid = await fetch(`${t.url}/sandbox/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign }),
  });
  expect(((await paid.json()) as { trade_state: string }).trade_state).toBe('SUCCESS');

  const q: Res = await wxpay.v3.pay.partner.transactions.outTradeNo.$out_trade_no$.get({
    params: { sp_mchid: files.mchid, sub_mchid: sub },
    out_trade_no: 'T_sdk_000001',
  });
  expect(q.data).toMatchObject({
    trade_state: 'SUCCESS',
    out_trade_no: 'T_sdk_000001',
    sub_mchid: sub,
    amount: { total: 888, payer_total: 888 },
  });
  const byId: Res = await wxpay.v3.pay.partner.transactions.id.$transaction_id$.get({
    params: { sp_mchid: files.mchid, sub_mchid: sub },
    transaction_id: q.data.transaction_id,
  });
  expect(byId.data.out_trade_no).toBe('T_sdk_000001');

  // The notification, verified and decrypted with the SDK's own primitives.
  const [note] = await t.inbox.waitFor(1);
  const h = note.headers;
  expect(
    Rsa.verify(
      Formatter.response(h['wechatpay-timestamp'], h['wechatpay-nonce'], note.body),
      h['wechatpay-signature'],
      Rsa.from(files.publicKey, Rsa.KEY_TYPE_PUBLIC),
    ),
  ).toBe(true);
  const { resource } = JSON.parse(note.body);
  const tx = JSON.parse(
    Aes.AesGcm.decrypt(resource.ciphertext, files.apiV3Key, resource.nonce, resource.associated_data),
  );
  expect(tx).toMatchObject({
    out_trade_no: 'T_sdk_000001',
    trade_state: 'SUCCESS',
    sp_mchid: files.mchid,
    sub_mchid: sub,
  });
});

test('refund and refund query', async () => {
  const prepayId = await prepay('T_sdk_000002');
  t.sandbox.pay({ prepay_id: prepayId });
  const r: Res = await wxpay.v3.refund.domestic.refunds.post({
    sub_mchid: sub,
    out_trade_no: 'T_sdk_000002',
    out_refund_no: 'R_sdk_000002',
    reason: 'out of stock',
    notify_url: t.inbox.url,
    amount: { refund: 300, total: 888, currency: 'CNY' },
  });
  expect(r.data).toMatchObject({
    status: 'PROCESSING',
    out_refund_no: 'R_sdk_000002',
    amount: { refund: 300, total: 888 },
  });
  const q: Res = await wxpay.v3.refund.domestic.refunds.$out_refund_no$.get({
    params: { sub_mchid: sub },
    out_refund_no: 'R_sdk_000002',
  });
  expect(q.data.refund_id).toBe(r.data.refund_id);
});

test('close answers 204, and the SDK verifies the signature over the empty body', async () => {
  await prepay('T_sdk_000003');
  const res: Res = await wxpay.v3.pay.partner.transactions.outTradeNo.$out_trade_no$.close.post(
    { sp_mchid: files.mchid, sub_mchid: sub },
    { out_trade_no: 'T_sdk_000003' },
  );
  expect(res.status).toBe(204);
});

test('WeChat-shaped errors reach the SDK as HTTP errors with {code, message}', async () => {
  const err = await wxpay.v3.pay.partner.transactions.outTradeNo.$out_trade_no$
    .get({ params: { sp_mchid: files.mchid, sub_mchid: sub }, out_trade_no: 'T_sdk_unknown' })
    .catch((e: any) => e);
  expect(err.response.status).toBe(404);
  expect(err.response.data.code).toBe('ORDER_NOT_EXIST');
});

test('the SDK refuses the sandbox when configured with another public key (so its acceptance above means something)', async () => {
  const { publicKey } = require('node:crypto').generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const wrong = sdk({ [files.keyId]: publicKey });
  const err = await wrong.v3.pay.partner.transactions.outTradeNo.$out_trade_no$
    .get({ params: { sp_mchid: files.mchid, sub_mchid: sub }, out_trade_no: 'T_sdk_000001' })
    .catch((e: any) => e);
  expect(err.code).toBe('EV3_RES_HEADER_SIGNATURE_DIGEST');
});

test('media upload (multipart, signed over meta) and an applyment with SDK-encrypted fields', async () => {
  const meta = { filename: 'licence.png', sha256: Hash.sha256(PNG) };
  const form = new Multipart();
  form.append('meta', JSON.stringify(meta), 'meta.json');
  form.append('file', PNG, 'licence.png');
  const up: Res = await wxpay.v3.merchant.media.upload.post(form, { meta, headers: form.getHeaders() });
  expect(up.data.media_id).toEqual(expect.any(String));

  // RSA-OAEP with the WeChat Pay public key, the SDK's way; the sandbox must decrypt it.
  const enc = (s: string) => Rsa.encrypt(s, Rsa.from(files.publicKey, Rsa.KEY_TYPE_PUBLIC));
  // The path ends in a slash, which the chained API cannot spell: the SDK's own request().
  const res: Res = await wxpay.client.request(
    'v3/applyment4sub/applyment/',
    'post',
    {
      business_code: 'BC_SDK_0001',
      contact_info: { contact_name: enc('张三'), mobile_phone: enc('13800138000'), contact_email: enc('a@b.cn') },
      subject_info: {
        subject_type: 'SUBJECT_TYPE_ENTERPRISE',
        business_license_info: { license_copy: up.data.media_id },
      },
      business_info: { merchant_shortname: 'SDK Tea' },
      settlement_info: { settlement_id: '716' },
      bank_account_info: {
        bank_account_type: 'BANK_ACCOUNT_TYPE_CORPORATE',
        account_name: enc('SDK Tea Co.'),
        account_number: enc('6222000011112222'),
      },
    },
    { headers: { 'Wechatpay-Serial': files.keyId } },
  );
  expect(res.data.applyment_id).toEqual(expect.any(Number));
  const q: Res = await wxpay.v3.applyment4sub.applyment.business_code.$business_code$.get({
    business_code: 'BC_SDK_0001',
  });
  expect(q.data).toMatchObject({ business_code: 'BC_SDK_0001', applyment_state: 'APPLYMENT_STATE_AUDITING' });
});

test('trade bill: request, download (unsigned: the SDK skips verification there), gunzip, SHA1', async () => {
  // Trade two days ago (a finished, ready day), through the adapter on a shifted clock.
  shift.ms = -2 * 86_400_000;
  const { prepayId } = await t.provider.prepay({
    subMchid: sub,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo: 'T_sdk_bill_01',
    description: 'tea',
    totalFen: 1234,
    notifyUrl: t.inbox.url,
    expireAt: new Date(clock.now().getTime() + 600_000),
  });
  t.sandbox.pay({ prepay_id: prepayId });
  const day = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  shift.ms = 0;
  const info: Res = await wxpay.v3.bill.tradebill.get({
    params: { bill_date: day, sub_mchid: sub, bill_type: 'ALL', tar_type: 'GZIP' },
  });
  expect(info.data).toMatchObject({ hash_type: 'SHA1', hash_value: expect.stringMatching(/^[0-9a-f]{40}$/) });
  const url = new URL(info.data.download_url);
  const file: Res = await wxpay.v3.billdownload.file.get({
    params: { token: url.searchParams.get('token') },
    responseType: 'arraybuffer',
  });
  const csv = zlib.gunzipSync(Buffer.from(file.data as unknown as ArrayBuffer));
  expect(Hash.sha1(csv)).toBe(info.data.hash_value);
  const { rows, summary } = Formatter.castCsvBill(csv);
  expect(rows).toEqual([
    expect.objectContaining({ 商户订单号: 'T_sdk_bill_01', 应结订单金额: '12.34', 手续费: '0.07000', 费率: '0.60%' }),
  ]);
  expect(summary).toMatchObject({ 总交易单数: '1', 应结订单总金额: '12.34' });

  // A day without trades has no bill.
  const empty = new Date(Date.now() - 3 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  const err = await wxpay.v3.bill.tradebill.get({ params: { bill_date: empty, sub_mchid: sub } }).catch((e: any) => e);
  expect(err.response.data.code).toBe('NO_STATEMENT_EXIST');
});

test('direct mode (the service provider as an ordinary merchant): prepay, pay, query, refund, close', async () => {
  const direct = (out_trade_no: string) =>
    wxpay.v3.pay.transactions.jsapi.post({
      appid: files.appid,
      mchid: files.mchid,
      description: 'Jasmine tea',
      out_trade_no,
      notify_url: t.inbox.url,
      amount: { total: 100, currency: 'CNY' },
      payer: { openid: OPENID },
    });
  const res: Res = await direct('T_direct_0001');
  t.sandbox.pay({ prepay_id: res.data.prepay_id });
  const q: Res = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
    params: { mchid: files.mchid },
    out_trade_no: 'T_direct_0001',
  });
  expect(q.data).toMatchObject({
    appid: files.appid,
    mchid: files.mchid,
    trade_state: 'SUCCESS',
    payer: { openid: OPENID },
  });
  const r: Res = await wxpay.v3.refund.domestic.refunds.post({
    out_trade_no: 'T_direct_0001',
    out_refund_no: 'R_direct_01',
    amount: { refund: 100, total: 100, currency: 'CNY' },
  });
  expect(r.data.status).toBe('PROCESSING');
  await direct('T_direct_0002');
  expect(
    (
      await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post(
        { mchid: files.mchid },
        { out_trade_no: 'T_direct_0002' },
      )
    ).status,
  ).toBe(204);
  // The appid must be the merchant's own.
  const err = await wxpay.v3.pay.transactions.jsapi
    .post({
      appid: 'wx0000000000000000',
      mchid: files.mchid,
      description: 'x',
      out_trade_no: 'T_direct_0003',
      notify_url: t.inbox.url,
      amount: { total: 1 },
      payer: { openid: OPENID },
    })
    .catch((e: any) => e);
  expect(err.response.data.code).toBe('APPID_MCHID_NOT_MATCH');
});

test('sandbox-only HTTP endpoints: sub-merchants, the index page', async () => {
  const created = await fetch(`${t.url}/sandbox/sub-merchants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ appids: [APPID], settlement_id: '728' }),
  });
  const m = (await created.json()) as { sub_mchid: string; rate_ppm: number };
  expect(m.rate_ppm).toBe(2000);
  const page = await (await fetch(`${t.url}/sandbox`)).text();
  expect(page).toContain(files.mchid);
  expect(page).toContain(m.sub_mchid);
  expect(page).not.toContain(files.apiV3Key);
});
