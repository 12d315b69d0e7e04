// Fixtures for the ship tests: a complete set of cloud settings (throwaway
// keys, never real ones) written as a dotenv file, and a minimal copy of the
// repository's deployable structure to break on purpose.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../..');

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pms-ship-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made (afterAll in each file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Every setting a cloud deploy needs, valid, with freshly generated keys. */
export function cloudSettings(): Record<string, string> {
  const merchant = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantPem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const platformPem = platform.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    PMS_MINI_PROGRAMS: JSON.stringify([
      {
        appid: 'wx8f3c2a1b0d4e5f67',
        name: 'Demo Tea Shop',
        entity: { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
        setupCode: crypto.randomBytes(16).toString('base64url'),
      },
    ]),
    PMS_DATA_KEY: crypto.randomBytes(32).toString('base64'),
    PMS_NOTIFY_URL: 'https://pms-prod-1a2b3c.service.tcloudbase.com/payNotify',
    PMS_WXPAY_SP_MCHID: '1900000001',
    PMS_WXPAY_SP_APPID: 'wx1234567890abcdef',
    PMS_WXPAY_MERCHANT_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    PMS_WXPAY_MERCHANT_PRIVATE_KEY: Buffer.from(merchantPem).toString('base64'),
    PMS_WXPAY_APIV3_KEY: crypto.randomBytes(16).toString('hex'),
    PMS_WXPAY_PLATFORM_KEYS: JSON.stringify({ PUB_KEY_ID_0114232134912410000000000001: platformPem }),
  };
}

/** A dotenv file (single-quoted values: taken literally, JSON escapes and all). */
export function writeEnvFile(dir: string, values: Record<string, string>): string {
  const file = path.join(dir, 'cloud.env');
  const lines = Object.entries(values).map(([k, v]) => `${k}='${v.replace(/\n/g, '\\n')}'`);
  fs.writeFileSync(file, `# cloud settings for the ship tests\n${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/**
 * A copy of what the deploy checks: cloudbaserc.json and each function
 * folder's package.json, config.json and an index.ts, with a tiny bundle that
 * exports main (no README, so the documentation check is skipped).
 */
export function deployableCopy(): string {
  const root = tempDir('deploy-root');
  fs.copyFileSync(path.join(ROOT, 'cloudbaserc.json'), path.join(root, 'cloudbaserc.json'));
  const functions = JSON.parse(fs.readFileSync(path.join(ROOT, 'cloudbaserc.json'), 'utf8')).functions as Array<{
    name: string;
  }>;
  for (const { name } of functions) {
    const from = path.join(ROOT, 'cloudfunctions', name);
    const to = path.join(root, 'cloudfunctions', name);
    fs.mkdirSync(to, { recursive: true });
    for (const file of ['package.json', 'config.json']) fs.copyFileSync(path.join(from, file), path.join(to, file));
    fs.writeFileSync(path.join(to, 'index.ts'), 'export async function main() {}\n');
    fs.writeFileSync(path.join(to, 'index.js'), 'exports.main = async () => ({});\n');
  }
  return root;
}

export function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}
