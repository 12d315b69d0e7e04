// WeChat Pay platform certificates (平台证书), as the sandbox issues, serves
// and rotates them. A sandbox CA (generated once per sandbox folder, its
// certificate written to platform_ca.pem as the trust anchor an SDK may check
// against) issues each platform certificate; GET /v3/certificates lists them
// encrypted with the merchant's APIv3 key; in platform-certificate mode the
// sandbox signs answers and notifications with the current certificate's key
// and names its serial in Wechatpay-Serial.
//
// WeChat's documented behaviour this follows:
// - GET /v3/certificates answers data[] of {serial_no, effective_time,
//   expire_time (RFC 3339), encrypt_certificate {algorithm AEAD_AES_256_GCM,
//   nonce, associated_data "certificate", ciphertext}}, the PEM encrypted with
//   the APIv3 key; the answer is signed like every other.
//   https://pay.weixin.qq.com/doc/global/v3/zh/4012354540
//   https://pay.weixin.qq.com/wiki/doc/api_external/ch/apis/chapter3_2_8.shtml
// - Before a change the new certificate joins the list and the old one's
//   expire_time is brought forward, so both are listed; afterwards only the
//   newest. expire_time may differ from the PEM's own notAfter (same pages).
// - During a change answers and notifications carry either serial in
//   Wechatpay-Serial; the merchant picks the key by that serial.
//   https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay5_0.shtml
// - Platform certificates are valid for 5 years.
//   https://developers.weixin.qq.com/community/minihome/doc/000e665c1d0d28ef92503652866c01
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type PlatformMode, SANDBOX_FILES } from '../../core/adapters/wechatpay/config';
import { encryptResource, type EncryptedResource } from '../../core/adapters/wechatpay/crypto';
import type { Clock } from '../../core/ports/clock';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { SandboxState } from './state';
import { type DistinguishedName, issueCertificate, randomSerial } from './x509';

export type { PlatformMode } from '../../core/adapters/wechatpay/config';

export const PLATFORM_MODES: readonly PlatformMode[] = ['public_key', 'certificate'];

interface CaDoc {
  certificate: string;
  private_key: string;
}

export interface PlatformCertDoc {
  serial_no: string;
  /** RFC 3339, fixed for the certificate's life. */
  effective_time: string;
  /** RFC 3339; brought forward by a rotation (the PEM's notAfter stays). */
  expire_time: string;
  certificate: string;
  private_key: string;
}

/** What GET /v3/certificates lists for one certificate. */
export interface WxCertificate {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: EncryptedResource & { associated_data: string };
}

/** Everything about a certificate except its private key (for pages, tests and the sandbox API). */
export type PlatformCertInfo = Omit<PlatformCertDoc, 'private_key'> & { signing: boolean };

export interface RotateOptions {
  /** When the new certificate starts signing, from now (default 0: at once). */
  effectiveInSeconds?: number;
  /** How long the old certificates stay valid after the new one takes effect (default 24 h). */
  overlapSeconds?: number;
}

const CA_NAME: DistinguishedName = {
  C: 'CN',
  O: 'WeChat Pay sandbox',
  OU: 'Sandbox CA Center',
  CN: 'Tenpay.com Root CA (sandbox)',
};
const PLATFORM_NAME: DistinguishedName = {
  C: 'CN',
  O: 'WeChat Pay sandbox',
  OU: 'Sandbox platform certificate',
  CN: 'Tenpay.com sign (sandbox)',
};
const YEAR_MS = 365 * 24 * 3600 * 1000;
const VALIDITY_MS = 5 * YEAR_MS;
const CA_VALIDITY_MS = 30 * YEAR_MS;
/** The first certificate took effect a while ago, so a clock moved back a little still has one. */
const FIRST_BACKDATE_MS = 30 * 24 * 3600 * 1000;
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;

const generateRsa = promisify(crypto.generateKeyPair);
const rsa = () => generateRsa('rsa', { modulusLength: 2048 });
const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const at = (rfc: string) => Date.parse(rfc);
/** Whole seconds: certificates and RFC 3339 times carry no milliseconds. */
const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

export class SandboxCertificates {
  private signWithSerial: string | null = null;
  private creating: Promise<void> | null = null;
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly state: SandboxState,
    private readonly dir: string,
    private readonly clock: Clock,
  ) {}

  /** The CA and the first certificate exist (they are made on first need: certificate mode or a download). */
  get ready(): boolean {
    return this.state.get<CaDoc>('platform_ca', 'root') !== null;
  }

  /** Creates the sandbox CA and the first platform certificate, once per sandbox folder. */
  ensure(): Promise<void> {
    if (this.ready) {
      if (!fs.existsSync(path.join(this.dir, SANDBOX_FILES.platformCa))) this.writeCaFile();
      return Promise.resolve();
    }
    this.creating ??= this.create().finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  private async create(): Promise<void> {
    const [ca, first] = await Promise.all([rsa(), rsa()]);
    const now = this.clock.now().getTime();
    const caPem = issueCertificate({
      serial: randomSerial(),
      subject: CA_NAME,
      issuer: CA_NAME,
      notBefore: second(now - YEAR_MS),
      notAfter: second(now + CA_VALIDITY_MS),
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      issuerPublicKey: ca.publicKey,
      ca: true,
    });
    const doc: CaDoc = { certificate: caPem, private_key: pkcs8(ca.privateKey) };
    const cert = this.issue(doc, first, now - FIRST_BACKDATE_MS);
    this.state.transaction(() => {
      this.state.put('platform_ca', 'root', doc);
      this.state.put('platform_cert', cert.serial_no, cert);
    });
    this.writeCaFile();
  }

  private issue(
    ca: CaDoc,
    pair: { publicKey: KeyObject; privateKey: KeyObject },
    effectiveMs: number,
  ): PlatformCertDoc {
    const serial = randomSerial();
    const notBefore = second(effectiveMs);
    const notAfter = second(effectiveMs + VALIDITY_MS);
    const caKey = crypto.createPrivateKey(ca.private_key);
    const certificate = issueCertificate({
      serial,
      subject: PLATFORM_NAME,
      issuer: CA_NAME,
      notBefore,
      notAfter,
      publicKey: pair.publicKey,
      signingKey: caKey,
      issuerPublicKey: crypto.createPublicKey(caKey),
      ca: false,
    });
    return {
      serial_no: serial.toString('hex').toUpperCase(),
      effective_time: rfc3339(notBefore),
      expire_time: rfc3339(notAfter),
      certificate,
      private_key: pkcs8(pair.privateKey),
    };
  }

  /** platform_ca.pem: what an SDK or the adapter may check downloaded certificates against. */
  private writeCaFile(): void {
    const ca = this.state.get<CaDoc>('platform_ca', 'root');
    if (!ca) return;
    fs.writeFileSync(path.join(this.dir, SANDBOX_FILES.platformCa), ca.certificate, { mode: 0o600 });
  }

  caCertificate(): string | null {
    return this.state.get<CaDoc>('platform_ca', 'root')?.certificate ?? null;
  }

  /** Every certificate ever issued, oldest first. */
  all(): PlatformCertDoc[] {
    return this.state
      .list<PlatformCertDoc>('platform_cert')
      .sort((a, b) => at(a.effective_time) - at(b.effective_time));
  }

  /** What /v3/certificates lists: every certificate not yet discontinued (a new one before it takes effect too). */
  listed(now = this.clock.now()): PlatformCertDoc[] {
    return this.all().filter((c) => at(c.expire_time) > now.getTime());
  }

  /** Certificates that may sign now: in effect and not discontinued. */
  usable(now = this.clock.now()): PlatformCertDoc[] {
    const t = now.getTime();
    return this.all().filter((c) => at(c.effective_time) <= t && at(c.expire_time) > t);
  }

  /** The certificate answers and notifications are signed with: the newest in effect (or the one forced by signWith). */
  current(now = this.clock.now()): PlatformCertDoc | null {
    const usable = this.usable(now);
    return usable.find((c) => c.serial_no === this.signWithSerial) ?? usable.at(-1) ?? null;
  }

  /** Forces the signing certificate while it stays usable (WeChat uses either during a change); null: the newest. */
  signWith(serial: string | null): void {
    if (serial !== null && !this.usable().some((c) => c.serial_no === serial))
      throw new RangeError(`no usable platform certificate ${serial}`);
    this.signWithSerial = serial;
  }

  privateKey(serial: string): KeyObject {
    let key = this.privateKeys.get(serial);
    if (!key) {
      const doc = this.state.get<PlatformCertDoc>('platform_cert', serial);
      if (!doc) throw new RangeError(`no platform certificate ${serial}`);
      key = crypto.createPrivateKey(doc.private_key);
      this.privateKeys.set(serial, key);
    }
    return key;
  }

  /**
   * A certificate change: a new certificate, listed at once and in effect after
   * `effectiveInSeconds`; the certificates listed before stay valid for
   * `overlapSeconds` after that, then drop out of the list.
   */
  async rotate(options: RotateOptions = {}): Promise<PlatformCertDoc> {
    await this.ensure();
    const ca = this.state.get<CaDoc>('platform_ca', 'root');
    if (!ca) throw new Error('sandbox CA missing');
    const pair = await rsa();
    const now = this.clock.now().getTime();
    const effective = second(now + 1000 * (options.effectiveInSeconds ?? 0)).getTime();
    const retire = second(effective + 1000 * (options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS)).getTime();
    const cert = this.issue(ca, pair, effective);
    this.state.transaction(() => {
      for (const old of this.listed())
        if (at(old.expire_time) > retire)
          this.state.put('platform_cert', old.serial_no, { ...old, expire_time: rfc3339(new Date(retire)) });
      this.state.put('platform_cert', cert.serial_no, cert);
    });
    return cert;
  }

  /** The body of GET /v3/certificates: each PEM AEAD_AES_256_GCM-encrypted with the APIv3 key, associated data "certificate". */
  wire(apiV3Key: Buffer, now = this.clock.now()): { data: WxCertificate[] } {
    return {
      data: this.listed(now).map((c) => {
        const { algorithm, nonce, ciphertext } = encryptResource(c.certificate, apiV3Key, 'certificate');
        return {
          serial_no: c.serial_no,
          effective_time: c.effective_time,
          expire_time: c.expire_time,
          encrypt_certificate: { algorithm, nonce, associated_data: 'certificate', ciphertext },
        };
      }),
    };
  }

  info(now = this.clock.now()): PlatformCertInfo[] {
    const signing = this.current(now)?.serial_no;
    return this.all().map(({ private_key: _key, ...c }) => ({ ...c, signing: c.serial_no === signing }));
  }
}
