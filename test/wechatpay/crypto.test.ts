// The v3 cryptography: round trips between the two sides, and every way a
// signature, a timestamp, a key or a ciphertext can be wrong.
import crypto from 'node:crypto';
import {
  apiV3KeyBytes,
  clientPaySign,
  decryptResource,
  encryptResource,
  oaepDecrypt,
  oaepEncrypt,
  parseAuthorization,
  requestMessage,
  rsaVerify,
  SignatureError,
  signRequest,
  verifyClientPaySign,
  verifyWechatpaySignature,
  wechatpayHeaders,
  wechatpaySignatureHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';

const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const rotated = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const OLD_ID = 'PUB_KEY_ID_0119000000012025010100000000000001';
const NEW_ID = 'PUB_KEY_ID_0119000000012026010100000000000002';
const now = new Date('2026-01-05T02:00:00Z');
const keys = new Map([
  [OLD_ID, platform.publicKey],
  [NEW_ID, rotated.publicKey],
]);

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof SignatureError) return err.reason;
    throw err;
  }
  throw new Error('expected a SignatureError');
}

describe('request signatures', () => {
  const req = {
    method: 'POST',
    pathWithQuery: '/v3/pay/partner/transactions/jsapi',
    body: '{"a":1}',
    mchid: '1900000109',
    serial: 'ABC123',
    privateKey: merchant.privateKey,
    timestamp: 1767578400,
    nonce: 'n0nce',
  };

  test('the Authorization header carries a signature over METHOD\\nPATH\\nTS\\nNONCE\\nBODY\\n', () => {
    const header = signRequest(req);
    const p = parseAuthorization(header)!;
    expect(p).toMatchObject({ mchid: '1900000109', serial_no: 'ABC123', timestamp: '1767578400', nonce_str: 'n0nce' });
    expect(requestMessage('POST', req.pathWithQuery, 1767578400, 'n0nce', req.body)).toBe(
      `POST\n${req.pathWithQuery}\n1767578400\nn0nce\n{"a":1}\n`,
    );
    expect(
      rsaVerify(
        requestMessage('POST', req.pathWithQuery, p.timestamp, p.nonce_str, req.body),
        p.signature,
        merchant.publicKey,
      ),
    ).toBe(true);
    // Any other method, path, body or key does not verify.
    expect(
      rsaVerify(
        requestMessage('GET', req.pathWithQuery, p.timestamp, p.nonce_str, req.body),
        p.signature,
        merchant.publicKey,
      ),
    ).toBe(false);
    expect(
      rsaVerify(
        requestMessage('POST', `${req.pathWithQuery}?x=1`, p.timestamp, p.nonce_str, req.body),
        p.signature,
        merchant.publicKey,
      ),
    ).toBe(false);
    expect(
      rsaVerify(
        requestMessage('POST', req.pathWithQuery, p.timestamp, p.nonce_str, '{"a":2}'),
        p.signature,
        merchant.publicKey,
      ),
    ).toBe(false);
    expect(
      rsaVerify(
        requestMessage('POST', req.pathWithQuery, p.timestamp, p.nonce_str, req.body),
        p.signature,
        platform.publicKey,
      ),
    ).toBe(false);
  });

  test('an empty body still ends the message with a newline', () => {
    expect(requestMessage('GET', '/v3/x?a=1', 1, 'n', '')).toBe('GET\n/v3/x?a=1\n1\nn\n\n');
  });

  test('parseAuthorization takes parameters in any order and refuses other schemes or missing parts', () => {
    const h = 'WECHATPAY2-SHA256-RSA2048 serial_no="S",timestamp="1",mchid="M",signature="a+b/c==",nonce_str="N"';
    expect(parseAuthorization(h)).toEqual({
      mchid: 'M',
      serial_no: 'S',
      nonce_str: 'N',
      timestamp: '1',
      signature: 'a+b/c==',
    });
    expect(parseAuthorization('Bearer x')).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
    expect(
      parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="M",nonce_str="N",timestamp="1",serial_no="S"'),
    ).toBeNull();
  });
});

describe('WeChat Pay signatures on responses and notifications', () => {
  const body = '{"id":"EV-1","resource":{}}';
  const signed = (key = platform.privateKey, id = OLD_ID, at = now) =>
    wechatpayHeaders(wechatpaySignatureHeaders(body, id, key, at));

  test('verify over the raw body with the key the serial names, among several (rotation)', () => {
    expect(verifyWechatpaySignature(signed(), body, keys, now)).toBe(OLD_ID);
    expect(verifyWechatpaySignature(signed(rotated.privateKey, NEW_ID), body, keys, now)).toBe(NEW_ID);
  });

  test('headers are found whatever their case', () => {
    const lower = Object.fromEntries(
      Object.entries(wechatpaySignatureHeaders(body, OLD_ID, platform.privateKey, now)).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    expect(verifyWechatpaySignature(wechatpayHeaders(lower), body, keys, now)).toBe(OLD_ID);
  });

  test('a tampered body, a re-serialised body or the wrong key fail', () => {
    expect(failure(() => verifyWechatpaySignature(signed(), body.replace('EV-1', 'EV-2'), keys, now))).toBe(
      'BAD_SIGNATURE',
    );
    expect(
      failure(() => verifyWechatpaySignature(signed(), JSON.stringify(JSON.parse(body), null, 1), keys, now)),
    ).toBe('BAD_SIGNATURE');
    // Signed with the new key but labelled with the old key's id.
    expect(failure(() => verifyWechatpaySignature(signed(rotated.privateKey, OLD_ID), body, keys, now))).toBe(
      'BAD_SIGNATURE',
    );
    expect(failure(() => verifyWechatpaySignature(signed(merchant.privateKey), body, keys, now))).toBe('BAD_SIGNATURE');
  });

  test('an unknown serial fails before any signature check', () => {
    expect(
      failure(() => verifyWechatpaySignature(signed(platform.privateKey, 'PUB_KEY_ID_UNKNOWN'), body, keys, now)),
    ).toBe('UNKNOWN_SERIAL');
  });

  test('timestamps more than 300 s away fail, either way', () => {
    expect(
      verifyWechatpaySignature(signed(platform.privateKey, OLD_ID, new Date(now.getTime() - 300_000)), body, keys, now),
    ).toBe(OLD_ID);
    expect(
      failure(() =>
        verifyWechatpaySignature(
          signed(platform.privateKey, OLD_ID, new Date(now.getTime() - 301_000)),
          body,
          keys,
          now,
        ),
      ),
    ).toBe('STALE_TIMESTAMP');
    expect(
      failure(() =>
        verifyWechatpaySignature(
          signed(platform.privateKey, OLD_ID, new Date(now.getTime() + 301_000)),
          body,
          keys,
          now,
        ),
      ),
    ).toBe('STALE_TIMESTAMP');
    expect(failure(() => verifyWechatpaySignature({ ...signed(), timestamp: 'soon' }, body, keys, now))).toBe(
      'STALE_TIMESTAMP',
    );
  });

  test('WECHATPAY/SIGNTEST/ probes and missing headers fail', () => {
    expect(
      failure(() => verifyWechatpaySignature({ ...signed(), signature: 'WECHATPAY/SIGNTEST/abcdef' }, body, keys, now)),
    ).toBe('SIGNTEST_PROBE');
    expect(failure(() => verifyWechatpaySignature({ ...signed(), serial: undefined }, body, keys, now))).toBe(
      'MISSING_HEADERS',
    );
    expect(failure(() => verifyWechatpaySignature({}, body, keys, now))).toBe('MISSING_HEADERS');
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  const key = apiV3KeyBytes('0123456789abcdefghijABCDEFGHIJ01');

  test('round trip; the tag is the last 16 bytes of the ciphertext', () => {
    const plain = JSON.stringify({ out_trade_no: 'T1', amount: { total: 100 } });
    const r = encryptResource(plain, key, 'transaction');
    expect(r.nonce).toHaveLength(12);
    expect(Buffer.from(r.ciphertext, 'base64')).toHaveLength(Buffer.byteLength(plain) + 16);
    expect(decryptResource(r, key)).toBe(plain);
  });

  test('matches an independent AES-256-GCM computation', () => {
    const r = encryptResource('hello', key, 'refund', 'abcdefghijkl');
    const c = crypto.createCipheriv('aes-256-gcm', key, Buffer.from('abcdefghijkl'));
    c.setAAD(Buffer.from('refund'));
    const expected = Buffer.concat([c.update('hello'), c.final(), c.getAuthTag()]).toString('base64');
    expect(r.ciphertext).toBe(expected);
  });

  test('a wrong key, altered associated data, nonce or ciphertext fail', () => {
    const r = encryptResource('secret', key, 'transaction');
    expect(failure(() => decryptResource(r, apiV3KeyBytes('X'.repeat(32))))).toBe('DECRYPT_FAILED');
    expect(failure(() => decryptResource({ ...r, associated_data: 'refund' }, key))).toBe('DECRYPT_FAILED');
    expect(failure(() => decryptResource({ ...r, nonce: 'AAAAAAAAAAAA' }, key))).toBe('DECRYPT_FAILED');
    const bytes = Buffer.from(r.ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(failure(() => decryptResource({ ...r, ciphertext: bytes.toString('base64') }, key))).toBe('DECRYPT_FAILED');
    expect(() => apiV3KeyBytes('short')).toThrow(RangeError);
  });
});

describe('sensitive fields (RSA-OAEP, SHA-1/MGF1)', () => {
  test('round trip with the platform key pair; randomised; the wrong key fails', () => {
    const a = oaepEncrypt('张三', platform.publicKey);
    expect(a).not.toBe(oaepEncrypt('张三', platform.publicKey));
    expect(oaepDecrypt(a, platform.privateKey)).toBe('张三');
    expect(() => oaepDecrypt(a, rotated.privateKey)).toThrow();
  });

  test('is OAEP with SHA-1 (decrypts with the explicit parameters)', () => {
    const a = oaepEncrypt('6222000000000000', platform.publicKey);
    const plain = crypto.privateDecrypt(
      { key: platform.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(a, 'base64'),
    );
    expect(plain.toString()).toBe('6222000000000000');
    expect(() =>
      crypto.privateDecrypt(
        { key: platform.privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from(a, 'base64'),
      ),
    ).toThrow();
  });
});

describe('client pay-sign', () => {
  test('signs APPID\\nTS\\nNONCE\\nprepay_id=…\\n and verifies only for that appid and key', () => {
    const p = clientPaySign(
      'wxd0c0ffee5a1e5a1e',
      'wx2026010510000012345678',
      merchant.privateKey,
      1767578400,
      'nonce123',
    );
    expect(p).toMatchObject({
      timeStamp: '1767578400',
      nonceStr: 'nonce123',
      package: 'prepay_id=wx2026010510000012345678',
      signType: 'RSA',
    });
    expect(
      rsaVerify(
        'wxd0c0ffee5a1e5a1e\n1767578400\nnonce123\nprepay_id=wx2026010510000012345678\n',
        p.paySign,
        merchant.publicKey,
      ),
    ).toBe(true);
    expect(verifyClientPaySign(p, 'wxd0c0ffee5a1e5a1e', merchant.publicKey)).toBe(true);
    expect(verifyClientPaySign(p, 'wx_other_appid', merchant.publicKey)).toBe(false);
    expect(verifyClientPaySign({ ...p, package: 'prepay_id=wx_other' }, 'wxd0c0ffee5a1e5a1e', merchant.publicKey)).toBe(
      false,
    );
    expect(verifyClientPaySign({ ...p, signType: 'MD5' }, 'wxd0c0ffee5a1e5a1e', merchant.publicKey)).toBe(false);
    expect(verifyClientPaySign(p, 'wxd0c0ffee5a1e5a1e', platform.publicKey)).toBe(false);
  });
});
