// What the v3 client needs to talk to WeChat Pay (or the local sandbox), and
// the two places it comes from.
//
// Production (PMS_MODE=cloud), from the environment:
//   PMS_WXPAY_BASE_URL              default https://api.mch.weixin.qq.com
//   PMS_WXPAY_SP_MCHID              the service provider's merchant id (sp_mchid)
//   PMS_WXPAY_SP_APPID              the service provider's appid (sp_appid)
//   PMS_WXPAY_MERCHANT_SERIAL       serial number of the merchant API certificate
//   PMS_WXPAY_MERCHANT_PRIVATE_KEY  apiclient_key.pem: the PEM text, or that text base64-encoded
//   PMS_WXPAY_APIV3_KEY             the 32-character APIv3 key
//   PMS_WXPAY_PLATFORM_KEYS         JSON object, key id -> PEM: WeChat Pay public keys
//                                   ("PUB_KEY_ID_…": "-----BEGIN PUBLIC KEY-----…") and/or platform
//                                   certificates ("<cert serial>": "-----BEGIN CERTIFICATE-----…").
//                                   List the old and the new key while WeChat rotates them.
//   PMS_WXPAY_ENCRYPT_KEY_ID        optional: the key that encrypts sensitive fields (default: the
//                                   first PUB_KEY_ID_…, else the newest certificate)
//
// Local: the sandbox writes the same material under <dataDir>/sandbox/
// (merchant_private_key.pem, merchant_serial, platform_public_key.pem,
// platform_public_key_id, apiv3_key, mchid, appid).
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { apiV3KeyBytes } from './crypto';

export interface WechatPayConfig {
  baseUrl: string;
  spMchid: string;
  spAppid: string;
  merchantSerial: string;
  merchantPrivateKey: KeyObject;
  apiV3Key: Buffer;
  /** WeChat Pay public keys / platform certificate keys by id (Wechatpay-Serial). */
  platformKeys: Map<string, KeyObject>;
  /** The platform key used for sensitive fields (sent as Wechatpay-Serial). */
  encryptKeyId: string;
}

export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';

function pemText(value: string): string {
  const text = value.trim();
  if (text.includes('-----BEGIN')) return text.replace(/\\n/g, '\n');
  return Buffer.from(text, 'base64').toString('utf8');
}

export function privateKeyFrom(value: string): KeyObject {
  return crypto.createPrivateKey(pemText(value));
}

/** A platform public key from a public key PEM or a platform certificate PEM. */
export function platformKeyFrom(id: string, value: string): { key: KeyObject; notBefore?: number } {
  const pem = pemText(value);
  if (!pem.includes('BEGIN CERTIFICATE')) return { key: crypto.createPublicKey(pem) };
  const cert = new crypto.X509Certificate(pem);
  if (cert.serialNumber.toUpperCase() !== id.toUpperCase())
    throw new Error(`platform certificate serial ${cert.serialNumber} does not match its id ${id}`);
  return { key: cert.publicKey, notBefore: Date.parse(cert.validFrom) };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required for WeChat Pay`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): WechatPayConfig {
  const listed = JSON.parse(required(env, 'PMS_WXPAY_PLATFORM_KEYS')) as Record<string, string>;
  const platformKeys = new Map<string, KeyObject>();
  let newestCert: { id: string; notBefore: number } | null = null;
  for (const [id, pem] of Object.entries(listed)) {
    const { key, notBefore } = platformKeyFrom(id, pem);
    platformKeys.set(id, key);
    if (notBefore !== undefined && (!newestCert || notBefore > newestCert.notBefore)) newestCert = { id, notBefore };
  }
  if (platformKeys.size === 0) throw new Error('PMS_WXPAY_PLATFORM_KEYS lists no key');
  const encryptKeyId =
    env.PMS_WXPAY_ENCRYPT_KEY_ID ||
    [...platformKeys.keys()].find((id) => id.startsWith('PUB_KEY_ID_')) ||
    newestCert?.id;
  if (!encryptKeyId || !platformKeys.has(encryptKeyId))
    throw new Error('PMS_WXPAY_ENCRYPT_KEY_ID must name one of PMS_WXPAY_PLATFORM_KEYS');
  return {
    baseUrl: env.PMS_WXPAY_BASE_URL || DEFAULT_BASE_URL,
    spMchid: required(env, 'PMS_WXPAY_SP_MCHID'),
    spAppid: required(env, 'PMS_WXPAY_SP_APPID'),
    merchantSerial: required(env, 'PMS_WXPAY_MERCHANT_SERIAL'),
    merchantPrivateKey: privateKeyFrom(required(env, 'PMS_WXPAY_MERCHANT_PRIVATE_KEY')),
    apiV3Key: apiV3KeyBytes(required(env, 'PMS_WXPAY_APIV3_KEY')),
    platformKeys,
    encryptKeyId,
  };
}

/** The files the local sandbox writes at first start (see cloudfunctions/local/sandbox/keys.ts). */
export const SANDBOX_FILES = {
  merchantPrivateKey: 'merchant_private_key.pem',
  merchantSerial: 'merchant_serial',
  platformPublicKey: 'platform_public_key.pem',
  platformPublicKeyId: 'platform_public_key_id',
  apiV3Key: 'apiv3_key',
  mchid: 'mchid',
  appid: 'appid',
} as const;

export function configFromSandboxDir(dir: string, baseUrl: string): WechatPayConfig {
  const read = (name: string): string => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: start the WeChat Pay sandbox first (npm start)`);
    return fs.readFileSync(file, 'utf8').trim();
  };
  const keyId = read(SANDBOX_FILES.platformPublicKeyId);
  return {
    baseUrl,
    spMchid: read(SANDBOX_FILES.mchid),
    spAppid: read(SANDBOX_FILES.appid),
    merchantSerial: read(SANDBOX_FILES.merchantSerial),
    merchantPrivateKey: crypto.createPrivateKey(read(SANDBOX_FILES.merchantPrivateKey)),
    apiV3Key: apiV3KeyBytes(read(SANDBOX_FILES.apiV3Key)),
    platformKeys: new Map([[keyId, crypto.createPublicKey(read(SANDBOX_FILES.platformPublicKey))]]),
    encryptKeyId: keyId,
  };
}
