// The authorization matrix: every action of every router function against
// every kind of caller of mini program A. Only what each may do gets past the
// router's identity and role checks; the table is printed for the record.
import { contextFor } from '../../cloudfunctions/core/runtime/identity';
import { main as jobs } from '../../cloudfunctions/jobs';
import type { ApiResult } from '../../typings/api';
import { type TestDeps, testDeps } from '../support/deps';
import { DEMO_APPID, demoMiniProgram } from '../../cloudfunctions/core/config';
import { main as merchant } from '../../cloudfunctions/merchant';
import type { MerchantStatus } from '../../typings/api';
import { ADMIN_OPENID } from '../support/deps';
import { ACTIONS, CALLERS, OTHER_ADMIN, registerOtherMiniProgram, storedDigest } from './support';

let deps: TestDeps;

beforeAll(async () => {
  deps = await testDeps();
  registerOtherMiniProgram(deps);
});
afterAll(() => deps.close());

type Outcome = 'passes' | 'no identity' | 'third party' | 'forbidden';

function outcomeOf(result: ApiResult<unknown>): Outcome {
  if (result.ok) return 'passes';
  switch (result.error.code) {
    case 'AUTH.NO_IDENTITY':
      return 'no identity';
    case 'AUTH.THIRD_PARTY_PLATFORM':
      return 'third party';
    case 'AUTH.FORBIDDEN':
      return 'forbidden';
    default:
      // Refused later (input, state): the router let the caller through.
      return 'passes';
  }
}

function expected(who: string, roles: string[]): Outcome {
  if (who === 'anonymous') return 'no identity';
  if (who === 'third-party platform') return 'third party';
  if (who === 'admin') return 'passes';
  // Buyers, and the admin of another mini program, are buyers here.
  return roles.includes('buyer') ? 'passes' : 'forbidden';
}

test('every action admits exactly the callers its roles name', async () => {
  const rows: string[] = [];
  const wrong: string[] = [];
  for (const { fn, main, name, action } of ACTIONS) {
    const cells: string[] = [];
    for (const { who, identity } of CALLERS) {
      const before = storedDigest(deps);
      const event = { action: name, data: {}, idempotencyKey: 'authz_matrix_key_0001' };
      const result = (await main(event, identity ? contextFor(identity) : undefined)) as ApiResult<unknown>;
      const got = outcomeOf(result);
      const want = expected(who, action.roles);
      cells.push(got === 'passes' ? 'yes' : 'no');
      if (got !== want) wrong.push(`${fn}.${name} by ${who}: ${got}, expected ${want}`);
      if (got !== 'passes' && storedDigest(deps) !== before) wrong.push(`${fn}.${name} by ${who}: refused but wrote`);
    }
    rows.push(`| ${fn}.${name} | ${cells.join(' | ')} |`);
  }
  const header = `| action | ${CALLERS.map((c) => c.who).join(' | ')} |\n|---|${CALLERS.map(() => '---').join('|')}|`;
  console.log(`authorization matrix (yes: past identity and role checks)\n${header}\n${rows.join('\n')}`);
  expect(wrong).toEqual([]);
});

test('the jobs function runs for the timer only: every caller with a WeChat identity is refused', async () => {
  for (const { who, identity } of CALLERS) {
    if (!identity) continue;
    const before = storedDigest(deps);
    const result = await jobs({ only: ['settle'] }, contextFor(identity));
    expect({ who, result }).toMatchObject({ who, result: { ok: false, error: { code: 'AUTH.FORBIDDEN' } } });
    expect(storedDigest(deps)).toBe(before);
  }
});

// Mini programs run by third-party platforms: refused by default (A above), served
// when their registration record says serveThirdPartyPlatform, and then only as
// themselves: the appid WeChat's runtime reports, never the platform's.
const SERVED_APPID = 'wxc0c0c0c0c0c0c0c0';
const SERVED_ADMIN = 'o_admin_of_served_00000000001';
const PLATFORM = 'wx_third_party';

function registerServedMiniProgram(): void {
  deps.config.miniPrograms[SERVED_APPID] = {
    ...structuredClone(demoMiniProgram),
    appid: SERVED_APPID,
    name: 'Platform-run Shop',
    thirdPartyPlatform: true,
    serveThirdPartyPlatform: true,
    admins: [SERVED_ADMIN],
  };
}

test('a third-party-run mini program served by its setting admits exactly the callers its roles name', async () => {
  registerServedMiniProgram();
  const callers = [
    { who: 'admin through the platform', identity: { openid: SERVED_ADMIN, appid: SERVED_APPID, fromAppid: PLATFORM } },
    { who: 'admin', identity: { openid: SERVED_ADMIN, appid: SERVED_APPID } },
    {
      who: 'buyer through the platform',
      identity: { openid: 'o_buyer_served_0001', appid: SERVED_APPID, fromAppid: PLATFORM },
    },
    // A's admin is a buyer here: being admin of one mini program gives nothing in another.
    {
      who: "A's admin through the platform",
      identity: { openid: ADMIN_OPENID, appid: SERVED_APPID, fromAppid: PLATFORM },
    },
  ];
  const wrong: string[] = [];
  for (const { fn, main, name, action } of ACTIONS) {
    for (const { who, identity } of callers) {
      const before = storedDigest(deps);
      const event = { action: name, data: {}, idempotencyKey: 'authz_served_key_0001' };
      const got = outcomeOf((await main(event, contextFor(identity))) as ApiResult<unknown>);
      const want: Outcome = who.startsWith('admin') || action.roles.includes('buyer') ? 'passes' : 'forbidden';
      if (got !== want) wrong.push(`${fn}.${name} by ${who}: ${got}, expected ${want}`);
      if (got !== 'passes' && storedDigest(deps) !== before) wrong.push(`${fn}.${name} by ${who}: refused but wrote`);
    }
  }
  expect(wrong).toEqual([]);
});

test('served third-party mini programs stay isolated; the setting of one serves no other', async () => {
  registerServedMiniProgram();
  const status = async (identity: Parameters<typeof contextFor>[0]) =>
    (await merchant({ action: 'getStatus', data: {} }, contextFor(identity))) as ApiResult<MerchantStatus>;

  // The served one answers as itself, whoever's platform calls.
  const served = await status({ openid: SERVED_ADMIN, appid: SERVED_APPID, fromAppid: PLATFORM });
  expect(served).toMatchObject({
    ok: true,
    data: { appid: SERVED_APPID, role: 'admin', miniProgramName: 'Platform-run Shop' },
  });

  // The same platform calling for A (no setting), or for B (no setting), is refused, and nothing is written.
  for (const identity of [
    { openid: ADMIN_OPENID, appid: DEMO_APPID, fromAppid: PLATFORM },
    { openid: OTHER_ADMIN, appid: 'wxb0b0b0b0b0b0b0b0', fromAppid: PLATFORM },
    { openid: SERVED_ADMIN, appid: DEMO_APPID, fromAppid: SERVED_APPID },
  ]) {
    const before = storedDigest(deps);
    expect(await status(identity)).toMatchObject({ ok: false, error: { code: 'AUTH.THIRD_PARTY_PLATFORM' } });
    expect(storedDigest(deps)).toBe(before);
  }

  // The served admin's openid means nothing in A: a buyer there, refused admin actions.
  const inA = await status({ openid: SERVED_ADMIN, appid: DEMO_APPID });
  expect(inA).toMatchObject({ ok: true, data: { appid: DEMO_APPID, role: 'buyer' } });
  const intro = (await merchant(
    { action: 'onboardingIntro', data: {} },
    contextFor({ openid: SERVED_ADMIN, appid: DEMO_APPID }),
  )) as ApiResult<unknown>;
  expect(intro).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
});
