// Submission and review against the real WeChat Pay adapter and the
// in-process sandbox: every type from draft to a bound merchant account,
// rejection and resubmission, confirmation and signing, cancellation, the
// polling job (binding once however often it runs), and failures.
import { Writable } from 'node:stream';
import type { ApplicationView } from '../../../typings/onboarding';
import type { MerchantStatus } from '../../../typings/api';
import { pollApplications } from '../../../cloudfunctions/core/onboarding/poll-applications';
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import type { MerchantDoc } from '../../../cloudfunctions/core/merchants/merchant';
import { createLogger } from '../../../cloudfunctions/core/runtime/log';
import { admin, errorOf, ok, testDeps, type TestDeps } from '../../support/deps';
import { ADMIN_ID, ALL_TYPES, ENTITY, LEGAL_ID, validSteps } from '../fixtures';
import { choose, draft, key, merchant } from '../support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(() => deps.close());

const submit = (k = key()) => ok(merchant<ApplicationView>('submitApplication', {}, admin, k));
const view = () => ok(merchant<ApplicationView>('getApplication'));
const stored = async () => (await deps.store.get<ApplicationDoc>('applications', (await view()).id))!;

/** Lets the sandbox's reviewer (or signing) act: its clock is the test's. */
async function sandboxTime(ms: number) {
  deps.clock.advance(ms);
  await deps.sandbox.flush();
}

describe('every merchant type, from draft to a bound merchant account', () => {
  test.each(ALL_TYPES)('%s', async (type) => {
    await draft(type);
    const submitted = await submit();
    expect(submitted).toMatchObject({ state: 'AUDITING', editable: false, problems: {} });
    expect(submitted.submittedAt).toBeDefined();
    expect((await stored()).applymentId).toMatch(/^\d+$/);

    // Nothing to see before the reviewer acts.
    expect(await pollApplications(deps)).toEqual({ checked: 1, moved: 0, bound: 0, failed: 0 });
    await sandboxTime(6_000);
    expect(await pollApplications(deps)).toEqual({ checked: 1, moved: 1, bound: 1, failed: 0 });

    const finished = await view();
    expect(finished.state).toBe('FINISHED');
    const bound = (await deps.store.get<MerchantDoc>('merchants', admin.appid))!;
    expect(bound).toMatchObject({
      appid: admin.appid,
      name: ENTITY.name,
      applicationId: finished.id,
      connection: 'DIRECT',
    });
    // Our fee rate is the one WeChat Pay (the sandbox) bills.
    expect(bound.feeRatePpm).toBe(
      deps.sandbox.ctx.state.get<{ rate_ppm: number }>('merchant', bound.subMchid)!.rate_ppm,
    );
    expect(finished.merchant).toEqual({
      mchid: expect.stringMatching(/^\d{2}\*+\d{2}$/),
      name: ENTITY.name,
      feeRatePpm: bound.feeRatePpm,
      boundAt: bound.boundAt,
    });
    const status = await ok(merchant<MerchantStatus>('getStatus'));
    expect(status.merchant).toMatchObject({ name: ENTITY.name });
    expect(status.application).toMatchObject({ id: finished.id, state: 'FINISHED' });

    // The account is bound: applying again is refused, and nothing new is written.
    expect((await errorOf(merchant('chooseType', { merchantType: type }, admin, key()))).code).toBe(
      'ONBOARDING.ALREADY_BOUND',
    );
    expect(await deps.store.count('applications')).toBe(1);
  });
});

describe('binding is idempotent', () => {
  test('running the job again, or twice at once, binds once', async () => {
    await draft('ENTERPRISE');
    await submit();
    await sandboxTime(6_000);
    const [a, b] = await Promise.all([pollApplications(deps), pollApplications(deps)]);
    expect(a.bound + b.bound).toBeGreaterThanOrEqual(1);
    const bound = (await deps.store.get<MerchantDoc>('merchants', admin.appid))!;
    expect(await deps.store.count('merchants')).toBe(1);
    deps.clock.advance(60_000);
    expect(await pollApplications(deps)).toEqual({ checked: 0, moved: 0, bound: 0, failed: 0 });
    expect(await deps.store.get<MerchantDoc>('merchants', admin.appid)).toEqual(bound);
  });

  test('a review that finds the application already finished does not bind again', async () => {
    await draft('ENTERPRISE');
    await submit();
    await sandboxTime(6_000);
    const before = await stored();
    await pollApplications(deps);
    const bound = await deps.store.get<MerchantDoc>('merchants', admin.appid);
    // A slow run that read the application before the first run finished it.
    const { reviewApplication } = await import('../../../cloudfunctions/core/onboarding/application-review');
    await reviewApplication(deps, before);
    expect(await deps.store.get<MerchantDoc>('merchants', admin.appid)).toEqual(bound);
    expect((await stored()).state).toBe('FINISHED');
  });

  test('an application never binds over an account bound to the mini program by another', async () => {
    await draft('ENTERPRISE');
    await submit();
    await deps.store.insert('merchants', {
      _id: admin.appid,
      appid: admin.appid,
      subMchid: '1900009999',
      name: 'Other',
      feeRatePpm: 6000,
      boundAt: '2026-01-01T00:00:00Z',
    });
    await sandboxTime(6_000);
    expect(await pollApplications(deps)).toMatchObject({ checked: 1, failed: 1, bound: 0 });
    expect((await stored()).state).toBe('AUDITING');
    expect((await deps.store.get<MerchantDoc>('merchants', admin.appid))!.subMchid).toBe('1900009999');
  });
});

describe('submitting', () => {
  test('a retry with the same key answers the first result; another submit is an illegal transition', async () => {
    await draft('INDIVIDUAL');
    const k = key();
    const first = await submit(k);
    const again = await submit(k);
    expect(again).toEqual(first);
    expect((await errorOf(merchant('submitApplication', {}, admin, key()))).code).toBe('ONBOARDING.ILLEGAL_TRANSITION');
    expect(deps.sandbox.ctx.state.list('applyment', {})).toHaveLength(1);
  });

  test('personal data reaches WeChat Pay encrypted, and never a log line', async () => {
    const lines: string[] = [];
    deps.log = createLogger({
      level: 'debug',
      destination: new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    await draft('ENTERPRISE');
    await submit();
    await sandboxTime(6_000);
    await pollApplications(deps);
    const body = JSON.stringify(deps.sandbox.ctx.state.list<{ body: unknown }>('applyment', {})[0].body);
    const log = lines.join('\n');
    expect(log).toContain('application submitted');
    for (const secret of [LEGAL_ID, ADMIN_ID, '13900139000', 'admin@example.com', '4000023009200123456', '李四']) {
      expect(body).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
  });

  test('while a submission is in flight the draft cannot change; an interrupted one stops blocking after 5 minutes', async () => {
    await draft('ENTERPRISE');
    const app = await stored();
    await deps.store.update('applications', app._id, { set: { submitting: deps.clock.now().toISOString() } });
    const save = () => merchant('saveStep', { step: 'business', data: { shortName: 'New name' } });
    expect((await errorOf(save())).code).toBe('ONBOARDING.SUBMITTING');
    expect((await errorOf(merchant('submitApplication', {}, admin, key()))).code).toBe('ONBOARDING.SUBMITTING');
    deps.clock.advance(5 * 60_000 + 1);
    await ok(save());
  });

  test('WeChat Pay unreachable: a typed error, the draft unchanged and submittable later', async () => {
    await draft('ENTERPRISE');
    const url = deps.sandbox.url;
    await deps.sandbox.app.close();
    const err = await errorOf(merchant('submitApplication', {}, admin, key()));
    expect(err.code).toBe('ONBOARDING.PAY_UNAVAILABLE');
    const app = await stored();
    expect(app).toMatchObject({ state: 'EDITING', submitting: null });
    expect(url).toMatch(/^http/);
  });

  test('a submission WeChat Pay already holds (an answer lost on the way back) is taken as submitted', async () => {
    await draft('ENTERPRISE');
    await submit();
    // As if our side never heard back: local state still a draft, WeChat auditing.
    const app = await stored();
    await deps.store.update('applications', app._id, { set: { state: 'EDITING', applymentId: null } });
    await ok(merchant('saveStep', { step: 'business', data: { shortName: 'Renamed Tea' } }));
    const again = await submit();
    expect(again.state).toBe('AUDITING');
    expect((await stored()).applymentId).toBe(app.applymentId);
  });
});

describe('rejection: reasons per field, fix, resubmit', () => {
  test('the reasons point at the fields to fix; fixing marks them; resubmission replaces the applyment', async () => {
    await draft('INDIVIDUAL');
    const submitted = await submit();
    deps.sandbox.forceApplyment(submitted.id, {
      outcome: 'reject',
      audit_detail: [
        {
          field: 'subject_info.identity_info.id_card_info.id_card_copy',
          field_name: '身份证人像面照片',
          reject_reason: '照片模糊',
        },
        { field: 'business_info.merchant_shortname', field_name: '商户简称', reject_reason: '简称与经营内容不符' },
        { field: 'contact_info.contact_name', field_name: '超级管理员姓名', reject_reason: '姓名有误' },
      ],
    });
    await ok(merchant('refreshApplication'));
    const rejected = await view();
    expect(rejected).toMatchObject({ state: 'REJECTED', editable: true });
    expect(rejected.review.rejected.map((r) => [r.formField, r.step, r.reason])).toEqual([
      ['documents.legalIdFront', 'documents', '照片模糊'],
      ['business.shortName', 'business', '简称与经营内容不符'],
      ['identity.name', 'identity', '姓名有误'],
    ]);

    const fixed = await ok(
      merchant<ApplicationView>('saveStep', { step: 'business', data: { shortName: 'Demo Tea House' } }),
    );
    expect(fixed.review.rejected.map((r) => !!r.fixed)).toEqual([false, true, false]);
    expect(fixed.state).toBe('REJECTED');

    const resubmitted = await submit();
    expect(resubmitted).toMatchObject({ state: 'AUDITING', review: { rejected: [] } });
    await sandboxTime(6_000);
    await pollApplications(deps);
    expect((await view()).state).toBe('FINISHED');
  });

  test("the sandbox's own reviewer rejects what a human reviewer would", async () => {
    await draft('ENTERPRISE');
    const submitted = await submit();
    // Something our form cannot know: the reviewer decides the settlement rule does not exist any more.
    const applyment = deps.sandbox.ctx.state.get<{ body: { settlement_info: { settlement_id: string } } }>(
      'applyment',
      submitted.id,
    )!;
    applyment.body.settlement_info.settlement_id = '999';
    deps.sandbox.ctx.state.put('applyment', submitted.id, applyment, deps.clock.now().getTime() + 5_000);
    await sandboxTime(6_000);
    await pollApplications(deps);
    const rejected = await view();
    expect(rejected.state).toBe('REJECTED');
    expect(rejected.review.rejected).toEqual([
      expect.objectContaining({
        wechatField: 'settlement_info.settlement_id',
        formField: 'business.industry',
        step: 'business',
      }),
    ]);
  });
});

describe('account verification and signing', () => {
  test('TO_BE_CONFIRMED shows what to pay, TO_BE_SIGNED the signing link, then SIGNING and FINISHED', async () => {
    await draft('GOVERNMENT');
    const submitted = await submit();
    deps.sandbox.forceApplyment(submitted.id, { outcome: 'require-confirmation' });
    await pollApplications(deps);
    const confirming = await view();
    expect(confirming.state).toBe('TO_BE_CONFIRMED');
    expect(confirming.review.accountValidation).toMatchObject({
      payAmountFen: expect.any(Number),
      destinationAccountNumber: expect.any(String),
      deadline: expect.any(String),
    });
    expect(confirming.review.stateDesc).toBe('待账户验证');

    const applymentId = (await stored()).applymentId!;
    deps.sandbox.confirmApplyment(applymentId);
    await pollApplications(deps);
    const signing = await view();
    expect(signing.state).toBe('TO_BE_SIGNED');
    expect(signing.review.signUrl).toMatch(new RegExp(`/sandbox/applyments/${applymentId}/sign$`));

    deps.sandbox.signApplyment(applymentId);
    await pollApplications(deps);
    expect((await view()).state).toBe('SIGNING');
    await sandboxTime(4_000);
    await pollApplications(deps);
    expect((await view()).state).toBe('FINISHED');
    expect(await deps.store.get('merchants', admin.appid)).not.toBeNull();
  });

  test('polling does not rewrite an application whose review has not moved', async () => {
    await draft('ENTERPRISE');
    await submit();
    // The first look records WeChat Pay's state description ("审核中"); after that nothing changes.
    await pollApplications(deps);
    const before = await stored();
    expect(before.review.stateDesc).toBe('审核中');
    deps.clock.advance(1_000);
    await pollApplications(deps);
    await pollApplications(deps);
    expect((await stored()).version).toBe(before.version);
  });
});

describe('cancellation by WeChat Pay', () => {
  test('frees the mini program for a new application', async () => {
    await draft('SOCIAL_ORG');
    const submitted = await submit();
    deps.sandbox.forceApplyment(submitted.id, { outcome: 'cancel' });
    await pollApplications(deps);
    expect((await deps.store.get<ApplicationDoc>('applications', submitted.id))!.state).toBe('CANCELED');
    expect(await ok(merchant('getApplication'))).toBeNull();
    const next = await choose('SOCIAL_ORG');
    expect(next.id).not.toBe(submitted.id);
  });
});

test('the bound account shows the entity, and a new application after binding is refused', async () => {
  await draft('INSTITUTION');
  await submit();
  await sandboxTime(6_000);
  await ok(merchant('refreshApplication'));
  expect((await view()).merchant?.name).toBe(validSteps('INSTITUTION').subject.name);
  expect((await errorOf(merchant('chooseType', { merchantType: 'INSTITUTION' }, admin, key()))).code).toBe(
    'ONBOARDING.ALREADY_BOUND',
  );
});
