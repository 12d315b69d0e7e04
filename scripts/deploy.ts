// npm run deploy [-- --dry-run] [-- --env-file <file>]
//
// Deploys the cloud functions to a CloudBase environment with the CloudBase
// CLI (@cloudbase/cli 2.12.10, `tcb`), from cloudbaserc.json:
//
//   1. checks the credentials (TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY) and
//      every setting the functions need in cloud mode (below); nothing runs
//      until they are all there and valid;
//   2. `npm run build`, then the structural checks on what it built;
//   3. `npm run cloudbase:setup` (collections and indexes);
//   4. `tcb --config-file <tmp> fn deploy --all --force --yes -e <env>`
//      (flags from `npx tcb --help` and `npx tcb fn deploy --help`, CLI
//      2.12.10), with cwd the repository (the CLI resolves functionRoot
//      against the cwd) and the key passed as TENCENTCLOUD_SECRETID/
//      SECRETKEY, which the CLI reads when no `tcb login` is stored (a stored
//      login takes precedence: `npx tcb logout` first if it belongs to
//      another account);
//   5. reads every function back through @cloudbase/manager-node and fails
//      unless each is Active, updated by this run, with the timeout,
//      settings and timer it was given, and payNotify's HTTP access path is
//      there. CLI 2.12.10 exits 0 even when a function fails to deploy (its
//      batch deploy logs the error and goes on), so its exit code proves
//      nothing.
//
// Why a derived config file: the CLI sends a function's envVariables as its
// whole environment ("部署时会完全覆盖线上配置", docs.cloudbase.net/cli-v1/
// functions/configs; manager-node's updateFunctionConfig sends
// Environment.Variables as given), so settings typed into the console would
// be wiped by the next deploy. The deploy writes, in a private temporary
// folder, cloudbaserc.json with each function's envVariables = its
// config.json envVariables + cloudbaserc.json's + the settings, and
// `path` = its config.json httpTrigger.path (the CLI then creates the HTTP
// access path, as `tcb service create -p /payNotify -f payNotify` would);
// the file is deleted when the CLI is done. Secrets never enter the
// repository and are never printed.
//
// --dry-run calls nothing and sends nothing. It checks the structure always:
// cloudbaserc.json lists every function folder (and only those), each
// config.json is valid and agrees with cloudbaserc.json (timeout, triggers,
// environment), the jobs timer and payNotify's HTTP trigger are declared,
// and each bundle exists and loads on its own (copied alone into an empty
// folder and required in a child process with no PMS_* or TCB_* variables,
// as CloudBase loads it). With --env-file, or with any required setting in
// the process environment, it also checks every setting; with neither it
// lists what a real deploy will need and passes on the structure alone (CI).
//
// Settings (from --env-file, a dotenv file; the process environment wins
// for a name set in both, as dotenv does): see SETTINGS below. PMS_MODE=cloud
// is set by the deploy. TCB_* credentials are used by the deploy only and
// never sent to the functions (inside CloudBase the runtime supplies them).
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { configFromEnv } from '../cloudfunctions/core/adapters/wechatpay/config';
import { loadConfig, parseMiniPrograms } from '../cloudfunctions/core/config';
import { settlementDaysFrom } from '../cloudfunctions/core/domain/funds/settlement';

export const CLI_VERSION = '2.12.10';
const ROOT = path.join(__dirname, '..');

// ---- settings ---------------------------------------------------------------

export interface Setting {
  name: string;
  required: boolean;
  /** Where it comes from and what it is, for the list a dry run prints. */
  what: string;
  /** Shown as "set" only: never printed, not even in part. */
  secret?: boolean;
  /** A problem with the value, or null. */
  check?: (value: string) => string | null;
}

const httpsUrl = (name: string) => (value: string) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} is not a URL`;
  }
  return url.protocol === 'https:' ? null : `${name} must be https`;
};

/** What the functions read in cloud mode (core/config.ts, core/runtime/seal.ts, adapters/wechatpay/config.ts, ...). */
export const SETTINGS: Setting[] = [
  {
    name: 'PMS_MINI_PROGRAMS',
    required: true,
    secret: true,
    what: 'JSON list of registration records, one per mini program served (README "Registration records")',
  },
  {
    name: 'PMS_DATA_KEY',
    required: true,
    secret: true,
    what: "32 random bytes, base64: encryption at rest (node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"); keep it: data sealed with it cannot be read without it",
    check: (value) =>
      /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32
        ? null
        : 'PMS_DATA_KEY must be 32 bytes, base64 (44 characters ending in =)',
  },
  {
    name: 'PMS_NOTIFY_URL',
    required: true,
    what: "where WeChat Pay sends payment and refund notifications: payNotify's HTTP access URL, https://<HTTP access domain>/payNotify",
    check: (value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return 'PMS_NOTIFY_URL is not a URL';
      }
      if (url.protocol !== 'https:') return 'PMS_NOTIFY_URL must be https (WeChat Pay calls only https notify_url)';
      if (url.search || url.hash || value.includes('?') || value.includes('#'))
        return 'PMS_NOTIFY_URL must carry no query or fragment (WeChat Pay refuses a notify_url with parameters)';
      if (value.length > 256) return 'PMS_NOTIFY_URL must be at most 256 characters (notify_url string[1,256])';
      return null;
    },
  },
  {
    name: 'PMS_WXPAY_SP_MCHID',
    required: true,
    what: "the service provider's merchant id (sp_mchid), Merchant Platform > Account centre",
    check: (value) => (/^[0-9]{8,32}$/.test(value) ? null : 'PMS_WXPAY_SP_MCHID must be the merchant id (digits)'),
  },
  {
    name: 'PMS_WXPAY_SP_APPID',
    required: true,
    what: "the service provider's appid (sp_appid), bound to sp_mchid",
  },
  {
    name: 'PMS_WXPAY_MERCHANT_SERIAL',
    required: true,
    what: 'serial number of the merchant API certificate (openssl x509 -in apiclient_cert.pem -noout -serial)',
  },
  {
    name: 'PMS_WXPAY_MERCHANT_PRIVATE_KEY',
    required: true,
    secret: true,
    what: 'apiclient_key.pem: its PEM text (newlines as \\n) or that text base64-encoded',
  },
  {
    name: 'PMS_WXPAY_APIV3_KEY',
    required: true,
    secret: true,
    what: 'the 32-character APIv3 key (Merchant Platform > Account centre > API security)',
  },
  {
    name: 'PMS_WXPAY_PLATFORM_KEYS',
    required: true,
    what: 'JSON object, key id -> PEM: the WeChat Pay public key ("PUB_KEY_ID_…") and/or platform certificates ("<serial>"); {} with PMS_WXPAY_PLATFORM_MODE=certificate (they are downloaded)',
  },
  {
    name: 'PMS_WXPAY_PLATFORM_MODE',
    required: false,
    what: 'public_key or certificate (default: certificate when PMS_WXPAY_PLATFORM_KEYS lists a certificate); certificate mode downloads /v3/certificates and follows their rotation',
  },
  {
    name: 'PMS_WXPAY_PLATFORM_CA',
    required: false,
    what: "certificate mode: PEM certificate(s) the downloaded platform certificates must be issued by (WeChat's CertTrustChain as PEM)",
  },
  {
    name: 'PMS_WXPAY_ENCRYPT_KEY_ID',
    required: false,
    what: 'which of PMS_WXPAY_PLATFORM_KEYS encrypts sensitive fields (default: the first PUB_KEY_ID_…, else the newest certificate)',
  },
  {
    name: 'PMS_WXPAY_BASE_URL',
    required: false,
    what: 'WeChat Pay API base URL (default https://api.mch.weixin.qq.com)',
    check: httpsUrl('PMS_WXPAY_BASE_URL'),
  },
  {
    name: 'PMS_SERVICE_STATUS',
    required: false,
    what: 'active (default), discontinued (checkout falls back to wx.requestPayment) or unavailable (payments paused)',
    check: (value) =>
      ['active', 'discontinued', 'unavailable'].includes(value.trim().toLowerCase())
        ? null
        : 'PMS_SERVICE_STATUS must be active, discontinued or unavailable (anything else pauses payments)',
  },
  {
    name: 'PMS_SETTLEMENT_DAYS',
    required: false,
    what: 'settlement period T+N in Beijing calendar days (default 1)',
    check: (value) => {
      try {
        settlementDaysFrom({ PMS_SETTLEMENT_DAYS: value });
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
  },
  {
    name: 'PMS_WITHDRAWAL_DAILY_LIMIT',
    required: false,
    what: 'off lifts the one-withdrawal-a-day rule (core/config.ts)',
  },
  {
    name: 'LOG_LEVEL',
    required: false,
    what: 'pino log level (default info)',
    check: (value) =>
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(value)
        ? null
        : 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent',
  },
];

/** Names a deploy never sends, and why. In an env file they are errors; in the process environment they are ignored. */
const NOT_SENT: Record<string, string> = {
  PMS_MODE: 'the deploy sets PMS_MODE=cloud itself',
  PMS_SETUP_CODE: 'ignored in cloud mode: give each PMS_MINI_PROGRAMS record its own setupCode',
  PMS_DATA_DIR: 'local mode only',
  PMS_SANDBOX_URL: 'local mode only (cloud mode talks to WeChat Pay)',
  TCB_TX_BUDGET_MS: "set per function, in its config.json and cloudbaserc.json (README 'CloudBase')",
  TCB_TIMEOUT_MS: "set per function, in its config.json and cloudbaserc.json (README 'CloudBase')",
};

export const CREDENTIALS = ['TCB_ENV', 'TCB_SECRET_ID', 'TCB_SECRET_KEY'] as const;

export interface Settings {
  /** The settings sent to every function (known names only, non-empty). */
  values: Record<string, string>;
  /** Where each came from: the env file's path or "environment". */
  from: Record<string, string>;
  credentials: Partial<Record<(typeof CREDENTIALS)[number], string>>;
  /** An env file was named, or a required setting is in the process environment. */
  given: boolean;
  problems: string[];
  notes: string[];
}

export function readSettings(envFile: string | undefined, env: NodeJS.ProcessEnv): Settings {
  const result: Settings = { values: {}, from: {}, credentials: {}, given: false, problems: [], notes: [] };
  let file: Record<string, string | undefined> = {};
  if (envFile !== undefined) {
    result.given = true;
    try {
      file = util.parseEnv(fs.readFileSync(envFile, 'utf8'));
    } catch (err) {
      result.problems.push(`--env-file ${envFile}: ${(err as Error).message}`);
    }
  }
  const known = new Set(SETTINGS.map((s) => s.name));
  for (const [name, value] of Object.entries(file)) {
    if (known.has(name) || (CREDENTIALS as readonly string[]).includes(name)) continue;
    if (name in NOT_SENT) {
      if (!(name === 'PMS_MODE' && value === 'cloud'))
        result.problems.push(`${name} in ${envFile}: not sent (${NOT_SENT[name]}); remove it`);
    } else if (/^(PMS|TCB)_/.test(name)) {
      result.problems.push(`${name} in ${envFile} is not a setting the functions read (a typo?)`);
    }
  }
  for (const name of Object.keys(NOT_SENT)) {
    if (env[name] && !(name === 'PMS_MODE' && env[name] === 'cloud'))
      result.notes.push(`${name} in the environment is not sent (${NOT_SENT[name]})`);
  }
  const pick = (name: string): [string, string] | null => {
    if (env[name]) return [env[name] as string, 'environment'];
    if (file[name]) return [file[name] as string, envFile as string];
    return null;
  };
  for (const setting of SETTINGS) {
    const found = pick(setting.name);
    if (!found) continue;
    result.values[setting.name] = found[0];
    result.from[setting.name] = found[1];
    if (setting.required && found[1] === 'environment') result.given = true;
  }
  for (const name of CREDENTIALS) {
    const found = pick(name);
    if (found) result.credentials[name] = found[0];
  }
  return result;
}

/** Every problem with the settings (all at once), and warnings that do not stop a deploy. */
export function checkSettings(
  values: Record<string, string>,
  httpPaths: string[],
): { problems: string[]; warnings: string[]; summary: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  const summary: string[] = [];
  const missing = SETTINGS.filter((s) => s.required && !values[s.name]).map((s) => s.name);
  if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
  for (const setting of SETTINGS) {
    const value = values[setting.name];
    if (!value || !setting.check) continue;
    const problem = setting.check(value);
    if (problem) problems.push(problem);
  }
  if (values.PMS_MINI_PROGRAMS) {
    try {
      const records = parseMiniPrograms(values.PMS_MINI_PROGRAMS);
      const config = loadConfig({ ...values, PMS_MODE: 'cloud' });
      if (records.length === 0) problems.push('PMS_MINI_PROGRAMS lists no mini program: cloud mode would serve nobody');
      for (const [where, problem] of Object.entries(config.setupCodeProblems))
        problems.push(`PMS_MINI_PROGRAMS ${where}: ${problem}`);
      for (const record of Object.values(config.miniPrograms)) {
        if (record.admins.length === 0 && record.setupCode === undefined && !config.setupCodeProblems[record.appid])
          warnings.push(
            `PMS_MINI_PROGRAMS ${record.appid}: neither admins nor a setupCode, so nobody can become its merchant admin`,
          );
      }
      summary.push(`PMS_MINI_PROGRAMS: ${records.map((r) => r.appid).join(', ') || 'none'}`);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (values.PMS_NOTIFY_URL && httpPaths.length) {
    const pathname = (() => {
      try {
        return new URL(values.PMS_NOTIFY_URL).pathname;
      } catch {
        return '';
      }
    })();
    if (pathname && !httpPaths.some((p) => pathname.endsWith(p)))
      warnings.push(`PMS_NOTIFY_URL's path ${pathname} is not payNotify's HTTP access path (${httpPaths.join(', ')})`);
  }
  const wxpay = SETTINGS.filter((s) => s.required && s.name.startsWith('PMS_WXPAY_'));
  if (wxpay.every((s) => values[s.name])) {
    try {
      const pay = configFromEnv(values);
      summary.push(
        `WeChat Pay: sp_mchid ${pay.spMchid}, sp_appid ${pay.spAppid}, ${pay.platformKeys.size} platform key(s)${pay.certificates ? ', platform certificates downloaded' : ''}, fields encrypted with ${pay.encryptKeyId ?? 'the newest downloaded certificate'}`,
      );
      if (pay.merchantPrivateKey.asymmetricKeyType !== 'rsa')
        problems.push('PMS_WXPAY_MERCHANT_PRIVATE_KEY must be an RSA key (apiclient_key.pem)');
    } catch (err) {
      problems.push(`WeChat Pay settings: ${(err as Error).message}`);
    }
  }
  return { problems, warnings, summary };
}

// ---- structure --------------------------------------------------------------

interface Trigger {
  name: string;
  type: string;
  config: string;
}

interface RcFunction {
  name: string;
  handler?: string;
  runtime?: string;
  timeout?: number;
  installDependency?: boolean;
  envVariables?: Record<string, string>;
  triggers?: Trigger[];
  [key: string]: unknown;
}

interface Cloudbaserc {
  version?: string;
  envId?: string;
  functionRoot?: string;
  functions?: RcFunction[];
  [key: string]: unknown;
}

interface FunctionConfig {
  timeout?: unknown;
  envVariables?: unknown;
  triggers?: unknown;
  permissions?: { openapi?: unknown };
  httpTrigger?: { path?: unknown; note?: unknown };
}

export interface FunctionPlan {
  name: string;
  timeout: number;
  envVariables: Record<string, string>;
  triggers: Trigger[];
  httpPath?: string;
  bundleBytes: number;
}

export interface Structure {
  rc: Cloudbaserc;
  functions: FunctionPlan[];
  problems: string[];
  warnings: string[];
}

/** The deployable function folders: what scripts/build.js bundles. */
export function functionFolders(root: string): string[] {
  const dir = path.join(root, 'cloudfunctions');
  return fs
    .readdirSync(dir)
    .filter(
      (name) => fs.existsSync(path.join(dir, name, 'package.json')) && fs.existsSync(path.join(dir, name, 'index.ts')),
    )
    .sort();
}

/** Functions that must run on a timer (the product's background work). */
const NEEDS_TIMER = ['jobs'];
/** Functions WeChat Pay calls over HTTP. */
const NEEDS_HTTP = ['payNotify'];
/** SCF runtime limit (docs.cloudbase.net/cloud-function/function-configuration/config: 1 to 900 s). */
const MAX_TIMEOUT_S = 900;
/** The store's transaction retry budget when a function sets none (README "CloudBase"). */
const DEFAULT_TX_BUDGET_MS = 35_000;

const isStringRecord = (value: unknown): value is Record<string, string> =>
  !!value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

function readJson<T>(file: string, problems: string[]): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return null;
  }
}

function checkTriggers(where: string, value: unknown, problems: string[]): Trigger[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${where}: triggers must be a list`);
    return [];
  }
  const triggers: Trigger[] = [];
  for (const t of value as Array<Partial<Trigger>>) {
    if (!t || typeof t.name !== 'string' || typeof t.config !== 'string' || t.type !== 'timer') {
      problems.push(`${where}: each trigger needs name, type "timer" (the only type the CLI creates) and config`);
      continue;
    }
    // CloudBase timers: seven fields, second minute hour day month weekday year.
    const fields = t.config.trim().split(/\s+/);
    if (fields.length !== 7 || !fields.every((f) => /^[0-9*,/?LW#A-Za-z-]+$/.test(f)))
      problems.push(`${where}: trigger ${t.name} config "${t.config}" is not a 7-field cron expression`);
    triggers.push({ name: t.name, type: t.type, config: t.config });
  }
  return triggers;
}

const SECRET_NAMES = SETTINGS.filter((s) => s.secret).map((s) => s.name);

export async function checkStructure(root: string): Promise<Structure> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const rcFile = path.join(root, 'cloudbaserc.json');
  const rc = readJson<Cloudbaserc>(rcFile, problems) ?? {};
  const folders = functionFolders(root);
  const listed = new Map((rc.functions ?? []).map((f) => [f.name, f]));
  if (!rc.envId) problems.push('cloudbaserc.json: envId is missing (the CLI refuses a config without one)');
  if (path.normalize(rc.functionRoot ?? '') !== 'cloudfunctions')
    problems.push(`cloudbaserc.json: functionRoot must be ./cloudfunctions, is ${JSON.stringify(rc.functionRoot)}`);
  for (const name of listed.keys())
    if (!folders.includes(name))
      problems.push(`cloudbaserc.json lists ${name}, which is not a function folder (cloudfunctions/${name})`);
  for (const name of folders)
    if (!listed.has(name)) problems.push(`cloudbaserc.json does not list the function folder cloudfunctions/${name}`);

  const functions: FunctionPlan[] = [];
  for (const name of folders) {
    const fn = listed.get(name);
    if (!fn) continue;
    const dir = path.join(root, 'cloudfunctions', name);
    const where = `cloudfunctions/${name}/config.json`;
    const config = readJson<FunctionConfig>(path.join(dir, 'config.json'), problems) ?? {};
    const rcWhere = `cloudbaserc.json ${name}`;
    if (fn.handler !== 'index.main') problems.push(`${rcWhere}: handler must be index.main, is ${fn.handler}`);
    const runtime = /^Nodejs(\d+)/.exec(fn.runtime ?? '');
    if (!runtime || Number(runtime[1]) < 18)
      problems.push(`${rcWhere}: runtime must be Nodejs18 or newer (bundles target node18), is ${fn.runtime}`);
    if (fn.installDependency !== false)
      problems.push(`${rcWhere}: installDependency must be false (the bundle is self-contained)`);

    const timeout = config.timeout;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_S)
      problems.push(`${where}: timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_S}`);
    else if (fn.timeout !== timeout)
      problems.push(`${where}: timeout ${timeout} s, but cloudbaserc.json deploys ${fn.timeout} s`);

    const own = config.envVariables ?? {};
    const shared = fn.envVariables ?? {};
    if (!isStringRecord(own)) problems.push(`${where}: envVariables must map names to strings`);
    if (!isStringRecord(shared)) problems.push(`${rcWhere}: envVariables must map names to strings`);
    const envVariables: Record<string, string> = {};
    if (isStringRecord(own) && isStringRecord(shared)) {
      for (const [key, value] of Object.entries(own)) {
        if (key in shared && shared[key] !== value)
          problems.push(`${name}: ${key} is "${value}" in config.json but "${shared[key]}" in cloudbaserc.json`);
      }
      Object.assign(envVariables, own, shared);
      // A function that times out inside the store's retry budget is cut short mid-retry (README "CloudBase").
      const budget = Number(envVariables.TCB_TX_BUDGET_MS ?? DEFAULT_TX_BUDGET_MS);
      if (typeof timeout === 'number' && !(budget < timeout * 1000))
        warnings.push(
          `${name}: its transaction budget (TCB_TX_BUDGET_MS ${budget} ms) does not fit in its ${timeout} s timeout`,
        );
      if (envVariables.PMS_MODE !== 'cloud') problems.push(`${name}: envVariables must set PMS_MODE to cloud`);
      for (const key of Object.keys(envVariables))
        if (SECRET_NAMES.includes(key) || key.startsWith('TCB_SECRET'))
          problems.push(`${name}: ${key} is committed in its configuration; secrets come from --env-file`);
    }

    const triggers = checkTriggers(where, config.triggers, problems);
    const rcTriggers = checkTriggers(rcWhere, fn.triggers, problems);
    if (JSON.stringify(triggers) !== JSON.stringify(rcTriggers))
      problems.push(
        `${name}: triggers differ between config.json and cloudbaserc.json (the CLI deploys cloudbaserc.json's)`,
      );
    if (NEEDS_TIMER.includes(name) && rcTriggers.length === 0)
      problems.push(`${name}: needs its timer trigger (the background jobs run on it)`);

    let httpPath: string | undefined;
    if (config.httpTrigger !== undefined) {
      const p = config.httpTrigger?.path;
      if (typeof p !== 'string' || !/^\/[A-Za-z0-9/_-]*$/.test(p))
        problems.push(`${where}: httpTrigger.path must be a path such as /payNotify`);
      else httpPath = p;
      if (typeof config.httpTrigger?.note !== 'string')
        problems.push(`${where}: httpTrigger.note must say how it is exposed`);
    }
    if (NEEDS_HTTP.includes(name) && !httpPath)
      problems.push(`${name}: needs an httpTrigger (WeChat Pay posts its notifications to it)`);
    const openapi = config.permissions?.openapi;
    if (openapi !== undefined && !(Array.isArray(openapi) && openapi.every((o) => typeof o === 'string')))
      problems.push(`${where}: permissions.openapi must be a list of API names`);

    const bundle = path.join(dir, 'index.js');
    let bundleBytes = 0;
    if (!fs.existsSync(bundle)) problems.push(`cloudfunctions/${name}/index.js is missing: run npm run build`);
    else bundleBytes = fs.statSync(bundle).size;
    functions.push({ name, timeout: Number(timeout), envVariables, triggers: rcTriggers, httpPath, bundleBytes });
  }

  const loads = await Promise.all(
    functions.filter((f) => f.bundleBytes > 0).map(async (f) => [f.name, await loadAlone(root, f.name)] as const),
  );
  for (const [name, problem] of loads) if (problem) problems.push(`cloudfunctions/${name}/index.js ${problem}`);
  const sources = newestSource(root);
  for (const f of functions) {
    const built = f.bundleBytes > 0 ? fs.statSync(path.join(root, 'cloudfunctions', f.name, 'index.js')).mtimeMs : 0;
    if (built && sources > built)
      warnings.push(`cloudfunctions/${f.name}/index.js is older than the sources: npm run build`);
  }
  return { rc, functions, problems, warnings };
}

/** The newest modification time among the TypeScript the bundles are built from. */
function newestSource(root: string): number {
  let latest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'local') walk(full);
      } else if (entry.name.endsWith('.ts')) latest = Math.max(latest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ['cloudfunctions', 'miniprogram/shared', 'typings']) {
    if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  }
  return latest;
}

/**
 * Loads a bundle as CloudBase does: alone in its folder (no node_modules
 * anywhere above it), in a child process with no PMS_* or TCB_* variables.
 * Resolves to a problem, or null when it exports main.
 */
function loadAlone(root: string, name: string): Promise<string | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pms-deploy-${name}-`));
  fs.copyFileSync(path.join(root, 'cloudfunctions', name, 'index.js'), path.join(dir, 'index.js'));
  fs.copyFileSync(path.join(root, 'cloudfunctions', name, 'package.json'), path.join(dir, 'package.json'));
  const probe = "const m = require('./index.js'); process.stdout.write(JSON.stringify({ main: typeof m.main }));";
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    const child: ChildProcess = spawn(process.execPath, ['-e', probe], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0) {
        const first = err.split('\n').find((l) => /Error|Cannot find/.test(l)) ?? err.trim().split('\n')[0];
        resolve(`does not load on its own: ${first ?? `exit ${code}`}`);
        return;
      }
      try {
        resolve(JSON.parse(out).main === 'function' ? null : 'does not export main');
      } catch {
        resolve(`printed something unexpected while loading: ${out.slice(0, 200)}`);
      }
    });
  });
}

// ---- the deploy ----------------------------------------------------------

/** The cloudbaserc.json the CLI is given: the repository's, with settings and HTTP paths filled in. */
export function derivedConfig(structure: Structure, settings: Record<string, string>, envId: string): Cloudbaserc {
  return {
    ...structure.rc,
    envId,
    functions: (structure.rc.functions ?? []).map((fn) => {
      const plan = structure.functions.find((f) => f.name === fn.name);
      return {
        ...fn,
        envVariables: { ...(plan?.envVariables ?? {}), ...settings, PMS_MODE: 'cloud' },
        ...(plan?.httpPath ? { path: plan.httpPath } : {}),
      };
    }),
  };
}

export type Run = (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
) => Promise<number>;

export interface Credentials {
  envId: string;
  secretId: string;
  secretKey: string;
}

/** Reads the deployed functions back; resolves to every way they differ from what was deployed. */
export type Verify = (
  credentials: Credentials,
  expected: Cloudbaserc,
  since: number,
) => Promise<{ problems: string[]; lines: string[] }>;

export interface DeployDeps {
  run: Run;
  verify: Verify;
}

const runProcess: Run = (command, args, options) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: 'inherit' });
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });

/** Beijing wall-clock "YYYY-MM-DD HH:mm:ss" as Tencent Cloud reports ModTime. */
function beijingTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

const verifyDeployed: Verify = async (credentials, expected, since) => {
  const { default: CloudBase } = await import('@cloudbase/manager-node');
  const manager = new CloudBase({
    envId: credentials.envId,
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
  });
  const problems: string[] = [];
  const lines: string[] = [];
  for (const fn of expected.functions ?? []) {
    try {
      const detail = await manager.functions.getFunctionDetail(fn.name);
      const vars = new Map((detail.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]));
      const own: string[] = [];
      if (detail.Status !== 'Active') own.push(`status ${detail.Status} (${detail.StatusDesc ?? ''})`);
      if (!(beijingTime(detail.ModTime) >= since - 120_000))
        own.push(`not updated by this deploy (last modified ${detail.ModTime})`);
      if (detail.Timeout !== fn.timeout) own.push(`timeout ${detail.Timeout} s, not ${fn.timeout} s`);
      const wrong = Object.entries(fn.envVariables ?? {})
        .filter(([k, v]) => vars.get(k) !== v)
        .map(([k]) => k);
      if (wrong.length) own.push(`settings not as deployed: ${wrong.join(', ')}`);
      for (const t of fn.triggers ?? []) {
        const there = (detail.Triggers ?? []).find((d) => d.TriggerName === t.name && d.Type === t.type);
        if (!there || !String(there.TriggerDesc ?? '').includes(t.config))
          own.push(`trigger ${t.name} (${t.config}) missing`);
      }
      if (own.length) problems.push(`${fn.name}: ${own.join('; ')}`);
      else lines.push(`  ${fn.name}: Active, modified ${detail.ModTime}`);
    } catch (err) {
      problems.push(`${fn.name}: cannot be read back (${(err as Error).message})`);
    }
  }
  const http = (expected.functions ?? []).filter((f) => typeof f.path === 'string');
  if (http.length) {
    try {
      const { DefaultDomain } = await manager.access.getDomainList();
      for (const fn of http) {
        const { APISet } = await manager.access.getAccessList({ name: fn.name });
        if (!(APISet ?? []).some((api) => api.Path === fn.path))
          problems.push(`${fn.name}: HTTP access path ${String(fn.path)} missing`);
        else {
          const url = `https://${DefaultDomain}${String(fn.path)}`;
          lines.push(`  ${fn.name}: HTTP access ${url}`);
          const notify = fn.envVariables?.PMS_NOTIFY_URL;
          if (notify && notify !== url)
            lines.push(
              `  note: PMS_NOTIFY_URL is ${notify}, not ${url}: fine for your own domain bound to HTTP access, otherwise notifications go nowhere`,
            );
        }
      }
    } catch (err) {
      problems.push(`HTTP access cannot be read back (${(err as Error).message})`);
    }
  }
  return { problems, lines };
};

const defaultDeps: DeployDeps = { run: runProcess, verify: verifyDeployed };

const USAGE = 'usage: npm run deploy [-- --dry-run] [-- --env-file <file>]';

function describeSettings(settings: Settings, say: (line: string) => void): void {
  for (const s of SETTINGS) {
    const value = settings.values[s.name];
    const state = value
      ? `set (${settings.from[s.name]})${s.secret || s.name.includes('KEY') ? '' : `: ${value.length > 60 ? `${value.slice(0, 57)}...` : value}`}`
      : s.required
        ? settings.given
          ? 'MISSING'
          : 'needed by a real deploy'
        : 'not set (default)';
    say(`  ${s.name.padEnd(31)} ${s.required ? 'required' : 'optional'}  ${state}`);
    if (!value || settings.given === false) say(`    ${s.what}`);
  }
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  deps: DeployDeps = defaultDeps,
  root: string = ROOT,
): Promise<number> {
  const dryRun = argv.includes('--dry-run');
  let envFile: string | undefined;
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dry-run') continue;
    if (argv[i] === '--env-file' && argv[i + 1]) envFile = argv[++i];
    else if (argv[i].startsWith('--env-file=')) envFile = argv[i].slice('--env-file='.length);
    else unknown.push(argv[i]);
  }
  if (unknown.length) {
    say(`deploy: unknown option ${unknown.join(' ')}; ${USAGE}`);
    return 2;
  }
  const settings = readSettings(envFile, env);

  if (!dryRun) {
    // Before anything runs: nothing is built or sent without credentials.
    const missing = CREDENTIALS.filter((name) => !settings.credentials[name]);
    if (missing.length) {
      say(
        `deploy: missing ${missing.join(', ')}: set the CloudBase environment id (TCB_ENV) and an API key allowed to manage it (TCB_SECRET_ID, TCB_SECRET_KEY), e.g.\n` +
          '  TCB_ENV=<env id> TCB_SECRET_ID=<SecretId> TCB_SECRET_KEY=<SecretKey> npm run deploy -- --env-file .env.cloud\n' +
          'Nothing was built or sent. `npm run deploy -- --dry-run` checks without them.',
      );
      return 1;
    }
  }

  say(
    dryRun
      ? `deploy, dry run (nothing built, nothing sent; @cloudbase/cli ${CLI_VERSION})`
      : `deploy to ${settings.credentials.TCB_ENV} (@cloudbase/cli ${CLI_VERSION})`,
  );
  const problems = [...settings.problems];
  const warnings: string[] = [];
  for (const note of settings.notes) say(`  note: ${note}`);

  // The settings, checked whenever they are given (always for a real deploy).
  const httpPaths = functionFolders(root).flatMap((name) => {
    try {
      const p = JSON.parse(fs.readFileSync(path.join(root, 'cloudfunctions', name, 'config.json'), 'utf8')).httpTrigger
        ?.path;
      return typeof p === 'string' ? [p] : [];
    } catch {
      return [];
    }
  });
  say(
    `settings (sent to every function, with PMS_MODE=cloud)${envFile ? `, from ${envFile} and the environment` : ''}:`,
  );
  describeSettings(settings, say);
  if (settings.given || !dryRun) {
    const checked = checkSettings(settings.values, httpPaths);
    problems.push(...checked.problems);
    warnings.push(...checked.warnings);
    for (const line of checked.summary) say(`  ${line}`);
  } else {
    say('  not checked: no --env-file and none of the required settings in the environment. A real deploy needs every');
    say('  required one (npm run deploy -- --env-file <file>), and TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY.');
  }
  if (!dryRun && problems.length) {
    for (const p of problems) say(`  problem: ${p}`);
    say('deploy: stopped before building or sending anything');
    return 1;
  }

  if (!dryRun) {
    say('> npm run build');
    if ((await deps.run('npm', ['run', 'build'], { cwd: root, env })) !== 0) {
      say('deploy: npm run build failed; nothing sent');
      return 1;
    }
  }

  const structure = await checkStructure(root);
  problems.push(...structure.problems);
  // What a real deploy needs is documented where people look for it (a dry run's check: CI keeps it true).
  const readme = path.join(root, 'README.md');
  if (dryRun && fs.existsSync(readme)) {
    const text = fs.readFileSync(readme, 'utf8');
    for (const name of [...SETTINGS.filter((s) => s.required).map((s) => s.name), ...CREDENTIALS])
      if (!text.includes(name)) problems.push(`README.md does not mention ${name}`);
  }
  warnings.push(...structure.warnings);
  say("functions (cloudbaserc.json, each folder's config.json and bundle):");
  for (const f of structure.functions) {
    const extras = [
      ...f.triggers.map((t) => `timer ${t.name} "${t.config}"`),
      ...(f.httpPath ? [`HTTP access ${f.httpPath}`] : []),
    ];
    say(
      `  ${f.name.padEnd(10)} timeout ${String(f.timeout).padStart(3)} s  bundle ${(f.bundleBytes / 1024).toFixed(0).padStart(5)} KB${extras.length ? `  ${extras.join(', ')}` : ''}`,
    );
  }
  for (const w of warnings) say(`  warning: ${w}`);
  for (const p of problems) say(`  problem: ${p}`);
  if (problems.length) {
    say(`deploy${dryRun ? ', dry run' : ''}: ${problems.length} problem(s)${dryRun ? '' : '; nothing sent'}`);
    return 1;
  }
  if (dryRun) {
    say(
      `deploy, dry run: ${structure.functions.length} functions ready${settings.given ? ', settings complete' : ' (settings not checked)'}. A real deploy runs npm run build, npm run cloudbase:setup, then tcb fn deploy --all.`,
    );
    return 0;
  }

  const credentials: Credentials = {
    envId: settings.credentials.TCB_ENV as string,
    secretId: settings.credentials.TCB_SECRET_ID as string,
    secretKey: settings.credentials.TCB_SECRET_KEY as string,
  };
  const withKeys: NodeJS.ProcessEnv = {
    ...env,
    TCB_ENV: credentials.envId,
    TCB_SECRET_ID: credentials.secretId,
    TCB_SECRET_KEY: credentials.secretKey,
  };
  say('> npm run cloudbase:setup');
  if ((await deps.run('npm', ['run', 'cloudbase:setup'], { cwd: root, env: withKeys })) !== 0) {
    say('deploy: cloudbase:setup failed; functions not deployed');
    return 1;
  }

  const expected = derivedConfig(structure, settings.values, credentials.envId);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-deploy-'));
  fs.chmodSync(dir, 0o700);
  const configFile = path.join(dir, `cloudbaserc.${crypto.randomBytes(4).toString('hex')}.json`);
  const since = Date.now();
  let code: number;
  try {
    fs.writeFileSync(configFile, `${JSON.stringify(expected, null, 2)}\n`, { mode: 0o600 });
    const tcb = path.join(path.dirname(require.resolve('@cloudbase/cli/package.json')), 'bin', 'tcb');
    // --config-file is the CLI's global option (`npx tcb --help`): given before the command.
    const args = ['--config-file', configFile, 'fn', 'deploy', '--all', '--force', '--yes', '-e', credentials.envId];
    say(`> tcb ${args.map((a) => (a === configFile ? '<cloudbaserc with settings>' : a)).join(' ')}`);
    code = await deps.run(process.execPath, [tcb, ...args], {
      cwd: root,
      env: { ...env, TENCENTCLOUD_SECRETID: credentials.secretId, TENCENTCLOUD_SECRETKEY: credentials.secretKey },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (code !== 0) {
    say(`deploy: tcb fn deploy exited ${code}`);
    return 1;
  }
  say('checking what was deployed (@cloudbase/manager-node):');
  const verified = await deps.verify(credentials, expected, since);
  for (const line of verified.lines) say(line);
  for (const p of verified.problems) say(`  problem: ${p}`);
  if (verified.problems.length) {
    say('deploy: the CLI finished, but the functions above are not as deployed (see its log)');
    return 1;
  }
  say('deploy: done. Next (README "Deploying to CloudBase"): WeChat Pay notify URL, the mini program, npm run upload.');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
