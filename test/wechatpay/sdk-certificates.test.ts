// An independent v3 SDK (wechatpay-axios-plugin 0.9.6), unchanged, against
// the sandbox in platform-certificate mode: it downloads /v3/certificates,
// decrypts them with its own AES-GCM, verifies the download's signature with
// its own verifier, and then works with the certificates as its README says
// (certs: {serial: PEM}), through a certificate change.
//
// The SDK's own downloader (bin/cli/cert.js, `wxpay crt`) puts the decrypted
// certificates into the `certs` object it passed to the constructor, but 0.9.6
// verifies against a copy of that object (lib/decorator.js, jsonBased: `pubs`),
// so its first download fails against any server with
// EV3_RES_HEADER_PLATFORM_SERIAL. The same steps below write into the table the
// verifier reads (the constructor's config.certs, which the SDK replaces with
// that copy); everything else is the SDK's code.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID } from './fixtures';

// The SDK's chained API is dynamic; typed loosely here on purpose.
const { Wechatpay, Aes, Rsa } = require('wechatpay-axios-plugin');

type Res = { status: number; data: Record<string, any>; headers: Record<string, string> };

let t: TestSandbox;
let files: Record<string, string>;
let sub: string;

const read = (name: string) => fs.readFileSync(path.join(t.dir, name), 'utf8').trim();

beforeAll(async () => {
  // The real clock: the SDK checks timestamps against Date.now().
  t = await startTestSandbox({ platformMode: 'certificate' });
  files = {
    mchid: read('mchid'),
    appid: read('appid'),
    serial: read('merchant_serial'),
    key: read('merchant_private_key.pem'),
    apiV3Key: read('apiv3_key'),
    ca: read('platform_ca.pem'),
  };
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
});
afterAll(async () => {
  await t.close();
});

const client = (certs: Record<string, unknown>) =>
  new Wechatpay({ baseURL: `${t.url}/`, mchid: files.mchid, serial: files.serial, privateKey: files.key, certs });

/**
 * bin/cli/cert.js's first download: a transformResponse step that decrypts every
 * certificate with the APIv3 key (Aes.AesGcm.decrypt) before the SDK's own
 * verifier checks the answer against the certificate Wechatpay-Serial names.
 */
async function download(): Promise<{ res: Res; pems: Record<string, string> }> {
  const config = {
    baseURL: `${t.url}/`,
    mchid: files.mchid,
    serial: files.serial,
    privateKey: files.key,
    certs: { any: undefined },
  };
  const wxpay = new Wechatpay(config);
  const pems: Record<string, string> = {};
  const injector = (response: string) => {
    for (const { serial_no: serial, encrypt_certificate: c } of JSON.parse(response).data ?? []) {
      pems[serial] = Aes.AesGcm.decrypt(c.ciphertext, files.apiV3Key, c.nonce, c.associated_data);
      Object.assign(config.certs, { [serial]: pems[serial] });
    }
    return response;
  };
  const res: Res = await wxpay.v3.certificates.get({
    transformResponse: [injector, ...wxpay.client.v3.defaults.transformResponse],
  });
  return { res, pems };
}

async function prepay(wxpay: any, outTradeNo: string): Promise<Res> {
  return wxpay.v3.pay.partner.transactions.jsapi.post({
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
}

test('the SDK downloads, decrypts and verifies the certificates, then verifies answers with them', async () => {
  const { res, pems } = await download();
  expect(res.status).toBe(200);
  const [item] = res.data.data;
  const signer = res.headers['wechatpay-serial'];
  expect(Object.keys(pems)).toEqual([signer]);
  // What the SDK decrypted is the sandbox CA's certificate with that serial.
  const cert = new X509Certificate(pems[signer]);
  expect(cert.serialNumber).toBe(item.serial_no);
  expect(cert.checkIssued(new X509Certificate(files.ca))).toBe(true);

  // Configured as the SDK's README says for certificate mode: {serial: certificate PEM}.
  const wxpay = client({ [signer]: pems[signer] });
  expect((await prepay(wxpay, 'T_sdkcert_01')).data.prepay_id).toMatch(/^wx/);
  expect((await wxpay.v3.certificates.get()).status).toBe(200);
  // Verification is real: with no certificate for the serial the SDK refuses the answer.
  await expect(
    prepay(client({ '0000000000000000000000000000000000000000': pems[signer] }), 'T_sdkcert_02'),
  ).rejects.toMatchObject({
    code: 'EV3_RES_HEADER_PLATFORM_SERIAL',
  });

  // Sensitive fields, the SDK's way: RSA-OAEP with the certificate, its serial in Wechatpay-Serial.
  const named = await wxpay.v3.apply4sub.sub_merchants[sub]['modify-settlement'].post(
    {
      modify_mode: 'MODIFY_MODE_ASYNC',
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      account_bank: '招商银行',
      bank_address_code: '440300',
      account_number: Rsa.encrypt('755912345678901', Rsa.from(pems[signer], Rsa.KEY_TYPE_PUBLIC)),
    },
    { headers: { 'Wechatpay-Serial': signer } },
  );
  expect(named.data.application_no).toBeTruthy();
});

test('through a certificate change: the old configuration fails, a new download carries both', async () => {
  const { pems: before } = await download();
  const [old] = Object.keys(before);
  const rotated = await t.sandbox.rotateCertificate();
  // Answers are now signed with the new certificate: a client knowing only the old one refuses them,
  // which is what an adapter without automatic downloads would do until someone edits its configuration.
  await expect(prepay(client({ [old]: before[old] }), 'T_sdkcert_03')).rejects.toMatchObject({
    code: 'EV3_RES_HEADER_PLATFORM_SERIAL',
  });
  const { res, pems } = await download();
  expect(res.headers['wechatpay-serial']).toBe(rotated.serial_no);
  expect(Object.keys(pems).sort()).toEqual([old, rotated.serial_no].sort());
  const wxpay = client(pems);
  expect((await prepay(wxpay, 'T_sdkcert_04')).status).toBe(200);
  // WeChat may still sign with the old one during the change: the SDK verifies that too.
  t.sandbox.signWithCertificate(old);
  try {
    const res2: Res = await prepay(wxpay, 'T_sdkcert_05');
    expect(res2.headers['wechatpay-serial']).toBe(old);
  } finally {
    t.sandbox.signWithCertificate(null);
  }
});
