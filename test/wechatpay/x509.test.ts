// The sandbox's minimal certificate issuer (cloudfunctions/local/sandbox/x509.ts):
// what it writes must be what Node (and OpenSSL, when installed) read as a
// proper CA and a leaf it issued.
import { execFileSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCertificate, randomSerial } from '../../cloudfunctions/local/sandbox/x509';

const caKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const leafKeys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const caName = { C: 'CN', O: 'WeChat Pay sandbox', OU: 'Sandbox CA Center', CN: 'Tenpay.com Root CA (sandbox)' };

const ca = issueCertificate({
  serial: randomSerial(),
  subject: caName,
  issuer: caName,
  notBefore: new Date('2025-01-01T00:00:00Z'),
  // From 2050 on, GeneralizedTime.
  notAfter: new Date('2055-01-01T00:00:00Z'),
  publicKey: caKeys.publicKey,
  signingKey: caKeys.privateKey,
  issuerPublicKey: caKeys.publicKey,
  ca: true,
});
const serial = randomSerial();
const leaf = issueCertificate({
  serial,
  subject: { C: 'CN', O: 'WeChat Pay sandbox', CN: '平台证书 (sandbox)' },
  issuer: caName,
  notBefore: new Date('2026-01-05T02:00:00Z'),
  notAfter: new Date('2031-01-04T02:00:00Z'),
  publicKey: leafKeys.publicKey,
  signingKey: caKeys.privateKey,
  issuerPublicKey: caKeys.publicKey,
  ca: false,
});

test('a CA and a leaf it issued, as Node reads them', () => {
  const c = new X509Certificate(ca);
  const l = new X509Certificate(leaf);
  expect(c.ca).toBe(true);
  expect(l.ca).toBe(false);
  expect(c.verify(caKeys.publicKey)).toBe(true);
  expect(l.checkIssued(c)).toBe(true);
  expect(l.verify(c.publicKey)).toBe(true);
  expect(l.verify(leafKeys.publicKey)).toBe(false);
  expect(l.serialNumber).toBe(serial.toString('hex').toUpperCase());
  expect(l.serialNumber).toMatch(/^[1-7][0-9A-F]{39}$/);
  expect(new Date(l.validFrom).toISOString()).toBe('2026-01-05T02:00:00.000Z');
  expect(new Date(l.validTo).toISOString()).toBe('2031-01-04T02:00:00.000Z');
  expect(new Date(c.validTo).toISOString()).toBe('2055-01-01T00:00:00.000Z');
  expect(l.subject).toContain('CN=平台证书 (sandbox)');
  expect(l.issuer).toBe(c.subject);
  // The leaf's public key is the one certified (what SDKs load from the PEM).
  expect(
    crypto
      .createPublicKey(leaf)
      .export({ type: 'spki', format: 'der' })
      .equals(leafKeys.publicKey.export({ type: 'spki', format: 'der' })),
  ).toBe(true);
});

test('OpenSSL verifies the chain strictly (when installed)', () => {
  let version = '';
  try {
    version = execFileSync('openssl', ['version'], { encoding: 'utf8' });
  } catch {
    return; // not installed: Node's checks above stand
  }
  expect(version).toMatch(/SSL/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-x509-'));
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca);
  fs.writeFileSync(path.join(dir, 'leaf.pem'), leaf);
  const out = execFileSync(
    'openssl',
    [
      'verify',
      '-x509_strict',
      '-attime',
      '1800000000',
      '-CAfile',
      path.join(dir, 'ca.pem'),
      path.join(dir, 'leaf.pem'),
    ],
    { encoding: 'utf8' },
  );
  expect(out).toMatch(/: OK/);
  const text = execFileSync('openssl', ['x509', '-in', path.join(dir, 'leaf.pem'), '-noout', '-text'], {
    encoding: 'utf8',
  });
  expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation, Key Encipherment, Data Encipherment/);
  expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
});
