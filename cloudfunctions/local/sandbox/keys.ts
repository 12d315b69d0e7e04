// The sandbox's identity: generated at first start under <dataDir>/sandbox/
// and reused on every restart, in the files a v3 SDK is configured with
// (merchant key and serial, WeChat Pay public key and its PUB_KEY_ID_…, the
// APIv3 key, mchid, appid). The platform private key stays here too: it is
// what the sandbox signs responses and notifications with.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SANDBOX_FILES } from '../../core/adapters/wechatpay/config';
import { apiV3KeyBytes, randomNonce } from '../../core/adapters/wechatpay/crypto';

export interface KeyMaterial {
  mchid: string;
  appid: string;
  merchantPrivateKeyPem: string;
  merchantSerial: string;
  platformPrivateKeyPem: string;
  platformPublicKeyPem: string;
  platformPublicKeyId: string;
  apiV3Key: string;
}

export interface SandboxKeys {
  material: KeyMaterial;
  mchid: string;
  appid: string;
  merchantSerial: string;
  merchantPublicKey: KeyObject;
  platformKeyId: string;
  platformPrivateKey: KeyObject;
  platformPublicKey: KeyObject;
  apiV3Key: Buffer;
}

export const PLATFORM_PRIVATE_KEY_FILE = 'platform_private_key.pem';

const FILES: Record<keyof KeyMaterial, string> = {
  mchid: SANDBOX_FILES.mchid,
  appid: SANDBOX_FILES.appid,
  merchantPrivateKeyPem: SANDBOX_FILES.merchantPrivateKey,
  merchantSerial: SANDBOX_FILES.merchantSerial,
  platformPrivateKeyPem: PLATFORM_PRIVATE_KEY_FILE,
  platformPublicKeyPem: SANDBOX_FILES.platformPublicKey,
  platformPublicKeyId: SANDBOX_FILES.platformPublicKeyId,
  apiV3Key: SANDBOX_FILES.apiV3Key,
};

const digits = (n: number): string => Array.from({ length: n }, () => crypto.randomInt(10)).join('');

const generateRsa = promisify(crypto.generateKeyPair);

async function rsaPair(): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return {
    // PKCS#8 like apiclient_key.pem; SPKI like WeChat's pub_key.pem.
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export async function generateKeyMaterial(): Promise<KeyMaterial> {
  const [merchant, platform] = await Promise.all([rsaPair(), rsaPair()]);
  const mchid = `19${digits(8)}`;
  return {
    mchid,
    appid: `wx${crypto.randomBytes(8).toString('hex')}`,
    merchantPrivateKeyPem: merchant.privatePem,
    merchantSerial: crypto.randomBytes(20).toString('hex').toUpperCase(),
    platformPrivateKeyPem: platform.privatePem,
    platformPublicKeyPem: platform.publicPem,
    // Shaped like WeChat's: PUB_KEY_ID_ + 01 + the mchid + digits.
    platformPublicKeyId: `PUB_KEY_ID_01${mchid}${digits(18)}`,
    apiV3Key: randomNonce(32),
  };
}

const README = `WeChat Pay v3 sandbox identity (local only, never commit).
Point any v3 SDK at the sandbox's base URL with:
  mchid                     ${FILES.mchid}
  appid                     ${FILES.appid}
  merchant private key      ${FILES.merchantPrivateKeyPem}
  merchant serial           ${FILES.merchantSerial}
  WeChat Pay public key     ${FILES.platformPublicKeyPem}  (id in ${FILES.platformPublicKeyId})
  APIv3 key                 ${FILES.apiV3Key}
${FILES.platformPrivateKeyPem} is the sandbox's own signing key. Delete this folder to start over.
platform_mode says how the sandbox signs (public_key, or certificate: SANDBOX_PLATFORM_MODE=certificate);
in certificate mode download the platform certificates from GET /v3/certificates, issued by platform_ca.pem.
`;

function writeKeyMaterial(dir: string, m: KeyMaterial): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [field, file] of Object.entries(FILES))
    fs.writeFileSync(path.join(dir, file), `${m[field as keyof KeyMaterial].trim()}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'README.txt'), README, { mode: 0o600 });
}

function readKeyMaterial(dir: string): KeyMaterial | null {
  const present = Object.values(FILES).filter((file) => fs.existsSync(path.join(dir, file)));
  if (present.length === 0) return null;
  if (present.length !== Object.keys(FILES).length) {
    // Regenerating would silently break every SDK configured with the old keys.
    const missing = Object.values(FILES).filter((f) => !present.includes(f));
    throw new Error(
      `sandbox keys in ${dir} are incomplete (missing ${missing.join(', ')}); delete the folder to regenerate`,
    );
  }
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8').trim();
  return Object.fromEntries(
    Object.entries(FILES).map(([field, file]) => [field, read(file)]),
  ) as unknown as KeyMaterial;
}

/** Loads the keys in dir, or writes `seed` (or freshly generated ones) there first. */
export async function loadOrCreateKeys(dir: string, seed?: KeyMaterial): Promise<SandboxKeys> {
  let material = readKeyMaterial(dir);
  if (!material) {
    material = seed ?? (await generateKeyMaterial());
    writeKeyMaterial(dir, material);
  }
  const platformPrivateKey = crypto.createPrivateKey(material.platformPrivateKeyPem);
  return {
    material,
    mchid: material.mchid,
    appid: material.appid,
    merchantSerial: material.merchantSerial,
    merchantPublicKey: crypto.createPublicKey(crypto.createPrivateKey(material.merchantPrivateKeyPem)),
    platformKeyId: material.platformPublicKeyId,
    platformPrivateKey,
    platformPublicKey: crypto.createPublicKey(material.platformPublicKeyPem),
    apiV3Key: apiV3KeyBytes(material.apiV3Key),
  };
}
