// Claiming the merchant admin role with a setup code: codes per mini program,
// single use, refused where the registration lists admins, 128 bits in cloud
// mode, and attempts rate limited per caller and per mini program, counted
// atomically before any code is compared. Through the real merchant function
// on SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../cloudfunctions/merchant';
import {
  DEMO_APPID,
  ensureLocalSetupCodes,
  loadConfig,
  type MiniProgramRecord,
  SETUP_CODES_FILE,
} from '../../cloudfunctions/core/config';
import { createLogger } from '../../cloudfunctions/core/runtime/log';
import { CLAIM_LIMITS, type ClaimAttemptsDoc } from '../../cloudfunctions/core/merchants/admin-claim';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import { call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import type { ApiResult, MerchantStatus } from '../../typings/api';

const A = 'wx_a_000000000000001';
const B = 'wx_b_000000000000002';
const C = 'wx_c_000000000000003';
const CODE_A = 'alpha-7Qm2';
const CODE_B = 'bravo-9Zk4';
const CODE_C = 'charlie-3Xp8';

function record(appid: string, extra: Partial<MiniProgramRecord> = {}): MiniProgramRecord {
  return {
    appid,
    name: `Shop ${appid}`,
    entity: { name: 'Shenzhen Demo Tea Co., Ltd.', creditCode: '91440300MA5FXT4K8N', domestic: true },
    thirdPartyPlatform: false,
    admins: [],
    ...extra,
  };
}

const user = (appid: string, openid: string): Identity => ({ appid, openid });
const roleOf = async (who: Identity) => (await ok<MerchantStatus>(call(main, who, 'getStatus'))).role;
const claim = (who: Identity, code: string) => call(main, who, 'claimAdmin', { code });

let deps: TestDeps;
let logLines: string[];

/** Registers A and B (no admins, each its own code) and C (an admin configured, and a code). */
async function setup(mode: 'local' | 'cloud' = 'local', records?: MiniProgramRecord[]): Promise<void> {
  const config = loadConfig({
    PMS_MODE: mode,
    PMS_MINI_PROGRAMS: JSON.stringify(
      records ?? [
        record(A, { setupCode: CODE_A }),
        record(B, { setupCode: CODE_B }),
        record(C, { admins: ['o_c_admin'], setupCode: CODE_C }),
      ],
    ),
  });
  deps = await testDeps({ mode, miniPrograms: config.miniPrograms, setupCodeProblems: config.setupCodeProblems });
  logLines = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  deps.log = createLogger({ level: 'info', destination: sink });
}

afterEach(async () => {
  await deps?.close();
});

const codes = (results: Array<ApiResult<unknown>>) =>
  results.reduce<Record<string, number>>((n, r) => {
    const code = r.ok ? 'OK' : r.error.code;
    n[code] = (n[code] ?? 0) + 1;
    return n;
  }, {});

describe('codes are per mini program', () => {
  beforeEach(() => setup());

  test("A's code cannot claim B; B's own code can, and A's still works for A", async () => {
    const attacker = user(B, 'o_attacker');
    expect((await errorOf(claim(attacker, CODE_A))).code).toBe('AUTH.SETUP_CODE_INVALID');
    expect(await roleOf(attacker)).toBe('buyer');
    expect(await deps.store.get('admins', B)).toBeNull();

    await ok(claim(user(B, 'o_b_owner'), CODE_B));
    expect(await roleOf(user(B, 'o_b_owner'))).toBe('admin');
    await ok(claim(user(A, 'o_a_owner'), CODE_A));
    expect(await roleOf(user(A, 'o_a_owner'))).toBe('admin');
  });

  test('a mini program whose registration lists admins refuses every claim, its own code included, and counts nothing', async () => {
    for (const code of [CODE_A, CODE_C, 'whatever']) {
      const err = await errorOf(claim(user(C, 'o_attacker'), code));
      expect(err.code).toBe('AUTH.ADMINS_CONFIGURED');
    }
    expect(await deps.store.get('admins', C)).toBeNull();
    expect(await deps.store.count('claimAttempts')).toBe(0);
    expect(await roleOf(user(C, 'o_c_admin'))).toBe('admin');
  });

  test('a claim recorded for a mini program with configured admins (the old hole) gives nothing', async () => {
    await deps.store.insert('admins', {
      _id: C,
      appid: C,
      openid: 'o_attacker',
      claimedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(await roleOf(user(C, 'o_attacker'))).toBe('buyer');
  });

  test('a mini program with no code (and no admins) cannot be claimed', async () => {
    await deps.close();
    await setup('local', [record(A)]);
    expect((await errorOf(claim(user(A, 'o_someone'), '246810'))).code).toBe('AUTH.SETUP_CODE_DISABLED');
  });

  test('PMS_SETUP_CODE only ever sets the local demo code', () => {
    const local = loadConfig({
      PMS_MODE: 'local',
      PMS_SETUP_CODE: '246810',
      PMS_MINI_PROGRAMS: JSON.stringify([record(A)]),
    });
    expect(local.miniPrograms[DEMO_APPID].setupCode).toBe('246810');
    expect(local.miniPrograms[A].setupCode).toBeUndefined();
    const cloud = loadConfig({
      PMS_MODE: 'cloud',
      PMS_SETUP_CODE: 'Zm9vYmFyYmF6cXV4cXV1eHF1dXg',
      PMS_MINI_PROGRAMS: JSON.stringify([record(A)]),
    });
    expect(cloud.miniPrograms[A].setupCode).toBeUndefined();
    expect(cloud.setupCodeProblems.PMS_SETUP_CODE).toMatch(/ignored in cloud mode/);
  });

  test('one code configured for two mini programs is refused for both', () => {
    const config = loadConfig({
      PMS_MODE: 'local',
      PMS_MINI_PROGRAMS: JSON.stringify([record(A, { setupCode: CODE_A }), record(B, { setupCode: CODE_A })]),
    });
    expect(config.miniPrograms[A].setupCode).toBeUndefined();
    expect(config.miniPrograms[B].setupCode).toBeUndefined();
    expect(config.setupCodeProblems[A]).toMatch(/each mini program needs its own/);
    expect(JSON.stringify(config.setupCodeProblems)).not.toContain(CODE_A);
  });
});

describe('a claim spends the code', () => {
  beforeEach(() => setup());

  test('a second user, and the same user again, are refused; what is stored names who and where, never the code', async () => {
    const owner = user(A, 'o_a_owner');
    expect(await ok(claim(owner, CODE_A))).toEqual({ role: 'admin' });
    expect((await errorOf(claim(owner, CODE_A))).code).toBe('AUTH.ADMIN_ALREADY_CLAIMED');
    expect((await errorOf(claim(user(A, 'o_second'), CODE_A))).code).toBe('AUTH.ADMIN_ALREADY_CLAIMED');
    expect(await roleOf(user(A, 'o_second'))).toBe('buyer');

    const doc = await deps.store.get('admins', A);
    expect(doc).toMatchObject({
      _id: A,
      appid: A,
      openid: 'o_a_owner',
      claimedAt: deps.clock.now().toISOString(),
      via: 'setup-code',
    });
    const stored = JSON.stringify([doc, (await deps.store.find('claimAttempts')).items]);
    expect(stored).not.toContain(CODE_A);
    expect(logLines.join('')).not.toContain(CODE_A);
  });

  test('two users racing with the right code: exactly one becomes admin', async () => {
    const results = await Promise.all([claim(user(A, 'o_one'), CODE_A), claim(user(A, 'o_two'), CODE_A)]);
    expect(codes(results)).toEqual({ OK: 1, 'AUTH.ADMIN_ALREADY_CLAIMED': 1 });
  });
});

describe('cloud mode needs 128-bit codes', () => {
  const strong64 = 'q3xY-7_kZr0bN5aVt2LmWe'; // 22 base64url characters: 132 bits
  const strongHex = '9f86d081884c7d659a2feaa0c55ad015'; // 32 hex digits: 128 bits

  test('short codes are refused at load with a reason that does not quote them', () => {
    const weak = {
      [A]: '246810',
      [B]: strong64.slice(0, 21),
      [C]: strongHex.slice(0, 31),
      wx_d: '12345678901234567890123456789012345678', // 38 digits: 126 bits
      wx_e: 'not base64url but long enough to pass!!',
    };
    const config = loadConfig({
      PMS_MODE: 'cloud',
      PMS_MINI_PROGRAMS: JSON.stringify([
        ...Object.entries(weak).map(([appid, setupCode]) => record(appid, { setupCode })),
        record('wx_ok1', { setupCode: strong64 }),
        record('wx_ok2', { setupCode: strongHex }),
      ]),
    });
    for (const [appid, code] of Object.entries(weak)) {
      expect(config.miniPrograms[appid].setupCode).toBeUndefined();
      expect(config.setupCodeProblems[appid]).toBeDefined();
      expect(config.setupCodeProblems[appid]).not.toContain(code);
    }
    expect(config.setupCodeProblems[A]).toMatch(/128/);
    expect(config.miniPrograms.wx_ok1.setupCode).toBe(strong64);
    expect(config.miniPrograms.wx_ok2.setupCode).toBe(strongHex);
    expect(config.setupCodeProblems.wx_ok1).toBeUndefined();
  });

  test('a refused code disables the claim with a logged config error; a strong one works', async () => {
    await setup('cloud', [record(A, { setupCode: '246810' }), record(B, { setupCode: strong64 })]);
    const err = await errorOf(claim(user(A, 'o_someone'), '246810'));
    expect(err.code).toBe('AUTH.SETUP_CODE_DISABLED');
    const logged = logLines.map(
      (l) => JSON.parse(l) as { level: number; msg: string; appid?: string; problem?: string },
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 50, appid: A, problem: expect.stringMatching(/128/) }),
    );
    expect(logLines.join('')).not.toContain('246810');
    expect(await deps.store.count('claimAttempts')).toBe(0);

    await ok(claim(user(B, 'o_b_owner'), strong64));
    expect(await roleOf(user(B, 'o_b_owner'))).toBe('admin');
  });

  test('a weak code put into a cloud config after loading is refused all the same', async () => {
    await setup('cloud', [record(B, { setupCode: strong64 })]);
    deps.config.miniPrograms[B].setupCode = '135790';
    expect((await errorOf(claim(user(B, 'o_someone'), '135790'))).code).toBe('AUTH.SETUP_CODE_DISABLED');
  });
});

describe('claim attempts are limited', () => {
  beforeEach(() => setup());
  const WINDOW = CLAIM_LIMITS.windowMs;

  test(`200 parallel wrong guesses from one caller: ${CLAIM_LIMITS.perCaller} evaluated, then even the right code waits for the window`, async () => {
    const guesser = user(A, 'o_guesser');
    const started = deps.clock.now().getTime();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => claim(guesser, `guess-${String(i).padStart(4, '0')}`)),
    );
    const tally = codes(results);
    // Only an attempt that took a slot has its code compared (SETUP_CODE_INVALID).
    expect(tally['AUTH.SETUP_CODE_INVALID']).toBe(CLAIM_LIMITS.perCaller);
    expect(tally['AUTH.CLAIM_LOCKED']).toBe(200 - CLAIM_LIMITS.perCaller);
    expect(await deps.store.get<ClaimAttemptsDoc>('claimAttempts', `caller:${A}:o_guesser`)).toMatchObject({
      attempts: CLAIM_LIMITS.perCaller,
    });

    const locked = await errorOf(claim(guesser, CODE_A));
    expect(locked.code).toBe('AUTH.CLAIM_LOCKED');
    expect(locked.details).toEqual({ retryAt: new Date(started + WINDOW).toISOString() });
    expect(locked.message).toMatch(/from this account/);
    expect(locked.message).toContain(locked.details!.retryAt);
    expect(await deps.store.get('admins', A)).toBeNull();

    // Logged once per window, as a warning, without any code.
    const warnings = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        appid: A,
        scope: 'caller',
        retryAt: locked.details!.retryAt,
        msg: expect.stringMatching(/locked/),
      }),
    ]);
    expect(logLines.join('')).not.toMatch(/guess-|alpha-/);

    deps.clock.advance(WINDOW - 1);
    expect((await errorOf(claim(guesser, CODE_A))).code).toBe('AUTH.CLAIM_LOCKED');
    deps.clock.advance(1);
    await ok(claim(guesser, CODE_A));
    expect(await roleOf(guesser)).toBe('admin');
  });

  test('a counter already open cannot be overspent by a burst', async () => {
    const guesser = user(A, 'o_guesser');
    expect((await errorOf(claim(guesser, 'wrong-first'))).code).toBe('AUTH.SETUP_CODE_INVALID');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => claim(guesser, `wrong-${i}`)));
    expect(codes(results)).toEqual({
      'AUTH.SETUP_CODE_INVALID': CLAIM_LIMITS.perCaller - 1,
      'AUTH.CLAIM_LOCKED': 100 - (CLAIM_LIMITS.perCaller - 1),
    });
    expect(await deps.store.get<ClaimAttemptsDoc>('claimAttempts', `caller:${A}:o_guesser`)).toMatchObject({
      attempts: CLAIM_LIMITS.perCaller,
    });
  });

  test('a locked caller does not stop another caller', async () => {
    const guesser = user(A, 'o_guesser');
    for (let i = 0; i < CLAIM_LIMITS.perCaller; i++)
      expect((await errorOf(claim(guesser, `wrong-${i}`))).code).toBe('AUTH.SETUP_CODE_INVALID');
    expect((await errorOf(claim(guesser, CODE_A))).message).toMatch(/from this account/);
    await ok(claim(user(A, 'o_owner'), CODE_A));
  });

  test(`200 parallel wrong guesses from 200 callers: ${CLAIM_LIMITS.perMiniProgram} evaluated, the mini program locked for everyone until the window ends`, async () => {
    const started = deps.clock.now().getTime();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => claim(user(A, `o_bot_${i}`), `guess-${i}`)),
    );
    const tally = codes(results);
    expect(tally['AUTH.SETUP_CODE_INVALID']).toBe(CLAIM_LIMITS.perMiniProgram);
    expect(tally['AUTH.CLAIM_LOCKED']).toBe(200 - CLAIM_LIMITS.perMiniProgram);
    expect(await deps.store.get<ClaimAttemptsDoc>('claimAttempts', `miniProgram:${A}`)).toMatchObject({
      attempts: CLAIM_LIMITS.perMiniProgram,
    });

    const owner = user(A, 'o_owner');
    const locked = await errorOf(claim(owner, CODE_A));
    expect(locked).toMatchObject({
      code: 'AUTH.CLAIM_LOCKED',
      details: { retryAt: new Date(started + WINDOW).toISOString() },
    });
    expect(locked.message).toMatch(/for this mini program/);
    // Another mini program is not affected.
    await ok(claim(user(B, 'o_b_owner'), CODE_B));

    deps.clock.set(String(locked.details!.retryAt));
    await ok(claim(owner, CODE_A));
    expect(await roleOf(owner)).toBe('admin');
  });

  test('a new window starts from nothing: a full limit of attempts again', async () => {
    const guesser = user(A, 'o_guesser');
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(guesser, `wrong-${round}-${i}`)));
      expect(codes(results)).toEqual({
        'AUTH.SETUP_CODE_INVALID': CLAIM_LIMITS.perCaller,
        'AUTH.CLAIM_LOCKED': 20 - CLAIM_LIMITS.perCaller,
      });
      deps.clock.advance(WINDOW);
    }
    expect(await deps.store.get<ClaimAttemptsDoc>('claimAttempts', `caller:${A}:o_guesser`)).toMatchObject({
      attempts: CLAIM_LIMITS.perCaller,
      lockLogged: true,
    });
  });

  test('input the schema refuses never reaches the counters', async () => {
    expect((await errorOf(claim(user(A, 'o_x'), 'abc'))).code).toBe('INPUT.INVALID');
    expect(await deps.store.count('claimAttempts')).toBe(0);
  });
});

describe('local codes', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-codes-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string> = {}) =>
    loadConfig({
      PMS_MODE: 'local',
      PMS_DATA_DIR: dir,
      PMS_MINI_PROGRAMS: JSON.stringify([
        record(A),
        record(B, { setupCode: CODE_B }),
        record(C, { admins: ['o_c_admin'] }),
      ]),
      ...env,
    });

  test('each mini program without admins or a code gets its own, kept (0600) across restarts', () => {
    const first = load();
    ensureLocalSetupCodes(first);
    const file = path.join(dir, SETUP_CODES_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.miniPrograms[DEMO_APPID].setupCode).toMatch(/^\d{6}$/);
    expect(first.miniPrograms[A].setupCode).toMatch(/^\d{6}$/);
    expect(first.miniPrograms[A].setupCode).not.toBe(first.miniPrograms[DEMO_APPID].setupCode);
    expect(first.miniPrograms[B].setupCode).toBe(CODE_B);
    expect(first.miniPrograms[C].setupCode).toBeUndefined();
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).sort()).toEqual([A, DEMO_APPID].sort());

    const again = load();
    ensureLocalSetupCodes(again);
    expect(again.miniPrograms[A].setupCode).toBe(first.miniPrograms[A].setupCode);
    expect(again.miniPrograms[DEMO_APPID].setupCode).toBe(first.miniPrograms[DEMO_APPID].setupCode);
  });

  test('PMS_SETUP_CODE sets the demo code; the old single setup-code file stays the demo code', () => {
    const withEnv = load({ PMS_SETUP_CODE: '135790' });
    ensureLocalSetupCodes(withEnv);
    expect(withEnv.miniPrograms[DEMO_APPID].setupCode).toBe('135790');
    expect(withEnv.miniPrograms[A].setupCode).not.toBe('135790');

    const legacy = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-codes-'));
    fs.writeFileSync(path.join(legacy, 'setup-code'), '424242\n');
    const migrated = loadConfig({ PMS_MODE: 'local', PMS_DATA_DIR: legacy });
    ensureLocalSetupCodes(migrated);
    expect(migrated.miniPrograms[DEMO_APPID].setupCode).toBe('424242');
    fs.rmSync(legacy, { recursive: true, force: true });
  });
});
