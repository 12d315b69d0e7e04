// Just enough X.509 to issue the sandbox's platform certificates: Node parses
// and verifies certificates (crypto.X509Certificate) but cannot issue them,
// so this writes the DER by hand (RFC 5280 profile, v3, sha256WithRSAEncryption):
// a self-signed CA standing in for WeChat Pay's issuer, and leaf certificates
// it signs. Sandbox only; the adapter reads certificates with node:crypto.
import crypto, { type KeyObject } from 'node:crypto';

// ---- DER ------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));

/** A non-negative INTEGER from its big-endian magnitude. */
function integer(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const bytes = magnitude.subarray(start);
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v & 0x7f));
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

const NULL = Buffer.from([0x05, 0x00]);
const bool = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
const octets = (bytes: Buffer): Buffer => tlv(0x04, bytes);
/** BIT STRING whose last byte's trailing zero bits are unused (DER for named bit lists). */
function bits(bytes: Buffer, trimNamedBits = false): Buffer {
  let unused = 0;
  if (trimNamedBits && bytes.length) {
    const last = bytes[bytes.length - 1];
    while (unused < 7 && !(last & (1 << unused))) unused++;
  }
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const digits = iso.replace(/[-:T]/g, '');
  return at.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2))) : tlv(0x18, Buffer.from(digits));
}

// ---- certificates -------------------------------------------------------------------

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

export interface DistinguishedName {
  C?: string;
  O?: string;
  OU?: string;
  CN: string;
}

function name(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: Buffer) => set(seq(oid(type), value));
  const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
  return seq(
    ...(dn.C ? [rdn(OID.countryName, tlv(0x13, Buffer.from(dn.C, 'ascii')))] : []),
    ...(dn.O ? [rdn(OID.organizationName, utf8(dn.O))] : []),
    ...(dn.OU ? [rdn(OID.organizationalUnitName, utf8(dn.OU))] : []),
    rdn(OID.commonName, utf8(dn.CN)),
  );
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** SHA-1 of the subject public key's DER, as key identifiers usually are (RFC 5280 4.2.1.2). */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  return crypto
    .createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

export interface CertificateRequest {
  /** Big-endian serial number (positive; 20 bytes at most). */
  serial: Buffer;
  subject: DistinguishedName;
  /** The issuer's name; the subject's for a self-signed certificate. */
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** The issuer's private key (RSA). */
  signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier. */
  issuerPublicKey: KeyObject;
  /** A CA certificate (basicConstraints cA, keyCertSign) or a leaf for signatures and key encipherment. */
  ca: boolean;
}

/** Issues a certificate and returns it as PEM. */
export function issueCertificate(r: CertificateRequest): string {
  const algorithm = seq(oid(OID.sha256WithRSA), NULL);
  // keyUsage bits: digitalSignature(0) nonRepudiation(1) keyEncipherment(2) dataEncipherment(3) | keyCertSign(5) cRLSign(6).
  const usage = r.ca ? 0x06 : 0xf0;
  const extensions = [
    extension(OID.basicConstraints, true, seq(...(r.ca ? [bool(true)] : []))),
    extension(OID.keyUsage, true, bits(Buffer.from([usage]), true)),
    extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(r.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(r.issuerPublicKey)))),
  ];
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(r.serial),
    algorithm,
    name(r.issuer),
    seq(time(r.notBefore), time(r.notAfter)),
    name(r.subject),
    r.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, r.signingKey);
  const der = seq(tbs, algorithm, bits(signature));
  const body = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/** A random 20-byte serial that prints as 40 hex digits, like WeChat's (high bit clear, no leading zero). */
export function randomSerial(): Buffer {
  const serial = crypto.randomBytes(20);
  serial[0] = 0x10 + (serial[0] % 0x70);
  return serial;
}
