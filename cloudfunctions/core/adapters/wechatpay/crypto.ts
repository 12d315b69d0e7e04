// WeChat Pay API v3 cryptography, all on Node's built-in crypto: request
// signatures (merchant -> WeChat Pay), response and notification signatures
// (WeChat Pay -> merchant), AEAD_AES_256_GCM resources, RSA-OAEP sensitive
// fields and the mini program's client pay-sign. The local sandbox uses the
// same functions from the other side, so both ends share one definition of
// every message format.
import crypto, { type KeyObject } from 'node:crypto';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
/** SDKs refuse a WeChat Pay timestamp further than this from local time. */
export const MAX_SKEW_SECONDS = 300;
/** WeChat's probe notifications carry signatures with this prefix; they must fail. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

// ---- primitives ----------------------------------------------------------------

/** Every v3 signed message is its parts, each followed by "\n" (an empty body still ends with "\n"). */
export function signatureMessage(...parts: string[]): string {
  return parts.map((part) => `${part}\n`).join('');
}

/** SHA256withRSA (PKCS#1 v1.5), Base64. */
export function rsaSign(message: string, privateKey: KeyObject): string {
  return crypto.sign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');
}

export function rsaVerify(message: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return crypto.verify('sha256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random alphanumeric string (nonce_str, AEAD nonces). */
export function randomNonce(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[crypto.randomInt(BASE62.length)];
  return out;
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

export const sha1Hex = (data: Buffer | string): string => crypto.createHash('sha1').update(data).digest('hex');
export const sha256Hex = (data: Buffer | string): string => crypto.createHash('sha256').update(data).digest('hex');

// ---- request signatures (merchant -> WeChat Pay) -------------------------------

export interface AuthorizationParams {
  mchid: string;
  serial_no: string;
  nonce_str: string;
  timestamp: string;
  signature: string;
}

export interface RequestToSign {
  method: string;
  /** Path plus query exactly as sent, e.g. /v3/refund/domestic/refunds/R1?sub_mchid=1600000001 */
  pathWithQuery: string;
  /** The JSON body as sent; '' for GET. For media upload: the meta JSON. */
  body: string;
  mchid: string;
  serial: string;
  privateKey: KeyObject;
  timestamp: number;
  nonce: string;
}

export function requestMessage(
  method: string,
  pathWithQuery: string,
  timestamp: number | string,
  nonce: string,
  body: string,
): string {
  return signatureMessage(method.toUpperCase(), pathWithQuery, String(timestamp), nonce, body);
}

/** The Authorization header value for a request. */
export function signRequest(r: RequestToSign): string {
  const signature = rsaSign(requestMessage(r.method, r.pathWithQuery, r.timestamp, r.nonce, r.body), r.privateKey);
  return formatAuthorization({
    mchid: r.mchid,
    nonce_str: r.nonce,
    signature,
    timestamp: String(r.timestamp),
    serial_no: r.serial,
  });
}

export function formatAuthorization(p: AuthorizationParams): string {
  return `${AUTH_SCHEMA} mchid="${p.mchid}",nonce_str="${p.nonce_str}",signature="${p.signature}",timestamp="${p.timestamp}",serial_no="${p.serial_no}"`;
}

/** Parses an Authorization header (parameters in any order); null when it is not a v3 header. */
export function parseAuthorization(header: string | undefined): AuthorizationParams | null {
  if (!header?.startsWith(`${AUTH_SCHEMA} `)) return null;
  const params: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) params[m[1]] = m[2];
  const { mchid, serial_no, nonce_str, timestamp, signature } = params;
  if (!mchid || !serial_no || !nonce_str || !timestamp || !signature) return null;
  return { mchid, serial_no, nonce_str, timestamp, signature };
}

// ---- WeChat Pay signatures (responses and notifications) ------------------------

export type SignatureFailure =
  | 'MISSING_HEADERS'
  | 'SIGNTEST_PROBE'
  | 'STALE_TIMESTAMP'
  | 'UNKNOWN_SERIAL'
  | 'UNTRUSTED_CERTIFICATE'
  | 'BAD_SIGNATURE'
  | 'DECRYPT_FAILED'
  | 'BAD_BODY';

/** A response or notification that must not be trusted. */
export class SignatureError extends Error {
  constructor(
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

export interface WechatpaySignature {
  timestamp?: string;
  nonce?: string;
  signature?: string;
  serial?: string;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

/** Picks the Wechatpay-* headers, whatever their case. */
export function wechatpayHeaders(headers: HeaderBag): WechatpaySignature {
  const get = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const bag = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : bag[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    timestamp: get('wechatpay-timestamp'),
    nonce: get('wechatpay-nonce'),
    signature: get('wechatpay-signature'),
    serial: get('wechatpay-serial'),
  };
}

/**
 * The checks that need no key: all four headers, not a probe, fresh. Done
 * before any key is looked up, so a stale or probe message never makes the
 * adapter download certificates. Throws SignatureError.
 */
export function checkWechatpayHeaders(
  sig: WechatpaySignature,
  now: Date,
  maxSkewSeconds = MAX_SKEW_SECONDS,
): Required<WechatpaySignature> {
  const { timestamp, nonce, signature, serial } = sig;
  if (!timestamp || !nonce || !signature || !serial)
    throw new SignatureError('MISSING_HEADERS', 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are all required');
  if (signature.startsWith(SIGNTEST_PREFIX))
    throw new SignatureError('SIGNTEST_PROBE', 'signature probe (WECHATPAY/SIGNTEST/) refused');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(unixSeconds(now) - Number(timestamp)) > maxSkewSeconds) {
    throw new SignatureError(
      'STALE_TIMESTAMP',
      `Wechatpay-Timestamp ${timestamp} is more than ${maxSkewSeconds}s from now`,
    );
  }
  return { timestamp, nonce, signature, serial };
}

/** The signature itself, with the key the serial named (throws BAD_SIGNATURE). */
export function checkWechatpaySignature(sig: Required<WechatpaySignature>, rawBody: string, key: KeyObject): void {
  if (!rsaVerify(signatureMessage(sig.timestamp, sig.nonce, rawBody), sig.signature, key))
    throw new SignatureError('BAD_SIGNATURE', 'Wechatpay-Signature does not match the body');
}

/**
 * Verifies a WeChat Pay signature over the raw body: probe, freshness, key
 * chosen by serial among several (rotation), then the signature. Throws
 * SignatureError; returns the serial that verified.
 */
export function verifyWechatpaySignature(
  sig: WechatpaySignature,
  rawBody: string,
  keys: ReadonlyMap<string, KeyObject>,
  now: Date,
  maxSkewSeconds = MAX_SKEW_SECONDS,
): string {
  const checked = checkWechatpayHeaders(sig, now, maxSkewSeconds);
  const key = keys.get(checked.serial);
  if (!key) throw new SignatureError('UNKNOWN_SERIAL', `no platform key with serial ${checked.serial}`);
  checkWechatpaySignature(checked, rawBody, key);
  return checked.serial;
}

/** The headers WeChat Pay puts on a signed response or notification. */
export function wechatpaySignatureHeaders(
  rawBody: string,
  serial: string,
  privateKey: KeyObject,
  now: Date,
  nonce = randomNonce(),
): Record<string, string> {
  const timestamp = String(unixSeconds(now));
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': rsaSign(signatureMessage(timestamp, nonce, rawBody), privateKey),
    'Wechatpay-Serial': serial,
  };
}

// ---- AEAD_AES_256_GCM resources (notifications, certificates) -------------------

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

const GCM_TAG_BYTES = 16;

export function apiV3KeyBytes(key: string | Buffer): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes.length !== 32) throw new RangeError('the APIv3 key must be 32 bytes');
  return bytes;
}

/** Decrypts a resource with the APIv3 key; the last 16 bytes of the ciphertext are the GCM tag. */
export function decryptResource(resource: EncryptedResource, apiV3Key: Buffer): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    throw new SignatureError('DECRYPT_FAILED', `unsupported algorithm ${resource.algorithm}`);
  try {
    const data = Buffer.from(resource.ciphertext, 'base64');
    if (data.length < GCM_TAG_BYTES) throw new Error('ciphertext too short');
    const decipher = crypto.createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch (err) {
    throw new SignatureError('DECRYPT_FAILED', `resource decryption failed: ${(err as Error).message}`);
  }
}

export function encryptResource(
  plaintext: string,
  apiV3Key: Buffer,
  associatedData: string,
  nonce = randomNonce(12),
): EncryptedResource {
  const cipher = crypto.createCipheriv('aes-256-gcm', apiV3Key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: body.toString('base64'), nonce, associated_data: associatedData };
}

// ---- sensitive fields: RSAES-OAEP (SHA-1, MGF1) with the platform key -----------

export function oaepEncrypt(plain: string, publicKey: KeyObject): string {
  return crypto
    .publicEncrypt(
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(plain, 'utf8'),
    )
    .toString('base64');
}

export function oaepDecrypt(ciphertext: string, privateKey: KeyObject): string {
  return crypto
    .privateDecrypt(
      { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(ciphertext, 'base64'),
    )
    .toString('utf8');
}

// ---- the mini program's client pay-sign --------------------------------------------

export interface ClientPaySignParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** wx.requestPayment parameters: SHA256withRSA over APPID\nTIMESTAMP\nNONCE\nprepay_id=…\n with the merchant key. */
export function clientPaySign(
  appid: string,
  prepayId: string,
  privateKey: KeyObject,
  timestamp: number,
  nonce = randomNonce(),
): ClientPaySignParams {
  const pkg = `prepay_id=${prepayId}`;
  const timeStamp = String(timestamp);
  return {
    timeStamp,
    nonceStr: nonce,
    package: pkg,
    signType: 'RSA',
    paySign: rsaSign(signatureMessage(appid, timeStamp, nonce, pkg), privateKey),
  };
}

/** What the WeChat client checks before showing the payment sheet. */
export function verifyClientPaySign(
  params: Omit<ClientPaySignParams, 'signType'> & { signType?: string },
  appid: string,
  publicKey: KeyObject,
): boolean {
  if (params.signType !== undefined && params.signType !== 'RSA') return false;
  return rsaVerify(
    signatureMessage(appid, params.timeStamp, params.nonceStr, params.package),
    params.paySign,
    publicKey,
  );
}
