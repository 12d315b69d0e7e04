// Platform-certificate mode (平台证书): WeChat Pay signs answers and
// notifications with a platform certificate's key and names its serial in
// Wechatpay-Serial. The certificates come from GET /v3/certificates,
// encrypted with the APIv3 key; WeChat changes them from time to time, old
// and new side by side for a while. This store downloads them, checks them,
// keeps them in memory and refreshes them, so a change needs no one to edit
// the environment.
//
// What WeChat documents, and what follows from it here:
// - The list: data[] of {serial_no, effective_time, expire_time,
//   encrypt_certificate {algorithm AEAD_AES_256_GCM, nonce, associated_data,
//   ciphertext}}; the PEM is decrypted with the APIv3 key; expire_time may come
//   before the PEM's own notAfter (a change brings it forward).
//   https://pay.weixin.qq.com/doc/global/v3/zh/4012354540
// - A new certificate joins the list 24 hours before the change; during it,
//   answers and notifications carry either serial; download on a schedule,
//   "间隔应小于12小时" (less than 12 hours apart), and encrypt with the newest
//   certificate (the one valid longest).
//   https://pay.weixin.qq.com/wiki/doc/api_external/ch/apis/chapter3_2_8.shtml
// - Verify by the serial in Wechatpay-Serial; or load lazily: when no
//   certificate has the serial, download, then verify.
//   https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay5_0.shtml
// - The first download cannot be checked with a certificate one does not yet
//   have: WeChat's downloader verifies the answer's signature with the
//   certificate it just decrypted (and suggests checking the issuer chain).
//   https://github.com/wechatpay-apiv3/CertificateDownloader (README, 如何第一次下载证书)
//
// So: a download's own signature must verify with a key already trusted when
// its serial is one; otherwise (the first download, or a download already
// signed by the new certificate) with the certificate of that serial in the
// download itself, which only someone holding the APIv3 key could have
// encrypted. With a CA configured, every certificate must be issued by it.
//
// Kept in memory per warm instance: a cold instance downloads once (WeChat
// allows 1000 downloads a second per merchant), and a persisted copy would be
// one more thing to keep consistent with no gain in trust (the APIv3 key and,
// optionally, the CA are the anchors either way).
import { type KeyObject, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../ports/clock';
import { PayError } from '../../ports/pay';
import {
  checkWechatpayHeaders,
  checkWechatpaySignature,
  decryptResource,
  MAX_SKEW_SECONDS,
  SignatureError,
  wechatpayHeaders,
} from './crypto';

export interface PlatformCertificate {
  serial: string;
  key: KeyObject;
  /** When it starts and stops being accepted (epoch ms): effective_time, and the earlier of expire_time and notAfter. */
  effective: number;
  expire: number;
  /** Configured in the environment (kept through refreshes) or downloaded. */
  source: 'configured' | 'downloaded';
}

export interface CertificateDownload {
  status: number;
  headers: Headers;
  raw: string;
}

const HOUR_MS = 3600_000;
/** Scheduled refresh: WeChat asks for less than 12 hours between downloads. */
export const REFRESH_INTERVAL_MS = 6 * HOUR_MS;
/** When the newest certificate known ends within this, its successor should already be listed (24 h ahead). */
export const RENEW_BEFORE_MS = 24 * HOUR_MS;
/** How often to look for that successor meanwhile. */
export const RENEW_INTERVAL_MS = HOUR_MS;
/** Downloads caused by an unknown serial (or a failure) at most this often: a forged serial cannot make us hammer WeChat. */
export const MIN_DOWNLOAD_GAP_MS = 60_000;
/** Effective and expire times allow the same clock difference as timestamps. */
const SKEW_MS = MAX_SKEW_SECONDS * 1000;

const downloadSchema = z.object({
  data: z.array(
    z.object({
      serial_no: z.string().min(1),
      effective_time: z.string().min(1),
      expire_time: z.string().min(1),
      encrypt_certificate: z.object({
        algorithm: z.literal('AEAD_AES_256_GCM'),
        nonce: z.string().min(1),
        associated_data: z.string().optional(),
        ciphertext: z.string().min(1),
      }),
    }),
  ),
});

/** WeChat's {code, message} error body as a PayError. */
function downloadError(status: number, raw: string): PayError {
  try {
    const body = JSON.parse(raw) as { code?: string; message?: string };
    if (body.code) return new PayError(status, body.code, body.message ?? body.code);
  } catch {
    // not JSON
  }
  return new PayError(status, `HTTP_${status}`, raw.slice(0, 200) || `HTTP ${status}`);
}

export interface DownloadCheck {
  apiV3Key: Buffer;
  now: Date;
  /** A key already trusted for this serial, if any. */
  trusted: (serial: string) => KeyObject | undefined;
  /** Issuers a certificate must chain to (empty: not checked). */
  trustedCa: readonly X509Certificate[];
}

/**
 * Checks and decrypts an answer of GET /v3/certificates: fresh, every
 * certificate decrypted with the APIv3 key, its serial its own, issued by a
 * trusted CA when one is configured, and the answer signed by a trusted key
 * or (first download) by a certificate in it. Throws PayError or SignatureError.
 */
export function readCertificateDownload(res: CertificateDownload, check: DownloadCheck): PlatformCertificate[] {
  if (res.status < 200 || res.status >= 300) throw downloadError(res.status, res.raw);
  const sig = checkWechatpayHeaders(wechatpayHeaders(res.headers), check.now);
  let body: unknown;
  try {
    body = JSON.parse(res.raw);
  } catch {
    throw new SignatureError('BAD_BODY', 'the certificate download is not JSON');
  }
  const parsed = downloadSchema.safeParse(body);
  if (!parsed.success) throw new SignatureError('BAD_BODY', 'the certificate download has an unexpected shape');
  const batch = parsed.data.data.map((item): PlatformCertificate => {
    const pem = decryptResource(item.encrypt_certificate, check.apiV3Key);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw new SignatureError('BAD_BODY', `certificate ${item.serial_no} does not parse`);
    }
    const serial = cert.serialNumber.toUpperCase();
    if (serial !== item.serial_no.toUpperCase())
      throw new SignatureError('BAD_BODY', `certificate listed as ${item.serial_no} has serial ${serial}`);
    if (check.trustedCa.length && !check.trustedCa.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)))
      throw new SignatureError('UNTRUSTED_CERTIFICATE', `certificate ${serial} is not issued by a trusted CA`);
    const effective = Math.max(Date.parse(item.effective_time), Date.parse(cert.validFrom));
    const expire = Math.min(Date.parse(item.expire_time), Date.parse(cert.validTo));
    if (Number.isNaN(effective) || Number.isNaN(expire))
      throw new SignatureError('BAD_BODY', `certificate ${serial} has unreadable times`);
    return { serial, key: cert.publicKey, effective, expire, source: 'downloaded' };
  });
  if (batch.length === 0) throw new SignatureError('BAD_BODY', 'the certificate download lists no certificate');
  const key = check.trusted(sig.serial) ?? batch.find((c) => c.serial === sig.serial)?.key;
  if (!key)
    throw new SignatureError(
      'UNKNOWN_SERIAL',
      `the certificate download is signed with ${sig.serial}, neither trusted nor in the download`,
    );
  checkWechatpaySignature(sig, res.raw, key);
  return batch;
}

export interface CertificateStoreOptions {
  /** A signed GET /v3/certificates, its answer unverified (this store verifies it). */
  download: () => Promise<CertificateDownload>;
  apiV3Key: Buffer;
  clock: Clock;
  trustedCa?: readonly X509Certificate[];
  /** Certificates configured in the environment: trusted from the start, kept through refreshes. */
  configured?: readonly PlatformCertificate[];
  /** Other trusted keys that may sign a download (WeChat Pay public keys while a merchant switches). */
  otherKey?: (serial: string) => KeyObject | undefined;
  /** The certificate to encrypt with until prepareEncryption picks the newest. */
  initialEncryptSerial?: string;
  minGapMs?: number;
}

export class PlatformCertificateStore {
  private certs = new Map<string, PlatformCertificate>();
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private lastUnknown = Number.NEGATIVE_INFINITY;
  private lastSuccess = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | null = null;
  private pinned: string | null;
  private readonly minGapMs: number;
  /** Why the last download failed (cleared by a success). */
  lastError: Error | null = null;
  /** Downloads attempted (for tests and logs). */
  downloads = 0;

  constructor(private readonly options: CertificateStoreOptions) {
    for (const c of options.configured ?? []) this.certs.set(c.serial, c);
    this.pinned = options.initialEncryptSerial ?? null;
    this.minGapMs = options.minGapMs ?? MIN_DOWNLOAD_GAP_MS;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private valid(c: PlatformCertificate, now: number): boolean {
    return c.effective - SKEW_MS <= now && now < c.expire + SKEW_MS;
  }

  /** The key of a certificate accepted now, if cached. */
  get(serial: string): KeyObject | undefined {
    const c = this.certs.get(serial);
    return c && this.valid(c, this.now()) ? c.key : undefined;
  }

  /** Every cached certificate, accepted now or not. */
  list(): PlatformCertificate[] {
    return [...this.certs.values()];
  }

  /** The certificate valid longest among those accepted now (WeChat: encrypt with the newest). */
  private newest(now: number): PlatformCertificate | undefined {
    let best: PlatformCertificate | undefined;
    for (const c of this.certs.values()) if (this.valid(c, now) && (!best || c.expire > best.expire)) best = c;
    return best;
  }

  private due(now: number): boolean {
    const newest = this.newest(now);
    if (!newest) return true;
    const interval = newest.expire - now <= RENEW_BEFORE_MS ? RENEW_INTERVAL_MS : REFRESH_INTERVAL_MS;
    return now - this.lastSuccess >= interval;
  }

  /** Downloads when the schedule says so (none cached, 6 h since the last, or the newest ending soon). Never throws. */
  async ensureFresh(): Promise<void> {
    const now = this.now();
    // A failed attempt is not repeated within the minute either.
    if (this.due(now) && now - this.lastAttempt >= this.minGapMs) await this.refreshQuietly();
  }

  /**
   * The key for a serial: from the cache, else after one download. Unknown
   * serials cause at most one download a minute whatever they are, so forged
   * serials cost WeChat nothing; undefined when no accepted certificate has it.
   */
  async keyFor(serial: string): Promise<KeyObject | undefined> {
    await this.ensureFresh();
    const known = this.get(serial);
    const now = this.now();
    if (known || now - this.lastUnknown < this.minGapMs) return known;
    this.lastUnknown = now;
    await this.refreshQuietly();
    return this.get(serial);
  }

  private async refreshQuietly(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      this.lastError = err as Error;
    }
  }

  /** Downloads now (one download at a time; callers share it). Throws what the download failed with. */
  refresh(): Promise<void> {
    this.inflight ??= this.download().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async download(): Promise<void> {
    this.lastAttempt = this.now();
    this.downloads++;
    const res = await this.options.download();
    const batch = readCertificateDownload(res, {
      apiV3Key: this.options.apiV3Key,
      now: this.options.clock.now(),
      trusted: (serial) => this.get(serial) ?? this.options.otherKey?.(serial),
      trustedCa: this.options.trustedCa ?? [],
    });
    // The list is WeChat's word on what is current: downloaded certificates it no longer lists go.
    const next = new Map([...this.certs].filter(([, c]) => c.source === 'configured'));
    for (const c of batch) next.set(c.serial, c);
    this.certs = next;
    this.lastSuccess = this.now();
    this.lastError = null;
  }

  /** The certificate sensitive fields are encrypted with (and named in Wechatpay-Serial); null before any is known. */
  encryption(): { serial: string; key: KeyObject } | null {
    const pinned = this.pinned === null ? undefined : this.get(this.pinned);
    if (this.pinned !== null && pinned) return { serial: this.pinned, key: pinned };
    const newest = this.newest(this.now());
    if (!newest) return null;
    this.pinned = newest.serial;
    return { serial: newest.serial, key: newest.key };
  }

  /**
   * Before encrypting: downloads unless that was done within the minute (it
   * is rare, and WeChat asks for the newest certificate), then picks the
   * newest. The choice holds until the next call, so the fields of one request
   * and its Wechatpay-Serial agree even if a refresh happens in between.
   */
  async prepareEncryption(): Promise<void> {
    const now = this.now();
    if (now - this.lastSuccess >= this.minGapMs && now - this.lastAttempt >= this.minGapMs) await this.refreshQuietly();
    const newest = this.newest(this.now());
    if (!newest)
      throw new PayError(
        0,
        'PLATFORM_CERTIFICATE_UNAVAILABLE',
        `no platform certificate to encrypt with${this.lastError ? `: ${this.lastError.message}` : ''}`,
      );
    this.pinned = newest.serial;
  }
}
