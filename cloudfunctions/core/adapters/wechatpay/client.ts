// The v3 HTTP client: signs every request, verifies every response's
// signature over the raw body before parsing it (bill files are the one
// exception: WeChat does not sign them, their SHA1 is checked instead), and
// turns WeChat's error bodies {code, message} into PayError. The key that
// verifies is chosen by Wechatpay-Serial: a configured key, or in certificate
// mode a platform certificate downloaded and kept fresh (certificates.ts).
import type { KeyObject } from 'node:crypto';
import zlib from 'node:zlib';
import { PayError } from '../../ports/pay';
import { type Clock, systemClock } from '../../ports/clock';
import { type CertificateDownload, PlatformCertificateStore } from './certificates';
import type { WechatPayConfig } from './config';
import {
  checkWechatpayHeaders,
  checkWechatpaySignature,
  decryptResource,
  MAX_SKEW_SECONDS,
  type EncryptedResource,
  oaepEncrypt,
  randomNonce,
  SignatureError,
  sha1Hex,
  signRequest,
  unixSeconds,
  wechatpayHeaders,
} from './crypto';

export interface ClientOptions {
  clock?: Clock;
  /** Per request; WeChat answers well within this. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface WxResponse<T> {
  status: number;
  /** Parsed JSON; undefined for 204. */
  data: T | undefined;
  headers: Headers;
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** The body carries fields encrypted with the platform key: send Wechatpay-Serial. */
  sensitive?: boolean;
}

const USER_AGENT = 'payment-management/0.1 (node; wechatpay-v3)';

export class WechatPayClient {
  readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  /** Certificate mode: the platform certificates, downloaded and kept fresh (null in public-key mode). */
  readonly certificates: PlatformCertificateStore | null;

  constructor(
    readonly config: WechatPayConfig,
    options: ClientOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? fetch;
    const certs = config.certificates;
    this.certificates = certs
      ? new PlatformCertificateStore({
          download: () => this.downloadCertificates(),
          apiV3Key: config.apiV3Key,
          clock: this.clock,
          trustedCa: certs.trustedCa,
          configured: certs.configured,
          otherKey: (serial) => config.platformKeys.get(serial),
          ...(config.encryptKeyId && !this.staticEncryption() ? { initialEncryptSerial: config.encryptKeyId } : {}),
        })
      : null;
  }

  /** Sensitive fields go to a fixed key: public-key mode, or a WeChat Pay public key configured for it. */
  private staticEncryption(): boolean {
    return !this.config.certificates || (this.config.encryptKeyId?.startsWith('PUB_KEY_ID_') ?? false);
  }

  url(path: string, query?: Record<string, string | undefined>): URL {
    const url = new URL(path, this.config.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  private authorization(method: string, url: URL, body: string): string {
    return signRequest({
      method,
      // What is signed is exactly what goes on the wire.
      pathWithQuery: `${url.pathname}${url.search}`,
      body,
      mchid: this.config.spMchid,
      serial: this.config.merchantSerial,
      privateKey: this.config.merchantPrivateKey,
      timestamp: unixSeconds(this.clock.now()),
      nonce: randomNonce(),
    });
  }

  async request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    options: RequestOptions = {},
  ): Promise<WxResponse<T>> {
    const url = this.url(path, options.query);
    const body = options.body === undefined ? '' : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
      Authorization: this.authorization(method, url, body),
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.sensitive) headers['Wechatpay-Serial'] = this.encryptionKey().serial;
    const res = await this.send(url, { method, headers, body: options.body === undefined ? undefined : body });
    return this.readJson<T>(res);
  }

  /** multipart/form-data with `meta` (the signed part) and `file`, as the media upload APIs want. */
  async upload<T>(path: string, file: Buffer, meta: Record<string, string>, contentType: string): Promise<T> {
    const url = this.url(path);
    const metaJson = JSON.stringify(meta);
    const boundary = `----pms${randomNonce(24)}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="meta";\r\nContent-Type: application/json\r\n\r\n${metaJson}\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${(meta.filename ?? 'file').replace(/"/g, '')}";\r\nContent-Type: ${contentType}\r\n\r\n`,
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.send(url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        Authorization: this.authorization('POST', url, metaJson),
      },
      body,
    });
    const { data } = await this.readJson<T>(res);
    if (data === undefined) throw new PayError(res.status, 'EMPTY_RESPONSE', 'upload answered without a body');
    return data;
  }

  /** Downloads a bill file (a signed GET; the file itself is unsigned) and checks its SHA1. */
  async download(downloadUrl: string, sha1: string, gzip: boolean): Promise<Buffer> {
    const url = new URL(downloadUrl);
    const res = await this.send(url, {
      method: 'GET',
      headers: { Accept: '*/*', 'User-Agent': USER_AGENT, Authorization: this.authorization('GET', url, '') },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status < 200 || res.status >= 300) throw errorFrom(res.status, bytes.toString('utf8'));
    const file = gzip ? zlib.gunzipSync(bytes) : bytes;
    if (sha1Hex(file) !== sha1.toLowerCase())
      throw new PayError(res.status, 'BILL_HASH_MISMATCH', 'the downloaded bill does not match its SHA1');
    return file;
  }

  /**
   * Verifies a response or notification signed by WeChat Pay (throws SignatureError): headers,
   * probe and freshness first, then the key its serial names (certificate mode: an unknown serial
   * causes one certificate download, at most once a minute), then the signature. Resolves with the serial.
   */
  async verify(
    headers: Headers | Record<string, string | string[] | undefined>,
    rawBody: string,
    maxSkewSeconds = MAX_SKEW_SECONDS,
  ): Promise<string> {
    const sig = checkWechatpayHeaders(wechatpayHeaders(headers), this.clock.now(), maxSkewSeconds);
    // A configured key first (public keys, listed certificates); else the downloaded certificates, which
    // also refresh on their schedule here.
    const key = this.config.platformKeys.get(sig.serial) ?? (await this.certificates?.keyFor(sig.serial));
    if (!key) {
      const why = this.certificates?.lastError
        ? ` (last certificate download: ${this.certificates.lastError.message})`
        : '';
      throw new SignatureError('UNKNOWN_SERIAL', `no platform key with serial ${sig.serial}${why}`);
    }
    checkWechatpaySignature(sig, rawBody, key);
    return sig.serial;
  }

  decrypt(resource: EncryptedResource): string {
    return decryptResource(resource, this.config.apiV3Key);
  }

  /** Certificate mode: refreshes if due and picks the newest certificate for the fields about to be encrypted. */
  async prepareSensitive(): Promise<void> {
    if (!this.staticEncryption()) await this.certificates?.prepareEncryption();
  }

  /** The platform key sensitive fields are encrypted with, and its id for Wechatpay-Serial. */
  encryptionKey(): { serial: string; key: KeyObject } {
    if (!this.staticEncryption() && this.certificates) {
      const chosen = this.certificates.encryption();
      if (!chosen)
        throw new PayError(
          0,
          'PLATFORM_CERTIFICATE_UNAVAILABLE',
          'no platform certificate loaded yet: call prepareSensitive() before encrypting',
        );
      return chosen;
    }
    const id = this.config.encryptKeyId;
    const key = id === undefined ? undefined : this.config.platformKeys.get(id);
    if (id === undefined || !key) throw new Error(`no platform key ${id ?? '(none configured)'}`);
    return { serial: id, key };
  }

  encryptSensitive(plain: string): string {
    return oaepEncrypt(plain, this.encryptionKey().key);
  }

  /** GET /v3/certificates, signed; the answer is checked by the certificate store, not here. */
  private async downloadCertificates(): Promise<CertificateDownload> {
    const url = this.url('/v3/certificates');
    const res = await this.send(url, {
      method: 'GET',
      headers: {
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        Authorization: this.authorization('GET', url, ''),
      },
    });
    return { status: res.status, headers: res.headers, raw: await res.text() };
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      // No answer at all: the caller may retry (every v3 write here is idempotent by its out_* number).
      throw new PayError(0, 'NETWORK_ERROR', `${init.method} ${url.pathname}: ${(err as Error).message}`);
    }
  }

  private async readJson<T>(res: Response): Promise<WxResponse<T>> {
    const raw = await res.text();
    const ok = res.status >= 200 && res.status < 300;
    // Successful answers must be signed and fresh. Error answers are checked when they carry a
    // signature, but not for freshness: a refusal is no replay risk, and with a skewed clock the
    // caller should see WeChat's SIGN_ERROR rather than a stale-timestamp failure.
    if (ok) await this.verify(res.headers, raw);
    else if (res.headers.has('wechatpay-signature')) await this.verify(res.headers, raw, Number.POSITIVE_INFINITY);
    if (!ok) throw errorFrom(res.status, raw);
    if (raw === '') return { status: res.status, data: undefined, headers: res.headers };
    try {
      return { status: res.status, data: JSON.parse(raw) as T, headers: res.headers };
    } catch {
      throw new PayError(res.status, 'BAD_RESPONSE', 'WeChat Pay answered with a body that is not JSON');
    }
  }
}

function errorFrom(status: number, raw: string): PayError {
  try {
    const body = JSON.parse(raw) as { code?: string; message?: string };
    if (body.code) return new PayError(status, body.code, body.message ?? body.code);
  } catch {
    // not JSON: fall through
  }
  return new PayError(status, `HTTP_${status}`, raw.slice(0, 200) || `HTTP ${status}`);
}
