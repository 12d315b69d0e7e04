// The draft through merchant's main() on SQLite: choosing the type, saving
// steps, documents, cancelling; every kind of bad input refused with a typed
// error and nothing written; who may call.
import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationView, OnboardingIntro } from '../../../typings/onboarding';
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { admin, buyer, errorOf, ok, testDeps, type TestDeps } from '../../support/deps';
import { ALL_TYPES, bmp, ENTITY, GIF, jpeg, LEGAL_ID, PNG, requiredSlots, validSteps } from '../fixtures';
import { choose, draft, key, merchant, saveAll } from '../support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(() => deps.close());

async function stored(): Promise<ApplicationDoc> {
  const page = await deps.store.find<ApplicationDoc>('applications', {
    where: { appid: admin.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 1,
  });
  return page.items[0];
}

/** Runs `fn`, expecting a refusal with `code`, and checks nothing was written. */
async function refusedWithNothingWritten(code: string, fn: () => Promise<unknown>) {
  const before = JSON.stringify(await deps.store.find('applications', { limit: 100 }));
  const pointers = await deps.store.count('activeApplications');
  const err = await errorOf(fn() as never);
  expect(err.code).toBe(code);
  expect(JSON.stringify(await deps.store.find('applications', { limit: 100 }))).toBe(before);
  expect(await deps.store.count('activeApplications')).toBe(pointers);
  return err;
}

describe('intro', () => {
  test('lists the five types with their documents, the requirements and the entity', async () => {
    const intro = await ok(merchant<OnboardingIntro>('onboardingIntro'));
    expect(intro.types.map((t) => [t.type, t.subjectType])).toEqual([
      ['INDIVIDUAL', 'SUBJECT_TYPE_INDIVIDUAL'],
      ['ENTERPRISE', 'SUBJECT_TYPE_ENTERPRISE'],
      ['INSTITUTION', 'SUBJECT_TYPE_INSTITUTIONS'],
      ['GOVERNMENT', 'SUBJECT_TYPE_GOVERNMENT'],
      ['SOCIAL_ORG', 'SUBJECT_TYPE_OTHERS'],
    ]);
    expect(intro.types[0].documents).toEqual(['Business licence', "Operator's ID"]);
    expect(intro.types[4].certTypes.length).toBeGreaterThan(1);
    expect(intro.requirements.map((r) => r.met)).toEqual([true, true, true, true, true]);
    expect(intro.miniProgram).toMatchObject({ entityName: ENTITY.name, creditCode: ENTITY.creditCode });
    expect(intro.application).toBeNull();
  });
});

describe('choosing the type opens the draft', () => {
  test.each(ALL_TYPES)('%s', async (type) => {
    const view = await choose(type);
    expect(view).toMatchObject({ merchantType: type, state: 'EDITING', editable: true });
    expect(view.complete).toEqual({
      subject: false,
      identity: false,
      contact: false,
      business: false,
      bank: false,
      documents: false,
    });
    expect((await ok(merchant<OnboardingIntro>('onboardingIntro'))).application).toMatchObject({
      state: 'EDITING',
      merchantType: type,
    });
  });

  test('a retry with the same key opens it once; changing the type keeps one application', async () => {
    const k = key();
    const first = await ok(merchant<ApplicationView>('chooseType', { merchantType: 'ENTERPRISE' }, admin, k));
    const again = await ok(merchant<ApplicationView>('chooseType', { merchantType: 'ENTERPRISE' }, admin, k));
    expect(again.id).toBe(first.id);
    const changed = await choose('SOCIAL_ORG');
    expect(changed).toMatchObject({ id: first.id, merchantType: 'SOCIAL_ORG' });
    expect(await deps.store.count('applications')).toBe(1);
  });

  test('needs an idempotency key', async () => {
    await refusedWithNothingWritten('INPUT.IDEMPOTENCY_KEY_REQUIRED', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }),
    );
  });

  test('an unknown type is bad input', async () => {
    const err = await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('chooseType', { merchantType: 'PARTNERSHIP' }, admin, key()),
    );
    expect(Object.keys(err.fields!)).toEqual(['merchantType']);
  });

  test('a second application while one is under review is refused as duplicate', async () => {
    await choose('ENTERPRISE');
    const app = await stored();
    await deps.store.update('applications', app._id, { set: { state: 'AUDITING' } });
    await refusedWithNothingWritten('ONBOARDING.DUPLICATE_APPLICATION', () =>
      merchant('chooseType', { merchantType: 'INDIVIDUAL' }, admin, key()),
    );
  });
});

describe('the common requirements refuse before anything is written', () => {
  test('an overseas entity', async () => {
    // A copy: loadConfig shares the demo record's entity object between configs.
    const record = deps.config.miniPrograms[admin.appid];
    deps.config.miniPrograms[admin.appid] = { ...record, entity: { ...record.entity, domestic: false } };
    await refusedWithNothingWritten('ONBOARDING.OVERSEAS_ENTITY', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
  });

  test('an already bound account above 0.6%, or not directly connected; a bound one otherwise', async () => {
    const bind = (extra: Record<string, unknown>) =>
      deps.store.insert('merchants', {
        _id: admin.appid,
        appid: admin.appid,
        subMchid: '1900000109',
        name: ENTITY.name,
        feeRatePpm: 6000,
        boundAt: '2025-01-01T00:00:00Z',
        ...extra,
      });
    await bind({ feeRatePpm: 10000 });
    await refusedWithNothingWritten('ONBOARDING.FEE_RATE_TOO_HIGH', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
    expect(
      (await ok(merchant<OnboardingIntro>('onboardingIntro'))).requirements.find((r) => r.code === 'FEE_RATE')!.met,
    ).toBe(false);
    await deps.store.remove('merchants', admin.appid);
    await bind({ connection: 'INDIRECT' });
    await refusedWithNothingWritten('ONBOARDING.NOT_DIRECT_CONNECTION', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
    await deps.store.remove('merchants', admin.appid);
    await bind({});
    await refusedWithNothingWritten('ONBOARDING.ALREADY_BOUND', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
  });

  test('a mini program served by a third-party platform, and a call through one', async () => {
    await refusedWithNothingWritten('AUTH.THIRD_PARTY_PLATFORM', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, { ...admin, fromAppid: 'wx_platform_0001' }, key()),
    );
    deps.config.miniPrograms[admin.appid] = { ...deps.config.miniPrograms[admin.appid], thirdPartyPlatform: true };
    await refusedWithNothingWritten('AUTH.THIRD_PARTY_PLATFORM', () => merchant('onboardingIntro'));
  });
});

describe('only the merchant admin', () => {
  test.each([
    ['onboardingIntro', {}],
    ['getApplication', {}],
    ['chooseType', { merchantType: 'ENTERPRISE' }],
    ['saveStep', { step: 'business', data: { shortName: 'Tea' } }],
    ['uploadDocument', { slot: 'licence', content: PNG.toString('base64') }],
    ['previewDocument', { slot: 'licence' }],
    ['submitApplication', {}],
    ['cancelApplication', {}],
    ['refreshApplication', {}],
  ])('%s is refused to a buyer', async (action, data) => {
    await choose('ENTERPRISE');
    await refusedWithNothingWritten('AUTH.FORBIDDEN', () => merchant(action, data, buyer, key()));
  });
});

describe('saving steps', () => {
  test.each(ALL_TYPES)('%s: every step saved, personal data masked in the view and sealed at rest', async (type) => {
    await choose(type);
    const view = await saveAll(validSteps(type));
    expect(view.complete).toMatchObject({
      subject: true,
      identity: true,
      contact: true,
      business: true,
      bank: true,
      documents: false,
    });
    expect(view.steps.identity).toMatchObject({ name: '*三', number: '1****************X' });
    expect(view.steps.bank.accountNumber).toMatch(/^\*\*\*\* \*\*\*\* \d{4}$/);
    expect(view.steps.subject.creditCode).toBe(ENTITY.creditCode);
    const json = JSON.stringify(view);
    const raw = JSON.stringify(await stored());
    for (const secret of [
      LEGAL_ID,
      '13800138000',
      '13900139000',
      'owner@example.com',
      '6214830000000001',
      '4000023009200123456',
    ]) {
      expect(json).not.toContain(secret);
      expect(raw).not.toContain(secret);
    }
    // Nor anywhere in the database file itself.
    const file = fs.readFileSync(path.join(deps.dataDir, 'test.sqlite'));
    expect(file.includes(Buffer.from(LEGAL_ID))).toBe(false);
  });

  test('drafts may be incomplete and are resumable, one step at a time', async () => {
    await choose('ENTERPRISE');
    await ok(merchant('saveStep', { step: 'business', data: { shortName: 'Demo Tea' } }));
    await ok(merchant('saveStep', { step: 'business', data: { servicePhone: '0755-8888 6666' } }));
    const view = await ok(merchant<ApplicationView>('getApplication'));
    expect(view.steps.business).toEqual({ shortName: 'Demo Tea', servicePhone: '075588886666' });
    expect(view.complete.business).toBe(false);
    expect(view.problems['business.industry']).toBe('Required');
  });

  test('bad input of every kind: typed error, the field named, nothing written', async () => {
    await choose('ENTERPRISE');
    const save = (step: string, data: unknown) => () => merchant('saveStep', { step, data });
    const cases: Array<[string, unknown, string, string]> = [
      ['identity', { nickname: 'x' }, 'INPUT.INVALID', 'identity.nickname'],
      ['identity', { number: 110105194912310020 }, 'INPUT.INVALID', 'identity.number'],
      ['subject', { address: 'x'.repeat(200) }, 'INPUT.INVALID', 'subject.address'],
      ['subject', { creditCode: '91440300MA5FXT4K8M' }, 'INPUT.INVALID', 'subject.creditCode'],
      ['identity', { docType: 'MAINLAND_ID', number: '110105194912310021' }, 'INPUT.INVALID', 'identity.number'],
      ['identity', { docType: 'MAINLAND_ID', number: '110105194902300011' }, 'INPUT.INVALID', 'identity.number'],
      ['identity', { periodBegin: '2010-01-01', periodEnd: '2020-01-01' }, 'INPUT.INVALID', 'identity.periodEnd'],
      ['contact', { mobile: '12345' }, 'INPUT.INVALID', 'contact.mobile'],
      ['contact', { email: 'not-an-email' }, 'INPUT.INVALID', 'contact.email'],
      ['bank', { accountType: 'PERSONAL' }, 'INPUT.INVALID', 'bank.accountType'],
      ['bank', { accountNumber: '12AB' }, 'INPUT.INVALID', 'bank.accountNumber'],
      ['business', { industry: 'IND_RETAIL' }, 'INPUT.INVALID', 'business.industry'],
      ['subject', { name: 'Another Company Ltd.' }, 'ONBOARDING.ENTITY_MISMATCH', 'subject.name'],
      ['subject', { creditCode: '91350100M000100Y43' }, 'ONBOARDING.ENTITY_MISMATCH', 'subject.creditCode'],
    ];
    for (const [step, data, code, field] of cases) {
      const err = await refusedWithNothingWritten(code, save(step, data));
      expect([step, JSON.stringify(data), Object.keys(err.fields ?? {})]).toEqual([
        step,
        JSON.stringify(data),
        [field],
      ]);
    }
    await refusedWithNothingWritten('INPUT.INVALID', save('documents', {}));
    await refusedWithNothingWritten('INPUT.INVALID', () => merchant('saveStep', { step: 'bank' }));
    await refusedWithNothingWritten('INPUT.INVALID', () => merchant('saveStep', { step: 'bank', data: [] }));
    await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('submitApplication', { force: true }, admin, key()),
    );
    await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('cancelApplication', { reason: 'x' }, admin, key()),
    );
    await refusedWithNothingWritten('INPUT.INVALID', () => merchant('uploadDocument', { slot: 'licence' }));
    await refusedWithNothingWritten('INPUT.INVALID', () => merchant('previewDocument', { slot: '../../etc/passwd' }));
  });

  test('with no application open there is nothing to save', async () => {
    await refusedWithNothingWritten('ONBOARDING.NO_APPLICATION', () =>
      merchant('saveStep', { step: 'business', data: { shortName: 'Tea' } }),
    );
  });

  test('an application under review cannot be edited', async () => {
    await choose('ENTERPRISE');
    await deps.store.update('applications', (await stored())._id, { set: { state: 'AUDITING' } });
    await refusedWithNothingWritten('ONBOARDING.NOT_EDITABLE', () =>
      merchant('saveStep', { step: 'business', data: { shortName: 'Tea' } }),
    );
    await refusedWithNothingWritten('ONBOARDING.NOT_EDITABLE', () =>
      merchant('uploadDocument', { slot: 'licence', content: PNG.toString('base64') }),
    );
  });
});

describe('documents', () => {
  test('JPG, PNG and BMP by content; SHA-256 recorded; stored encrypted; previewable', async () => {
    await choose('INDIVIDUAL');
    for (const [slot, image, type] of [
      ['licence', jpeg('a'), 'image/jpeg'],
      ['legalIdFront', PNG, 'image/png'],
      ['legalIdBack', bmp(), 'image/bmp'],
    ] as const) {
      const info = await ok(
        merchant<{ contentType: string; sha256: string; bytes: number }>('uploadDocument', {
          slot,
          content: image.toString('base64'),
        }),
      );
      expect(info).toMatchObject({
        contentType: type,
        bytes: image.length,
        sha256: require('node:crypto').createHash('sha256').update(image).digest('hex'),
      });
      const preview = await ok(merchant<{ content: string }>('previewDocument', { slot }));
      expect(Buffer.from(preview.content, 'base64').equals(image)).toBe(true);
    }
    const app = await stored();
    const files = fs.readdirSync(path.join(deps.dataDir, 'uploads', 'onboarding', admin.appid, app._id));
    expect(files).toHaveLength(3);
    for (const name of files) {
      const bytes = fs.readFileSync(path.join(deps.dataDir, 'uploads', 'onboarding', admin.appid, app._id, name));
      expect(bytes.includes(PNG.subarray(0, 8))).toBe(false);
      expect(bytes.subarray(0, 3).toString()).toBe('v1.');
    }
    expect((await ok(merchant<ApplicationView>('getApplication'))).complete.documents).toBe(true);
  });

  test('re-uploading replaces the document of the slot and removes the old file', async () => {
    await choose('INDIVIDUAL');
    await ok(merchant('uploadDocument', { slot: 'licence', content: jpeg('old').toString('base64') }));
    const first = (await stored()).documents.licence!;
    await ok(merchant('uploadDocument', { slot: 'licence', content: jpeg('new').toString('base64') }));
    const second = (await stored()).documents.licence!;
    expect(second.fileId).not.toBe(first.fileId);
    expect(await deps.files.get(first.fileId)).toBeNull();
    expect(await deps.files.get(second.fileId)).not.toBeNull();
    // The same image again keeps its file.
    await ok(merchant('uploadDocument', { slot: 'licence', content: jpeg('new').toString('base64') }));
    expect(await deps.files.get((await stored()).documents.licence!.fileId)).not.toBeNull();
  });

  test('what is refused: other formats whatever their name, over 2 MB, not base64, a slot the type does not use', async () => {
    await choose('INDIVIDUAL');
    const upload = (slot: string, content: string) => () => merchant('uploadDocument', { slot, content });
    await refusedWithNothingWritten('ONBOARDING.DOCUMENT_TYPE', upload('licence', GIF.toString('base64')));
    await refusedWithNothingWritten(
      'ONBOARDING.DOCUMENT_TYPE',
      upload('licence', Buffer.from('licence.jpg').toString('base64')),
    );
    await refusedWithNothingWritten(
      'ONBOARDING.DOCUMENT_TOO_LARGE',
      upload('licence', jpeg('big', 2 * 1024 * 1024 + 1).toString('base64')),
    );
    await refusedWithNothingWritten('INPUT.INVALID', upload('licence', 'not base64!'));
    await refusedWithNothingWritten('INPUT.INVALID', upload('passportPhoto', PNG.toString('base64')));
    await refusedWithNothingWritten('ONBOARDING.DOCUMENT_NOT_NEEDED', upload('certificate', PNG.toString('base64')));
    await refusedWithNothingWritten('ONBOARDING.DOCUMENT_NOT_NEEDED', upload('contactIdFront', PNG.toString('base64')));
    expect(fs.existsSync(path.join(deps.dataDir, 'uploads'))).toBe(false);
    // Exactly 2 MB is fine.
    await ok(merchant('uploadDocument', { slot: 'licence', content: jpeg('max', 2 * 1024 * 1024).toString('base64') }));
  });
});

describe('submit judges everything first', () => {
  test('lists every problem at once and writes nothing', async () => {
    await choose('ENTERPRISE');
    await ok(merchant('saveStep', { step: 'business', data: validSteps('ENTERPRISE').business }));
    const err = await refusedWithNothingWritten('ONBOARDING.INCOMPLETE', () =>
      merchant('submitApplication', {}, admin, key()),
    );
    expect(Object.keys(err.fields!)).toEqual(
      expect.arrayContaining([
        'subject.creditCode',
        'identity.number',
        'contact.mobile',
        'bank.accountNumber',
        'documents.licence',
      ]),
    );
    expect(err.fields).not.toHaveProperty(['business.shortName']);
    expect((await stored()).state).toBe('EDITING');
  });

  test('a complete draft shows no problems', async () => {
    for (const type of ALL_TYPES) {
      const view = await draft(type);
      expect([type, view.problems]).toEqual([type, {}]);
      expect(view.documentSlots.filter((s) => s.required).map((s) => s.slot)).toEqual(requiredSlots(type));
      await ok(merchant('cancelApplication', {}, admin, key()));
    }
  });
});

describe('cancelling', () => {
  test('ends the draft, deletes its personal data and documents, and frees the mini program for a new one', async () => {
    await draft('INDIVIDUAL');
    const app = await stored();
    expect(await ok(merchant('cancelApplication', {}, admin, key()))).toEqual({ state: 'CANCELED' });
    const after = await deps.store.get<ApplicationDoc>('applications', app._id);
    expect(after).toMatchObject({
      state: 'CANCELED',
      steps: { subject: {}, identity: {}, contact: {}, business: {}, bank: {} },
      documents: {},
    });
    for (const doc of Object.values(app.documents)) expect(await deps.files.get(doc!.fileId)).toBeNull();
    expect(await ok(merchant('getApplication'))).toBeNull();
    const next = await choose('ENTERPRISE');
    expect(next.id).not.toBe(app._id);
  });

  test('nothing to cancel; and an application under review cannot be cancelled', async () => {
    await refusedWithNothingWritten('ONBOARDING.NO_APPLICATION', () => merchant('cancelApplication', {}, admin, key()));
    await choose('ENTERPRISE');
    await deps.store.update('applications', (await stored())._id, { set: { state: 'TO_BE_SIGNED' } });
    await refusedWithNothingWritten('ONBOARDING.ILLEGAL_TRANSITION', () =>
      merchant('cancelApplication', {}, admin, key()),
    );
  });
});
