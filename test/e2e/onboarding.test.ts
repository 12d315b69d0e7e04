// Onboarding on the local stack (`npm start` as a child process, real clock,
// the sandbox's reviewer and the polling job at their own pace): an admin
// applies as each of the five merchant types (one mini program each), the
// sandbox approves, each account ends up bound to its mini program, and an
// application after that is refused.
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import type { MiniProgramRecord } from '../../cloudfunctions/core/config';
import { DEMO_APPID, demoMiniProgram } from '../../cloudfunctions/core/config';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { ApiResult, MerchantStatus } from '../../typings/api';
import type { ApplicationView, MerchantType, OnboardingIntro, StepData } from '../../typings/onboarding';
import { jpeg, requiredSlots, validSteps } from '../onboarding/fixtures';
import { startStack, type Stack } from './stack';
import { uploadPhoto } from '../support/upload';

jest.setTimeout(120_000);

const SETUP_CODE = '86420';
let stack: Stack;
let n = 0;
const key = () => `e2e-onb-${Date.now().toString(36)}-${++n}`;

// The demo mini program (an enterprise, admin by setup code) and four more, one per other type.
const demoAdmin = { openid: 'o_e2e_onboarding_admin', appid: DEMO_APPID };
const others: Array<{ type: MerchantType; record: MiniProgramRecord }> = [
  { type: 'INDIVIDUAL', record: mp('wxe2e0000000000001', 'Zhang San Noodle Stall', '92440300MA5G00001R') },
  { type: 'INSTITUTION', record: mp('wxe2e0000000000002', 'Shenzhen Demo Hospital', '124403004558001230') },
  { type: 'GOVERNMENT', record: mp('wxe2e0000000000003', 'Shenzhen Demo Tax Service Centre', '11440300007543021Q') },
  { type: 'SOCIAL_ORG', record: mp('wxe2e0000000000004', 'Shenzhen Tea Lovers Association', '51440300MJL0000015') },
];

function mp(appid: string, name: string, creditCode: string): MiniProgramRecord {
  return {
    appid,
    name,
    entity: { name, creditCode, domestic: true },
    thirdPartyPlatform: false,
    admins: [`o_admin_${appid}`],
  };
}

const adminOf = (record: MiniProgramRecord) => ({ openid: record.admins[0], appid: record.appid });

/** The fixture application, in the name of this mini program's entity. */
function stepsFor(type: MerchantType, entity: MiniProgramRecord['entity']): StepData {
  const steps = validSteps(type);
  steps.subject = { ...steps.subject, name: entity.name, creditCode: entity.creditCode };
  if (steps.bank.accountType === 'CORPORATE') steps.bank = { ...steps.bank, accountName: entity.name };
  return steps;
}

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}\n${stack.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The whole flow as the pages drive it: type, five steps, documents, submit. */
async function apply(
  who: { openid: string; appid: string },
  type: MerchantType,
  steps: StepData,
): Promise<ApplicationView> {
  const call = <T>(action: string, body: unknown, idempotencyKey?: string) =>
    data<T>(stack.call<T>('merchant', action, body, who, idempotencyKey));
  const intro = await call<OnboardingIntro>('onboardingIntro', {});
  expect(intro.requirements.every((r) => r.met)).toBe(true);
  await call('chooseType', { merchantType: type }, key());
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const)
    await call('saveStep', { step, data: steps[step] });
  for (const slot of requiredSlots(type)) await data(uploadPhoto(stack, who, slot, jpeg(`${who.appid}-${slot}`)));
  const ready = await call<ApplicationView>('getApplication', {});
  expect(ready.problems).toEqual({});
  const submitted = await call<ApplicationView>('submitApplication', {}, key());
  expect(submitted.state).toBe('AUDITING');
  return submitted;
}

beforeAll(async () => {
  stack = await startStack({
    PMS_SETUP_CODE: SETUP_CODE,
    PMS_MINI_PROGRAMS: JSON.stringify(others.map((o) => o.record)),
    // The sandbox reviews in 50 ms instead of 5 s; the polling job runs every 100 ms.
    SANDBOX_TIME_SCALE: '0.01',
    JOB_TIME_SCALE: '50',
  });
});
afterAll(() => stack?.stop());

test('each of the five types applies, is approved by the sandbox and ends up bound; applying again is refused', async () => {
  await data(stack.call('merchant', 'claimAdmin', { code: SETUP_CODE }, demoAdmin));
  const applicants = [
    {
      type: 'ENTERPRISE' as MerchantType,
      who: demoAdmin,
      steps: validSteps('ENTERPRISE'),
      name: demoMiniProgram.entity.name,
    },
    ...others.map(({ type, record }) => ({
      type,
      who: adminOf(record),
      steps: stepsFor(type, record.entity),
      name: record.entity.name,
    })),
  ];

  for (const a of applicants) await apply(a.who, a.type, a.steps);

  for (const a of applicants) {
    const status = await eventually(
      () => data(stack.call<MerchantStatus>('merchant', 'getStatus', {}, a.who)),
      (s) => s.merchant !== null,
      `${a.type} bound`,
    );
    expect(status.merchant).toMatchObject({ name: a.name, mchid: expect.stringMatching(/^\d{2}\*+\d{2}$/) });
    expect(status.application).toMatchObject({ state: 'FINISHED' });
    const view = await data(stack.call<ApplicationView>('merchant', 'getApplication', {}, a.who));
    expect(view.merchant).toMatchObject({ name: a.name });

    // Bound: a new application is refused, whatever the type.
    const again = await stack.call('merchant', 'chooseType', { merchantType: a.type }, a.who, key());
    expect(again).toMatchObject({ ok: false, error: { code: 'ONBOARDING.ALREADY_BOUND' } });
  }

  // The bindings as stored, beside the stack: one per mini program, each the sub-merchant the sandbox created for it.
  const store = new SqliteStore({ file: path.join(stack.dataDir, 'pms.sqlite') });
  try {
    const bound = (await store.find<MerchantDoc>('merchants', { limit: 10 })).items;
    expect(bound.map((m) => m.appid).sort()).toEqual(applicants.map((a) => a.who.appid).sort());
    for (const m of bound) {
      const sub = await stack.sandbox<{ sub_mchid: string; appids: string[]; rate_ppm: number }>(
        'GET',
        `/sandbox/sub-merchants/${m.subMchid}`,
      );
      expect(sub.body).toMatchObject({ sub_mchid: m.subMchid, appids: [m.appid], rate_ppm: m.feeRatePpm });
    }
    expect(await store.count('applications')).toBe(5);
  } finally {
    await store.close();
  }
});

test('personal data stays out of the stack output', () => {
  for (const secret of ['11010519491231002X', '440305199003071236', '13800138000', '6214830000000001']) {
    expect(stack.output()).not.toContain(secret);
  }
});
