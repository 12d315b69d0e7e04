// npm run docs:api [-- --check]
//
// Writes docs/api.md, the API reference, from the declarations themselves:
// each router function's actions (cloudfunctions/<fn>/index.ts ->
// createMain -> the action tables), their roles, idempotency and zod input
// schemas (read at run time), their result types and the error codes they can
// answer with (read from the source by the TypeScript compiler:
// scripts/api-docs.source.ts), the jobs, payNotify, the local gateway and the
// WeChat Pay sandbox's routes (their registrations), and the error
// catalogue. What the source cannot say (what a job, a route or a router
// refusal is for) is kept in the tables below, and the generator reports a
// problem when an entry is missing or names something that no longer exists.
//
//   --check  writes nothing; exits 1 when docs/api.md is not what it would write.
//
// test/docs/api-docs.test.ts regenerates it in memory and fails when the file
// is stale or a problem is reported.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeInput, type FieldRow, shapeOf, stringLimits } from './api-docs.schema';
import {
  type ActionSource,
  type CatalogueEntry,
  type HttpReply,
  ROOT,
  type ResultType,
  type Route,
  rel,
  Source,
} from './api-docs.source';

export const OUTPUT = path.join(ROOT, 'docs/api.md');
export const COMMAND = 'npm run docs:api';

/** When the router (core/runtime/main.ts and what it calls) answers each of its codes. */
const ROUTER_CONDITIONS: Record<string, string> = {
  'AUTH.NO_IDENTITY':
    'The call carries no WeChat identity (in CloudBase the runtime supplies it; locally the `X-Wx-Openid` and `X-Wx-Appid` headers).',
  'INPUT.INVALID':
    'The event or its `data` does not fit the schema; `fields` maps each field path to a reason code with its values, `{ reason, params? }` from `FIELD_REASONS` (miniprogram/shared/errors/fields.ts), never a sentence (`_` for the event as a whole). Handlers use it too for rules a schema cannot state (a cursor from another list, a date range).',
  'INPUT.UNKNOWN_ACTION': 'The function has no action of that name (`details.fn`, `details.action`).',
  'CONFIG.UNKNOWN_MINI_PROGRAM':
    "The caller's appid is not registered with this deployment (`PMS_MINI_PROGRAMS`; locally the demo too).",
  'AUTH.THIRD_PARTY_PLATFORM':
    "The call is made on the mini program's behalf by another appid (`WX_FROM_APPID`), or its registration says `thirdPartyPlatform: true`.",
  'AUTH.FORBIDDEN':
    "An admin-only action called by someone who is not the mini program's merchant admin (`details.action`).",
  'INPUT.IDEMPOTENCY_KEY_REQUIRED': 'An idempotent action called without `idempotencyKey`.',
  'INPUT.IDEMPOTENCY_KEY_REUSED':
    'The key was already used by the same caller for the same action with different `data`: a new intent needs a new key.',
  'INPUT.IDEMPOTENCY_IN_PROGRESS':
    'The first call with this key is still running (for up to a minute after a crash): retry the same call shortly.',
  INTERNAL:
    'Anything unexpected on our side. The reply carries a `correlationId`; the log line with the same id has the cause.',
};

/** Router codes every action can answer with, whatever its declaration. */
const ALWAYS = ['AUTH.NO_IDENTITY', 'CONFIG.UNKNOWN_MINI_PROGRAM', 'INPUT.INVALID', 'INTERNAL'];

/** What each background job is for. */
const JOB_PURPOSES: Record<string, string> = {
  queryPaying:
    'Missed payment notifications: orders still paying a while after their prepay are asked about at WeChat Pay and credited if paid.',
  closeExpired:
    'Closes unpaid orders past their expiry, at WeChat Pay first when a prepay was handed out; one paid at the last moment is credited instead.',
  syncRefunds:
    'Refunds still open after a while are asked about at WeChat Pay (missed notifications) and resent when WeChat Pay never received them.',
  settle:
    "Moves each paid order's pending money to available once its settlement period has passed (T+1 Beijing calendar days; `PMS_SETTLEMENT_DAYS`).",
  pollWithdrawals:
    'Closes expired identity challenges, asks WeChat Pay about withdrawals on their way (resending one it never received), and watches paid ones for a bounce.',
  pollBankChanges: "Applies WeChat Pay's review decisions to settlement bank account changes in review.",
  reconcile:
    "Compares each bound merchant's ledger with WeChat Pay's trade bill, day by day up to yesterday (Beijing), and records MATCHED or MISMATCHED with every difference.",
  pollApplications:
    'Asks WeChat Pay about applications under review: keeps state moves, rejection reasons, signing links and verification instructions, and binds a finished one to its mini program.',
};

/** What payNotify's replies mean to WeChat Pay. */
const PAY_NOTIFY_REPLIES: Record<number, string> = {
  204: 'Applied, or applied before (a payment is credited once, however often it is notified): WeChat Pay stops sending it.',
  401: 'The signature did not verify, the timestamp is stale, or the resource could not be decrypted: nothing changed.',
  405: 'Not a POST.',
  500: 'Verified but not applied (a store failure): nothing changed, and WeChat Pay sends it again on its retry schedule.',
};

/** The local gateway's routes (cloudfunctions/local/gateway.ts). */
const GATEWAY_PURPOSES: Record<string, string> = {
  'GET /healthz': 'Liveness: `{ ok, mode, functions }`.',
  'POST /functions/:name':
    "Calls router function `name` with the JSON body as its event (`{ action, data, idempotencyKey }`); identity from `X-Wx-Openid`, `X-Wx-Appid` (and `X-Wx-From-Appid`). Answers the function's `{ ok, ... }` with status 200; an unknown function is 404 `GATEWAY.UNKNOWN_FUNCTION`.",
  'POST /files':
    "Local cloud storage for the app's uploads (cloudfunctions/local/uploads.ts): `wx.uploadFile`'s multipart/form-data with a `cloudPath` field (from `merchant.prepareDocumentUpload`, in the caller's own folder) and one file, at most 8 MB; identity from `X-Wx-Openid`, `X-Wx-Appid`. Answers `{ ok: true, data: { fileID } }`; a path outside the caller's folder is 403 `AUTH.FORBIDDEN`, no identity 401 `AUTH.NO_IDENTITY`.",
  'ANY /http/:name':
    'Calls HTTP-triggered function `name` (payNotify) with the raw body, as CloudBase HTTP access would, and answers with its status, headers and body.',
};

/** The WeChat Pay sandbox's routes (cloudfunctions/local/sandbox/): WeChat's own paths and the sandbox-only ones. */
const SANDBOX_PURPOSES: Record<string, string> = {
  // WeChat Pay API v3 (signed requests, signed answers)
  'POST /v3/pay/transactions/jsapi': 'JSAPI prepay for a direct merchant: answers `prepay_id`.',
  'POST /v3/pay/partner/transactions/jsapi':
    'JSAPI prepay for a sub-merchant (service-provider mode): answers `prepay_id`.',
  'GET /v3/pay/transactions/out-trade-no/:no': "A direct merchant's transaction by `out_trade_no` (`?mchid=`).",
  'GET /v3/pay/transactions/id/:id': "A direct merchant's transaction by WeChat Pay's `transaction_id` (`?mchid=`).",
  'GET /v3/pay/partner/transactions/out-trade-no/:no':
    "A sub-merchant's transaction by `out_trade_no` (`?sp_mchid=&sub_mchid=`).",
  'GET /v3/pay/partner/transactions/id/:id':
    "A sub-merchant's transaction by `transaction_id` (`?sp_mchid=&sub_mchid=`).",
  'POST /v3/pay/transactions/out-trade-no/:no/close': "Closes a direct merchant's unpaid order (204).",
  'POST /v3/pay/partner/transactions/out-trade-no/:no/close': "Closes a sub-merchant's unpaid order (204).",
  'POST /v3/refund/domestic/refunds': 'Requests a refund (answers PROCESSING; the outcome is notified).',
  'GET /v3/refund/domestic/refunds/:no': 'A refund by `out_refund_no` (`?sub_mchid=` in service-provider mode).',
  'GET /v3/certificates':
    'The platform certificates, each encrypted with the APIv3 key (`serial_no`, `effective_time`, `expire_time`, `encrypt_certificate`); the answer is signed.',
  'GET /sandbox/certificates':
    "The sandbox's platform certificates in force, with their serials and validity (certificate mode).",
  'POST /sandbox/certificates/rotate':
    'Issues a new platform certificate (`effective_in_seconds`) and keeps the old one valid for `overlap_seconds`, as WeChat Pay does in a change.',
  'GET /v3/bill/tradebill': "Applies for a day's trade bill: answers its `download_url`, hash and type.",
  'GET /v3/billdownload/file': 'Downloads a bill (the `download_url` of /v3/bill/tradebill; `?token=`).',
  'POST /v3/merchant/media/upload':
    'Uploads an image for an application (multipart, signed `meta`): answers `media_id`.',
  'POST /v3/applyment4sub/applyment/': 'Submits a sub-merchant application (sensitive fields RSA-OAEP encrypted).',
  'GET /v3/applyment4sub/applyment/business_code/:code': "An application's state by our `business_code`.",
  'GET /v3/applyment4sub/applyment/applyment_id/:id': "An application's state by WeChat Pay's `applyment_id`.",
  'POST /v3/apply4sub/sub_merchants/:sub/modify-settlement': "Submits a change of a sub-merchant's settlement account.",
  'GET /v3/apply4sub/sub_merchants/:sub/application/:no': 'The review state of a settlement account change.',
  'POST /v3/ecommerce/fund/withdraw': 'A sub-merchant withdrawal to its settlement account (platform collection).',
  'GET /v3/ecommerce/fund/withdraw/out-request-no/:no': 'A withdrawal by `out_request_no` (`?sub_mchid=`).',
  'GET /v3/ecommerce/fund/withdraw/:id': "A withdrawal by WeChat Pay's `withdraw_id` (`?sub_mchid=`).",
  'GET /v3/ecommerce/fund/balance/:sub':
    "A sub-merchant's balance as the sandbox sees it (everything received is available).",
  // Sandbox-only: the buyer, the reviewer, the bank, and the sandbox itself
  'GET /sandbox': "The sandbox's page: keys, sub-merchants and recent notifications.",
  'POST /sandbox/pay':
    'The buyer at the payment sheet: pays (`result: "SUCCESS"`, the default) or fails a prepay. Send the `params` of checkout `pay` plus the `appid` (the paySign is verified as the WeChat client would), or a bare `prepay_id`.',
  'POST /sandbox/refunds/:no': "Forces a refund's outcome by `out_refund_no`, as if WeChat Pay decided now.",
  'GET /sandbox/applyments/:ref':
    "An application's state by `business_code` (the application `id` of merchant actions).",
  'POST /sandbox/applyments/:ref/outcome':
    'The reviewer decides an application (by `business_code`): approve, reject with per-field reasons, require account confirmation or signing, or cancel.',
  'GET /sandbox/applyments/:ref/confirm': 'The account verification page of an application (by `applyment_id`).',
  'POST /sandbox/applyments/:ref/confirm': 'Confirms the account (by `applyment_id`): TO_BE_CONFIRMED -> TO_BE_SIGNED.',
  'GET /sandbox/applyments/:ref/sign':
    'The signing page of an application (by `applyment_id`; the `signUrl` of the review).',
  'POST /sandbox/applyments/:ref/sign':
    'Signs the agreement (by `applyment_id`): TO_BE_SIGNED -> SIGNING, then FINISHED after a delay.',
  'POST /sandbox/settlement/:no': 'The reviewer decides a settlement account change (by `application_no`).',
  'POST /sandbox/withdrawals/:id': 'The bank completes, fails or bounces a withdrawal now (by `withdraw_id`).',
  'POST /sandbox/bank': 'How the bank treats withdrawals from now on: `succeed` (the default) or `fail`.',
  'GET /sandbox/notifications':
    'Every notification the sandbox sent, newest first, with each attempt and reply (`?ref=order:<no>|refund:<no>&state=&limit=`).',
  'POST /sandbox/sub-merchants':
    'Creates a sub-merchant directly (tests; onboarding creates them through applications).',
  'GET /sandbox/sub-merchants/:sub': 'A sub-merchant with its balance.',
  'POST /sandbox/tick': 'Applies every transition and starts every notification due now, and waits for them.',
};

/**
 * Inputs whose schema leaves a field open (a `z.record`) because the use case
 * checks it field by field: the types that say what it holds.
 */
const OPEN_INPUTS: Record<string, { note: string; file: string; types: string[] }> = {
  'merchant.saveStep': {
    note: "`data` holds the fields of `step`, as typed below; every field may wait while the draft is edited, and `merchant.getApplication`'s `problems` lists what submitting would still refuse. Codes and catalogues (industries, banks, certificate types) are those of `merchant.onboardingIntro`.",
    file: 'typings/onboarding.d.ts',
    types: ['StepData', 'SubjectStep', 'IdentityStep', 'ContactStep', 'BusinessStep', 'BankStep'],
  },
};

/** The files whose route registrations make the gateway and the sandbox. */
const GATEWAY_FILES = ['cloudfunctions/local/gateway.ts', 'cloudfunctions/local/uploads.ts'];
const SANDBOX_DIR = 'cloudfunctions/local/sandbox';
const CONSOLE_DIR = 'cloudfunctions/local/console';

export interface ApiDocs {
  markdown: string;
  /** Declarations the reference cannot describe; the test fails on any. */
  problems: string[];
  /** The gateway's and the sandbox's routes as read from their registrations: `METHOD /path`. */
  routes: string[];
  counts: {
    functions: number;
    routerFunctions: number;
    actions: number;
    idempotentActions: number;
    adminOnlyActions: number;
    jobs: number;
    gatewayRoutes: number;
    sandboxWechatRoutes: number;
    sandboxOnlyRoutes: number;
    errorCodes: number;
  };
}

interface RuntimeAction {
  roles: string[];
  input: unknown;
  idempotent?: boolean;
  allowThirdParty?: boolean;
}

interface RouterDoc {
  name: string;
  dir: string;
  description: string;
  timeout?: number;
  actions: Array<ActionSource & { spec: RuntimeAction; source: string }>;
}

// ---- markdown helpers -------------------------------------------------------------------------

const code = (text: string): string => {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
};
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** GitHub's heading anchor. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
const errorAnchor = (c: string): string => `err-${c.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
const errorLink = (c: string): string => `[${c}](#${errorAnchor(c)})`;
const fileLink = (file: string): string => `[${file}](../${file})`;

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function resultText(result: ResultType): string {
  if (result.refs.length === 1 && result.refs[0].name === result.text)
    return `${code(result.text)} (${fileLink(result.refs[0].file)})`;
  const refs = result.refs.map((r) => `${code(r.name)}: ${fileLink(r.file)}`);
  return refs.length > 0 ? `${code(result.text)} (${refs.join(', ')})` : code(result.text);
}

const sourceLink = (file: string): string => `[${file.split('/').pop()}](../${file})`;

/** The router codes of an action, the ones every action shares summed up. */
function routerText(spec: RuntimeAction): string {
  const codes = routerCodes(spec);
  const common = [...ALWAYS, ...(spec.allowThirdParty ? [] : ['AUTH.THIRD_PARTY_PLATFORM'])];
  const rest = codes.filter((c) => !common.includes(c));
  return [`[the ${common.length} common codes](#router-errors)`, ...rest.map(errorLink)].join(', ');
}

function rolesText(roles: string[]): string {
  if (roles.includes('buyer') && roles.includes('admin')) return 'anyone (buyer or merchant admin)';
  if (roles.length === 1 && roles[0] === 'admin') return 'the merchant admin only';
  return roles.join(', ');
}

function inputRows(rows: FieldRow[]): string[][] {
  return rows.map((r) => [code(r.field), r.type, r.required, r.rules.join('; ')]);
}

/** The router codes that apply to one action, given its declaration. */
function routerCodes(spec: RuntimeAction): string[] {
  const codes = [...ALWAYS];
  if (!spec.allowThirdParty) codes.push('AUTH.THIRD_PARTY_PLATFORM');
  if (!spec.roles.includes('buyer')) codes.push('AUTH.FORBIDDEN');
  if (spec.idempotent)
    codes.push('INPUT.IDEMPOTENCY_KEY_REQUIRED', 'INPUT.IDEMPOTENCY_KEY_REUSED', 'INPUT.IDEMPOTENCY_IN_PROGRESS');
  return codes.sort();
}

function loadRuntime(file: string, exportName: string): Record<string, RuntimeAction> {
  // The declared table itself: its zod schemas, roles and flags as the router sees them.
  const mod = require(file) as Record<string, Record<string, RuntimeAction>>;
  const table = mod[exportName];
  if (!table) throw new Error(`${rel(file)} does not export ${exportName}`);
  return table;
}

function readConfig(dir: string): {
  timeout?: number;
  triggers?: Array<{ type: string; config: string }>;
  httpTrigger?: { path: string };
} {
  const file = path.join(ROOT, 'cloudfunctions', dir, 'config.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

// ---- the generator --------------------------------------------------------------------------

export function generateApiDocs(): ApiDocs {
  const problems: string[] = [];
  const fnDirs = fs
    .readdirSync(path.join(ROOT, 'cloudfunctions'))
    .filter((d) => fs.existsSync(path.join(ROOT, 'cloudfunctions', d, 'index.ts')))
    .filter((d) => fs.existsSync(path.join(ROOT, 'cloudfunctions', d, 'config.json')))
    .sort();
  const sandboxFiles = Source.tsFiles(SANDBOX_DIR);
  const source = new Source([
    ...fnDirs.map((d) => path.join(ROOT, 'cloudfunctions', d, 'index.ts')),
    ...GATEWAY_FILES.map((f) => path.join(ROOT, f)),
    ...sandboxFiles.map((f) => path.join(ROOT, f)),
    path.join(ROOT, 'miniprogram/shared/errors/index.ts'),
  ]);

  // ---- router functions and their actions
  const routers: RouterDoc[] = [];
  for (const dir of fnDirs) {
    const found = source.router(dir);
    if (!found) continue;
    const doc: RouterDoc = { name: found.name, dir, description: found.description, actions: [] };
    doc.timeout = readConfig(dir).timeout;
    for (const t of found.tables) {
      const runtime = loadRuntime(t.file, t.exportName);
      const declared = t.actions.map((a) => a.name);
      if (JSON.stringify(Object.keys(runtime)) !== JSON.stringify(declared))
        problems.push(
          `${rel(t.file)} ${t.exportName}: the source lists ${declared} but the module exports ${Object.keys(runtime)}`,
        );
      for (const a of t.actions) {
        if (doc.actions.some((b) => b.name === a.name))
          problems.push(`${found.name}.${a.name} is declared twice (a later table overrides an earlier one)`);
        doc.actions.push({ ...a, spec: runtime[a.name], source: rel(t.file) });
      }
    }
    routers.push(doc);
  }

  // ---- router errors, checked against what the router can construct
  const routerFound = source.codesFrom(source.exportedFunction('cloudfunctions/core/runtime/main.ts', 'createMain'));
  for (const c of routerFound)
    if (!ROUTER_CONDITIONS[c])
      problems.push(`the router can answer ${c}: add when it does to ROUTER_CONDITIONS in scripts/api-docs.ts`);
  for (const c of Object.keys(ROUTER_CONDITIONS))
    if (!routerFound.includes(c))
      problems.push(`ROUTER_CONDITIONS in scripts/api-docs.ts names ${c}, which the router no longer answers`);

  // ---- the envelope: eventSchema's own source, evaluated with zod (it refers to nothing else)
  const eventSource = source.constInitializer('cloudfunctions/core/runtime/main.ts', 'eventSchema');
  let eventSchema: unknown;
  try {
    eventSchema = new Function('z', `return (${eventSource});`)(z);
  } catch (err) {
    problems.push(`eventSchema in core/runtime/main.ts could not be evaluated on its own: ${(err as Error).message}`);
    eventSchema = z.object({});
  }
  const envelope = describeInput(eventSchema);
  const keyShape = (eventSchema as { shape?: Record<string, unknown> }).shape?.idempotencyKey;
  const key = keyShape ? stringLimits(keyShape) : {};

  // ---- jobs, payNotify
  const jobsDir = fnDirs.find((d) => readConfig(d).triggers?.some((t) => t.type === 'timer'));
  const jobSources = jobsDir === 'jobs' ? source.jobs() : [];
  const jobRuntime = jobsDir
    ? (require(path.join(ROOT, 'cloudfunctions/jobs/registry.ts')) as { jobs: Record<string, { everyMs: number }> })
        .jobs
    : {};
  for (const j of jobSources)
    if (!JOB_PURPOSES[j.name]) problems.push(`job ${j.name}: add its purpose to JOB_PURPOSES in scripts/api-docs.ts`);
  for (const name of Object.keys(JOB_PURPOSES))
    if (!jobSources.some((j) => j.name === name)) problems.push(`JOB_PURPOSES names ${name}, which is no longer a job`);
  const jobsMainCodes = jobsDir
    ? source.codesFrom(source.exportedFunction(`cloudfunctions/${jobsDir}/index.ts`, 'main'))
    : [];

  const httpDirs = fnDirs.filter((d) => readConfig(d).httpTrigger);
  const httpReplies = new Map<string, HttpReply[]>();
  for (const d of httpDirs) {
    const replies = source.httpReplies(source.exportedFunction(`cloudfunctions/${d}/index.ts`, 'main'));
    httpReplies.set(d, replies);
    if (d === 'payNotify') {
      for (const r of replies)
        if (!PAY_NOTIFY_REPLIES[r.status]) problems.push(`payNotify replies ${r.status}: add it to PAY_NOTIFY_REPLIES`);
      for (const s of Object.keys(PAY_NOTIFY_REPLIES))
        if (!replies.some((r) => r.status === Number(s)))
          problems.push(`PAY_NOTIFY_REPLIES names ${s}, which payNotify no longer replies`);
    }
  }
  // Walked for the reachability check below: HTTP functions' own codes (none today) and the gateway's.
  for (const d of httpDirs) source.codesFrom(source.exportedFunction(`cloudfunctions/${d}/index.ts`, 'main'));
  const gatewayCodes = source.codesFrom(source.exportedFunction('cloudfunctions/local/gateway.ts', 'createGateway'));

  // ---- routes
  const purpose = (table: Record<string, string>, name: string, r: Route): string => {
    const text = table[`${r.method} ${r.path}`];
    if (!text)
      problems.push(`${r.method} ${r.path} (${r.file}:${r.line}): add its purpose to ${name} in scripts/api-docs.ts`);
    return text ?? '';
  };
  const gatewayRoutes = source.routes(GATEWAY_FILES);
  const sandboxRoutes = source
    .routes(sandboxFiles)
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const [table, name, routes] of [
    [GATEWAY_PURPOSES, 'GATEWAY_PURPOSES', gatewayRoutes],
    [SANDBOX_PURPOSES, 'SANDBOX_PURPOSES', sandboxRoutes],
  ] as const) {
    for (const k of Object.keys(table))
      if (!routes.some((r) => `${r.method} ${r.path}` === k))
        problems.push(`${name} names ${k}, which is no longer registered`);
  }

  // ---- error catalogue and the reachability check
  const catalogue = source.catalogue().filter((e) => e.server);
  const unreached = source.unreachedSites();
  for (const site of unreached)
    problems.push(
      `AppError at ${site} is not reachable from any action, job, HTTP function, the router or the gateway by direct references (called through an interface?): the reference would not list it`,
    );
  const answeredBy = new Map<string, string[]>();
  const note = (c: string, by: string) => answeredBy.set(c, [...(answeredBy.get(c) ?? []), by]);
  for (const r of routers)
    for (const a of r.actions)
      for (const c of a.codes) if (!routerCodes(a.spec).includes(c)) note(c, `${r.name}.${a.name}`);
  for (const c of Object.keys(ROUTER_CONDITIONS)) note(c, 'the router');
  for (const c of jobsMainCodes) note(c, 'jobs (called with an identity)');
  for (const j of jobSources) for (const c of j.codes) note(c, `job ${j.name} (logged)`);
  for (const c of gatewayCodes) note(c, 'the local gateway');
  const known = new Set(catalogue.map((e) => e.code));
  for (const r of routers)
    for (const a of r.actions)
      for (const c of a.codes)
        if (!known.has(c)) problems.push(`${r.name}.${a.name} answers ${c}, which the catalogue does not declare`);

  for (const name of Object.keys(OPEN_INPUTS))
    if (!routers.some((r) => r.actions.some((a) => `${r.name}.${a.name}` === name)))
      problems.push(`OPEN_INPUTS in scripts/api-docs.ts names ${name}, which is no longer an action`);

  // ---- markdown
  const actionCount = routers.reduce((n, r) => n + r.actions.length, 0);
  const idempotentCount = routers.reduce((n, r) => n + r.actions.filter((a) => a.spec.idempotent).length, 0);
  const adminOnly = routers.reduce((n, r) => n + r.actions.filter((a) => !a.spec.roles.includes('buyer')).length, 0);
  const sandboxOnly = sandboxRoutes.filter((r) => !r.path.startsWith('/v3/'));
  const counts: ApiDocs['counts'] = {
    functions: fnDirs.length,
    routerFunctions: routers.length,
    actions: actionCount,
    idempotentActions: idempotentCount,
    adminOnlyActions: adminOnly,
    jobs: jobSources.length,
    gatewayRoutes: gatewayRoutes.length,
    sandboxWechatRoutes: sandboxRoutes.length - sandboxOnly.length,
    sandboxOnlyRoutes: sandboxOnly.length,
    errorCodes: catalogue.length,
  };

  const out: string[] = [];
  const p = (...lines: string[]) => out.push(...lines, '');
  p(
    '# API reference',
    `<!-- Generated by \`${COMMAND}\` (scripts/api-docs.ts) from the declarations. Do not edit: test/docs/api-docs.test.ts fails when this file is stale. -->`,
  );
  p(
    `${counts.functions} cloud functions: ${routers.length} router functions (${routers.map((r) => code(r.name)).join(', ')}) with ${actionCount} actions (${idempotentCount} take an idempotency key, ${adminOnly} are for the merchant admin only), ${jobsDir ? `${code(jobsDir)} with ${jobSources.length} background jobs, ` : ''}${httpDirs.map(code).join(', ')} behind an HTTP trigger. Locally, the gateway serves them (${gatewayRoutes.length} routes) and the WeChat Pay sandbox answers ${counts.sandboxWechatRoutes} of WeChat Pay's own paths and ${sandboxOnly.length} sandbox-only ones. ${catalogue.length} error codes.`,
  );
  p(
    '- [Calling a function](#calling-a-function)',
    '- [Actions at a glance](#actions-at-a-glance)',
    ...routers.map((r) => `- [${r.name}](#${anchor(r.name)})`),
    ...(jobsDir ? [`- [${jobsDir} (timer)](#${anchor(`${jobsDir} (timer)`)})`] : []),
    ...httpDirs.map((d) => `- [${d} (HTTP trigger)](#${anchor(`${d} (HTTP trigger)`)})`),
    '- [Local gateway](#local-gateway)',
    '- [WeChat Pay sandbox](#wechat-pay-sandbox)',
    '- [Error codes](#error-codes)',
  );

  // ---- calling
  p('## Calling a function');
  p(
    'A router function takes one event, the **envelope**, and answers `{ ok: true, data }` or `{ ok: false, error }`. The mini program sends it with `wx.cloud.callFunction({ name, data: <envelope> })` (`miniprogram/services/transport.ts`); locally, `POST /functions/<name>` on the gateway takes it as the JSON body:',
  );
  p(
    '```sh',
    "curl -s localhost:8787/functions/checkout -H 'content-type: application/json' \\",
    "  -H 'x-wx-openid: o_buyer' -H 'x-wx-appid: wxd0c0ffee5a1e5a1e' \\",
    `  -d '{"action":"createOrder","data":{"items":[{"productId":"<id>","quantity":1}]},"idempotencyKey":"order-7f3a9c21"}'`,
    '```',
  );
  p(`The envelope (\`eventSchema\` in ${fileLink('cloudfunctions/core/runtime/main.ts')}):`);
  p(table(['Field', 'Type', 'Required', 'Limits'], inputRows(envelope.rows)));
  p(
    "- **`data`** carries the action's input (its table below). Leave it out, or send `{}`, for an action that takes none. Inputs are strict: a field the action does not declare is refused with `INPUT.INVALID`.",
    `- **\`idempotencyKey\`** (${key.min ?? '?'}-${key.max ?? '?'} characters of ${code(key.pattern?.replace(/^\^|\+\$$/g, '') ?? '?')}) is required by the actions marked *idempotent* and ignored by the others. Make one key per **intent** (this order, this refund, this withdrawal) and send the **same key with the same data for every retry** of it: the first call's result is recorded, and a retry gets that result back instead of acting twice. The key belongs to the caller, the function and the action; the same key with different \`data\` is refused (\`INPUT.IDEMPOTENCY_KEY_REUSED\`), a retry while the first call still runs gets \`INPUT.IDEMPOTENCY_IN_PROGRESS\`, and a call that was refused or failed records nothing, so retrying it with its key runs it again.`,
    "- **Identity** never travels in the event: CloudBase supplies the caller's OPENID and APPID from WeChat; the local gateway takes them from the `X-Wx-Openid` and `X-Wx-Appid` headers (accepted only by the local gateway, on loopback).",
    "- **Roles**: the mini program's *merchant admin* (listed in its registration record, or claimed once with its setup code: `merchant.claimAdmin`) and *buyers* (everyone else). Each action lists who may call it.",
  );
  p(
    `The answer (${fileLink('typings/api.d.ts')}); \`code\` is stable and the app switches on it, \`message\` is English for developers:`,
  );
  p(
    '```ts',
    source.declarationText('typings/api.d.ts', 'ApiResult'),
    '',
    source.declarationText('typings/api.d.ts', 'ApiError'),
    '```',
  );
  p(
    `<a id="router-errors"></a>What the router itself answers, before or around any action (${fileLink('cloudfunctions/core/runtime/main.ts')}):`,
  );
  p(
    table(
      ['Code', 'When'],
      Object.keys(ROUTER_CONDITIONS)
        .filter((c) => routerFound.includes(c))
        .map((c) => [errorLink(c), ROUTER_CONDITIONS[c]]),
    ),
  );
  p(
    `Each action's **Errors** list first **its own**: every code its handler can answer with, found by following its call graph through the use cases in \`cloudfunctions/core\` (each \`new AppError('<code>', ...)\` it can reach; a code caught and handled on the way is still listed). Then the router's: the ${ALWAYS.length + 1} common codes every action can answer with (${[...ALWAYS, 'AUTH.THIRD_PARTY_PLATFORM'].sort().map(errorLink).join(', ')}), plus \`AUTH.FORBIDDEN\` for admin-only actions and the three idempotency codes for idempotent ones.`,
  );

  // ---- at a glance
  p('## Actions at a glance');
  p(
    table(
      ['Action', 'Who', 'Idempotent', 'Result'],
      routers.flatMap((r) =>
        r.actions.map((a) => [
          `[${r.name}.${a.name}](#${anchor(`${r.name}.${a.name}`)})`,
          a.spec.roles.includes('buyer') ? 'anyone' : 'admin',
          a.spec.idempotent ? 'yes' : '',
          code(a.result.text),
        ]),
      ),
    ),
  );

  // ---- each router function
  for (const r of routers) {
    p(`## ${r.name}`);
    p(
      `${r.description} Declared in ${[...new Set(r.actions.map((a) => a.source))].map(fileLink).join(', ')}; served by ${fileLink(`cloudfunctions/${r.dir}/index.ts`)}${r.timeout ? ` (timeout ${r.timeout} s in CloudBase)` : ''}.`,
    );
    for (const a of r.actions) {
      const input = describeInput(a.spec.input);
      const own = a.codes.filter((c) => !routerCodes(a.spec).includes(c));
      p(`### ${r.name}.${a.name}`);
      if (a.description) p(a.description);
      p(
        `- **Who**: ${rolesText(a.spec.roles)}${a.spec.allowThirdParty ? '; also on behalf of a third-party platform' : ''}`,
        `- **Idempotent**: ${a.spec.idempotent ? 'yes, `idempotencyKey` required' : 'no'}`,
        `- **Result**: ${resultText(a.result)}`,
        `- **Errors**: ${own.length > 0 ? own.map(errorLink).join(', ') : 'none of its own'}; from the router: ${routerText(a.spec)}`,
        ...(a.useCases.length > 0 ? [`- **Runs**: ${a.useCases.map(code).join(', ')}`] : []),
      );
      if (input.rows.length === 0) p('**Input**: none (`data` omitted or `{}`).');
      else {
        p('**Input** (`data`):');
        p(table(['Field', 'Type', 'Required', 'Limits'], inputRows(input.rows)));
        if (input.notes.length > 0) p(...input.notes.map((n) => `- ${n}`));
        const open = OPEN_INPUTS[`${r.name}.${a.name}`];
        if (open) {
          p(open.note);
          p('```ts', open.types.map((t) => source.declarationText(open.file, t)).join('\n\n'), '```');
        } else if (input.rows.some((row) => row.type.startsWith('object of')))
          problems.push(
            `${r.name}.${a.name} takes an open object (z.record): say what it holds in OPEN_INPUTS in scripts/api-docs.ts`,
          );
      }
      if (!input.strict) p('Fields it does not declare are dropped rather than refused.');
    }
  }

  // ---- jobs
  if (jobsDir) {
    const config = readConfig(jobsDir);
    const timers = (config.triggers ?? []).filter((t) => t.type === 'timer').map((t) => code(t.config));
    p(`## ${jobsDir} (timer)`);
    p(
      `${source.headerComment(`cloudfunctions/${jobsDir}/index.ts`)}`,
      '',
      `In CloudBase its timer trigger (${timers.join(', ')}, ${fileLink(`cloudfunctions/${jobsDir}/config.json`)}) runs every job once a minute; \`npm start\` runs each on its own interval, divided by \`JOB_TIME_SCALE\`. A job's result is logged; a failed job is logged with a correlation id and answers \`{ error: 'failed', correlationId }\` in the results. Called with a WeChat identity it answers ${jobsMainCodes.map(errorLink).join(', ')} and runs nothing.`,
    );
    p('The event (all jobs when empty):');
    p('```ts', source.declarationText(`cloudfunctions/${jobsDir}/index.ts`, 'JobEvent'), '```');
    p(
      table(
        ['Job', 'Local interval', 'What it does', 'Use case', 'Result'],
        jobSources.map((j) => [
          code(j.name),
          `${(jobRuntime[j.name]?.everyMs ?? 0) / 1000} s`,
          JOB_PURPOSES[j.name] ?? '',
          `${code(j.useCase)} (${fileLink(j.file)})`,
          resultText(j.result),
        ]),
      ),
    );
  }

  // ---- HTTP functions
  for (const d of httpDirs) {
    const config = readConfig(d);
    p(`## ${d} (HTTP trigger)`);
    p(
      d === 'payNotify'
        ? source.headerComment('cloudfunctions/core/payments/notifications.ts')
        : source.headerComment(`cloudfunctions/${d}/index.ts`),
      '',
      `Path ${code(config.httpTrigger?.path ?? '')} through CloudBase HTTP access (${fileLink(`cloudfunctions/${d}/config.json`)}); locally \`POST /http/${d}\` on the gateway, which is the notify URL the sandbox is given. WeChat Pay sends \`Wechatpay-Signature\`, \`Wechatpay-Timestamp\`, \`Wechatpay-Nonce\` and \`Wechatpay-Serial\` headers and a JSON body whose \`resource\` is AES-256-GCM encrypted; the reply's status is all WeChat Pay reads.`,
    );
    p(
      table(
        ['Status', 'Body message', 'Meaning'],
        (httpReplies.get(d) ?? []).map((r) => [
          String(r.status),
          r.message ? code(r.message) : '(empty)',
          d === 'payNotify' ? (PAY_NOTIFY_REPLIES[r.status] ?? '') : '',
        ]),
      ),
    );
  }

  // ---- gateway
  p('## Local gateway');
  p(
    `\`npm start\` (local mode only) serves the functions on \`http://127.0.0.1:8787\` (\`PORT\`), from ${fileLink('cloudfunctions/local/gateway.ts')}. It answers only requests addressed to \`127.0.0.1\` or \`localhost\` (anything else: 403 ${gatewayCodes
      .filter((c) => c.includes('HOST'))
      .map(errorLink)
      .join(', ')}).`,
  );
  p(
    table(
      ['Method', 'Path', 'What it does'],
      gatewayRoutes.map((r) => [r.method, code(r.path), purpose(GATEWAY_PURPOSES, 'GATEWAY_PURPOSES', r)]),
    ),
  );
  if (fs.existsSync(path.join(ROOT, CONSOLE_DIR)))
    p(
      `Under \`npm start\` it also serves the local console at \`/console\` (${fileLink(CONSOLE_DIR)}): pages for people rather than an API.`,
    );

  // ---- sandbox
  p('## WeChat Pay sandbox');
  p(
    `The local WeChat Pay v3 sandbox (${fileLink(`${SANDBOX_DIR}/server.ts`)}) on \`http://127.0.0.1:8788\` (\`SANDBOX_PORT\`), listed from its route registrations. WeChat's own \`/v3\` paths behave as WeChat Pay documents them: every request must carry a valid merchant signature (\`Authorization: WECHATPAY2-SHA256-RSA2048 ...\`) and every answer is signed with the sandbox's platform key; keys and ids are generated under \`.data/\` at first start, so any v3 SDK can be pointed at it. \`SANDBOX_TIME_SCALE\` speeds up its delays and notification retries; \`SANDBOX_REVIEW=manual\` leaves applications in review until the reviewer decides.`,
  );
  p('### WeChat Pay API v3 paths');
  p(
    table(
      ['Method', 'Path', 'What it does', 'Source'],
      sandboxRoutes
        .filter((r) => r.path.startsWith('/v3/'))
        .map((r) => [r.method, code(r.path), purpose(SANDBOX_PURPOSES, 'SANDBOX_PURPOSES', r), sourceLink(r.file)]),
    ),
  );
  p('### Sandbox-only endpoints');
  p(
    'They stand in for the buyer, the reviewer and the bank, and need no signature. JSON bodies as the handler checks them:',
  );
  p(
    table(
      ['Method', 'Path', 'What it does', 'Body', 'Source'],
      sandboxOnly.map((r) => [
        r.method,
        code(r.path),
        purpose(SANDBOX_PURPOSES, 'SANDBOX_PURPOSES', r),
        bodyText(r, problems),
        sourceLink(r.file),
      ]),
    ),
  );

  // ---- errors
  p('## Error codes');
  p(
    `Declared once, per area, in ${fileLink('miniprogram/shared/errors/index.ts')} with a category and the \`details\` each carries; the app's messages are keyed by code. "Answered by" is the static analysis above: the router, the actions, the jobs function, the gateway, and the jobs themselves (a job's error is logged, not answered).`,
  );
  p(
    table(
      ['Code', 'Category', 'Details', 'Answered by'],
      catalogue.map((e: CatalogueEntry) => [
        `<a id="${errorAnchor(e.code)}"></a>${code(e.code)}${e.description ? ` ${e.description}` : ''}`,
        e.category,
        e.details ? code(e.details) : '',
        (answeredBy.get(e.code) ?? []).join(', ') || 'nothing constructs it',
      ]),
    ),
  );

  return {
    markdown: `${out.join('\n').trimEnd()}\n`,
    problems,
    routes: [...gatewayRoutes, ...sandboxRoutes].map((r) => `${r.method} ${r.path}`),
    counts,
  };
}

function bodyText(r: Route, problems: string[]): string {
  if (r.method === 'GET') return '';
  if (!r.body) return '';
  if ('type' in r.body) return code(r.body.type);
  try {
    return code(shapeOf(new Function('z', `return (${r.body.zod});`)(z)));
  } catch (err) {
    problems.push(
      `${r.method} ${r.path}: its body schema could not be evaluated on its own (${(err as Error).message})`,
    );
    return '';
  }
}

// ---- command line ------------------------------------------------------------------------------

if (require.main === module) {
  const check = process.argv.includes('--check');
  const { markdown, problems, counts } = generateApiDocs();
  for (const problem of problems) console.error(`api-docs: ${problem}`);
  const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
  if (check) {
    if (current !== markdown) console.error(`${rel(OUTPUT)} is stale: run \`${COMMAND}\``);
    process.exit(current === markdown && problems.length === 0 ? 0 : 1);
  }
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  if (current !== markdown) fs.writeFileSync(OUTPUT, markdown);
  console.log(`${rel(OUTPUT)}: ${current === markdown ? 'unchanged' : 'written'} (${JSON.stringify(counts)})`);
  process.exit(problems.length === 0 ? 0 : 1);
}
