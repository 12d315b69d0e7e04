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
//                                   Public keys do not expire; certificates need not be listed at
//                                   all in certificate mode (they are downloaded).
//   PMS_WXPAY_PLATFORM_MODE         optional: public_key or certificate. Default: certificate when
//                                   PMS_WXPAY_PLATFORM_KEYS lists a certificate, else public_key. In
//                                   certificate mode the adapter downloads /v3/certificates, keeps
//                                   them fresh and follows WeChat's certificate changes by itself
//                                   (certificates.ts); PMS_WXPAY_PLATFORM_KEYS becomes optional.
//   PMS_WXPAY_PLATFORM_CA           optional, certificate mode: PEM certificate(s) every downloaded
//                                   platform certificate must be issued by (WeChat's CertTrustChain
//                                   converted to PEM).
//   PMS_WXPAY_ENCRYPT_KEY_ID        optional: the key that encrypts sensitive fields (default: the
//                                   first PUB_KEY_ID_…, else the newest certificate; in certificate
//                                   mode the newest certificate downloaded takes over)
//
// Local: the sandbox writes the same material under <dataDir>/sandbox/
// (merchant_private_key.pem, merchant_serial, platform_public_key.pem,
// platform_public_key_id, apiv3_key, mchid, appid, platform_mode, and in
// certificate mode platform_ca.pem).
import crypto, { type KeyObject, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PlatformCertificate } from './certificates';
import { apiV3KeyBytes } from './crypto';

/**
 * How WeChat Pay signs to this merchant: with the WeChat Pay public key (PUB_KEY_ID_…, no expiry)
 * or with platform certificates (5 years, changed by WeChat, downloaded from /v3/certificates).
 * https://developers.weixin.qq.com/community/minihome/doc/0002e2adf20d50b91fb2c5ecf6b401
 */
export type PlatformMode = 'public_key' | 'certificate';

export interface WechatPayConfig {
  baseUrl: string;
  spMchid: string;
  spAppid: string;
  merchantSerial: string;
  merchantPrivateKey: KeyObject;
  apiV3Key: Buffer;
  /** WeChat Pay public keys / platform certificate keys by id (Wechatpay-Serial), as configured. */
  platformKeys: Map<string, KeyObject>;
  /**
   * The platform key used for sensitive fields (sent as Wechatpay-Serial); in certificate mode the
   * first one, until a newer certificate is downloaded. None in certificate mode with no key listed.
   */
  encryptKeyId?: string;
  /** Certificate mode: download /v3/certificates and keep them fresh (absent: public-key mode). */
  certificates?: {
    /** Issuers a downloaded certificate must chain to (empty: not checked). */
    trustedCa: X509Certificate[];
    /** Certificates listed in the configuration, trusted from the start. */
    configured: PlatformCertificate[];
  };
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
export function platformKeyFrom(id: string, value: string): { key: KeyObject; notBefore?: number; notAfter?: number } {
  const pem = pemText(value);
  if (!pem.includes('BEGIN CERTIFICATE')) return { key: crypto.createPublicKey(pem) };
  const cert = new crypto.X509Certificate(pem);
  if (cert.serialNumber.toUpperCase() !== id.toUpperCase())
    throw new Error(`platform certificate serial ${cert.serialNumber} does not match its id ${id}`);
  return { key: cert.publicKey, notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) };
}

/** Every certificate in a PEM bundle. */
export function certificatesFrom(value: string): X509Certificate[] {
  const pem = pemText(value);
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('no certificate in the PEM text');
  return blocks.map((block) => new X509Certificate(block));
}

export function platformModeFrom(value: string | undefined): PlatformMode | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'public_key' || value === 'certificate') return value;
  throw new Error(`PMS_WXPAY_PLATFORM_MODE must be public_key or certificate, not ${value}`);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required for WeChat Pay`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): WechatPayConfig {
  const explicitMode = platformModeFrom(env.PMS_WXPAY_PLATFORM_MODE);
  // Certificate mode can start from nothing (the certificates are downloaded); otherwise keys are needed.
  const listed = JSON.parse(
    explicitMode === 'certificate' ? env.PMS_WXPAY_PLATFORM_KEYS || '{}' : required(env, 'PMS_WXPAY_PLATFORM_KEYS'),
  ) as Record<string, string>;
  const platformKeys = new Map<string, KeyObject>();
  const configured: PlatformCertificate[] = [];
  let newestCert: { id: string; notBefore: number } | null = null;
  for (const [id, pem] of Object.entries(listed)) {
    const { key, notBefore, notAfter } = platformKeyFrom(id, pem);
    platformKeys.set(id, key);
    if (notBefore === undefined || notAfter === undefined) continue;
    configured.push({ serial: id.toUpperCase(), key, effective: notBefore, expire: notAfter, source: 'configured' });
    if (!newestCert || notBefore > newestCert.notBefore) newestCert = { id, notBefore };
  }
  const mode = explicitMode ?? (configured.length ? 'certificate' : 'public_key');
  if (mode === 'public_key' && platformKeys.size === 0) throw new Error('PMS_WXPAY_PLATFORM_KEYS lists no key');
  const encryptKeyId =
    env.PMS_WXPAY_ENCRYPT_KEY_ID ||
    [...platformKeys.keys()].find((id) => id.startsWith('PUB_KEY_ID_')) ||
    newestCert?.id;
  if (mode === 'public_key' || env.PMS_WXPAY_ENCRYPT_KEY_ID) {
    if (!encryptKeyId || !platformKeys.has(encryptKeyId))
      throw new Error('PMS_WXPAY_ENCRYPT_KEY_ID must name one of PMS_WXPAY_PLATFORM_KEYS');
  }
  return {
    baseUrl: env.PMS_WXPAY_BASE_URL || DEFAULT_BASE_URL,
    spMchid: required(env, 'PMS_WXPAY_SP_MCHID'),
    spAppid: required(env, 'PMS_WXPAY_SP_APPID'),
    merchantSerial: required(env, 'PMS_WXPAY_MERCHANT_SERIAL'),
    merchantPrivateKey: privateKeyFrom(required(env, 'PMS_WXPAY_MERCHANT_PRIVATE_KEY')),
    apiV3Key: apiV3KeyBytes(required(env, 'PMS_WXPAY_APIV3_KEY')),
    platformKeys,
    ...(encryptKeyId ? { encryptKeyId } : {}),
    ...(mode === 'certificate'
      ? {
          certificates: {
            trustedCa: env.PMS_WXPAY_PLATFORM_CA ? certificatesFrom(env.PMS_WXPAY_PLATFORM_CA) : [],
            configured,
          },
        }
      : {}),
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
  /** public_key or certificate: how the sandbox signs (written at every start). */
  platformMode: 'platform_mode',
  /** The sandbox CA's certificate: what downloaded platform certificates must be issued by. */
  platformCa: 'platform_ca.pem',
} as const;

export function configFromSandboxDir(dir: string, baseUrl: string): WechatPayConfig {
  const read = (name: string): string => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: start the WeChat Pay sandbox first (npm start)`);
    return fs.readFileSync(file, 'utf8').trim();
  };
  const modeFile = path.join(dir, SANDBOX_FILES.platformMode);
  const mode = fs.existsSync(modeFile) ? platformModeFrom(fs.readFileSync(modeFile, 'utf8').trim()) : 'public_key';
  const common = {
    baseUrl,
    spMchid: read(SANDBOX_FILES.mchid),
    spAppid: read(SANDBOX_FILES.appid),
    merchantSerial: read(SANDBOX_FILES.merchantSerial),
    merchantPrivateKey: crypto.createPrivateKey(read(SANDBOX_FILES.merchantPrivateKey)),
    apiV3Key: apiV3KeyBytes(read(SANDBOX_FILES.apiV3Key)),
  };
  // Certificate mode: nothing trusted but the sandbox CA; the certificates are downloaded, as from WeChat.
  if (mode === 'certificate')
    return {
      ...common,
      platformKeys: new Map(),
      certificates: { trustedCa: certificatesFrom(read(SANDBOX_FILES.platformCa)), configured: [] },
    };
  const keyId = read(SANDBOX_FILES.platformPublicKeyId);
  return {
    ...common,
    platformKeys: new Map([[keyId, crypto.createPublicKey(read(SANDBOX_FILES.platformPublicKey))]]),
    encryptKeyId: keyId,
  };
}
