// The draft through merchant's main() on SQLite: choosing the type, saving
// steps, documents, cancelling; every kind of bad input refused with a typed
// error and nothing written; who may call.
import fs from 'node:fs';
import path from 'node:path';
import type { ApplicationView, OnboardingIntro } from '../../../typings/onboarding';
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { admin, buyer, errorOf, ok, testDeps, type TestDeps } from '../../support/deps';
import { ALL_TYPES, bmp, ENTITY, GIF, jpeg, LEGAL_ID, PNG, requiredSlots, validSteps } from '../fixtures';
import { uploadFolder } from '../../../cloudfunctions/core/onboarding/documents';
import { choose, draft, key, merchant, placeUpload, saveAll, upload } from '../support';

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

  test('an existing merchant account declared by the registration record: refused above 0.6% or indirect, admitted otherwise', async () => {
    const declare = (existingMerchant: { feeRatePpm: number; connection: 'DIRECT' | 'INDIRECT' }) => {
      deps.config.miniPrograms[admin.appid] = {
        ...deps.config.miniPrograms[admin.appid],
        existingMerchant: { mchid: '1230000109', ...existingMerchant },
      };
    };
    const requirement = async (code: string) =>
      (await ok(merchant<OnboardingIntro>('onboardingIntro'))).requirements.find((r) => r.code === code)!;

    declare({ feeRatePpm: 6001, connection: 'DIRECT' });
    const tooHigh = await refusedWithNothingWritten('ONBOARDING.FEE_RATE_TOO_HIGH', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
    expect(tooHigh.details).toMatchObject({ feeRatePpm: 6001 });
    expect(await requirement('FEE_RATE')).toMatchObject({ met: false, detail: expect.stringContaining('0.6001%') });
    const intro = await ok(merchant<OnboardingIntro>('onboardingIntro'));
    expect(intro.existingMerchant).toEqual({
      mchid: expect.not.stringContaining('1230000109'),
      feeRatePpm: 6001,
      connection: 'DIRECT',
    });

    declare({ feeRatePpm: 3800, connection: 'INDIRECT' });
    await refusedWithNothingWritten('ONBOARDING.NOT_DIRECT_CONNECTION', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, admin, key()),
    );
    expect(await requirement('DIRECT_CONNECTION')).toMatchObject({ met: false });
    expect(await requirement('FEE_RATE')).toMatchObject({ met: true });

    declare({ feeRatePpm: 6000, connection: 'DIRECT' });
    expect((await ok(merchant<OnboardingIntro>('onboardingIntro'))).requirements.every((r) => r.met)).toBe(true);
    expect(await choose('ENTERPRISE')).toMatchObject({ merchantType: 'ENTERPRISE', state: 'EDITING' });
  });

  test('a mini program served by a third-party platform, and a call through one', async () => {
    await refusedWithNothingWritten('AUTH.THIRD_PARTY_PLATFORM', () =>
      merchant('chooseType', { merchantType: 'ENTERPRISE' }, { ...admin, fromAppid: 'wx_platform_0001' }, key()),
    );
    deps.config.miniPrograms[admin.appid] = { ...deps.config.miniPrograms[admin.appid], thirdPartyPlatform: true };
    await refusedWithNothingWritten('AUTH.THIRD_PARTY_PLATFORM', () => merchant('onboardingIntro'));

    // Served behind the registration record's setting: the requirement is met and onboarding opens.
    deps.config.miniPrograms[admin.appid] = { ...deps.config.miniPrograms[admin.appid], serveThirdPartyPlatform: true };
    const intro = await ok(merchant<OnboardingIntro>('onboardingIntro'));
    expect(intro.requirements.find((r) => r.code === 'NO_THIRD_PARTY')).toMatchObject({ met: true });
    await expect(
      ok(merchant('chooseType', { merchantType: 'ENTERPRISE' }, { ...admin, fromAppid: 'wx_platform_0001' }, key())),
    ).resolves.toMatchObject({ merchantType: 'ENTERPRISE' });
  });
});

describe('only the merchant admin', () => {
  test.each([
    ['onboardingIntro', {}],
    ['getApplication', {}],
    ['chooseType', { merchantType: 'ENTERPRISE' }],
    ['saveStep', { step: 'business', data: { shortName: 'Tea' } }],
    ['prepareDocumentUpload', { slot: 'licence' }],
    ['uploadDocument', { slot: 'licence', fileId: `local://${uploadFolder(buyer)}/licence.png` }],
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
    expect(view.problems['business.industry']).toEqual({ reason: 'required' });
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
    // The image itself never travels in a call any more: only its file id.
    await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('uploadDocument', { slot: 'licence', content: PNG.toString('base64') }),
    );
    await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('prepareDocumentUpload', { slot: 'licence', ext: 'gif' }),
    );
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
      merchant('prepareDocumentUpload', { slot: 'licence' }),
    );
    const fileId = await placeUpload(PNG);
    await refusedWithNothingWritten('ONBOARDING.NOT_EDITABLE', () =>
      merchant('uploadDocument', { slot: 'licence', fileId }),
    );
    // The upload is of no use any more: it is gone too.
    expect(await deps.files.get(fileId)).toBeNull();
  });
});

describe('documents', () => {
  const sha256 = (b: Buffer) => require('node:crypto').createHash('sha256').update(b).digest('hex');
  const uploadsLeft = () => {
    const folder = path.join(deps.dataDir, 'uploads', uploadFolder(admin));
    return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
  };

  test("a path for each photo: a fresh name in the caller's own folder", async () => {
    await choose('INDIVIDUAL');
    const a = await ok(merchant<{ cloudPath: string }>('prepareDocumentUpload', { slot: 'licence', ext: 'jpg' }));
    const b = await ok(merchant<{ cloudPath: string }>('prepareDocumentUpload', { slot: 'licence' }));
    expect(a.cloudPath).toMatch(new RegExp(`^${uploadFolder(admin)}/licence-[A-Za-z0-9_-]{16}\\.jpg$`));
    expect(b.cloudPath).toMatch(new RegExp(`^${uploadFolder(admin)}/licence-[A-Za-z0-9_-]{16}$`));
    expect(a.cloudPath).not.toBe(b.cloudPath);
    // Per mini program and per user; the openid itself is not in the path.
    expect(uploadFolder(admin)).toMatch(new RegExp(`^applications/${admin.appid}/[0-9a-f]{32}$`));
    expect(uploadFolder(admin)).not.toContain(admin.openid);
    expect(uploadFolder({ ...admin, openid: 'o_other' })).not.toBe(uploadFolder(admin));
    await refusedWithNothingWritten('ONBOARDING.DOCUMENT_NOT_NEEDED', () =>
      merchant('prepareDocumentUpload', { slot: 'certificate' }),
    );
  });

  test('JPG, PNG and BMP by content; SHA-256 recorded; stored encrypted; previewable; the upload removed', async () => {
    await choose('INDIVIDUAL');
    for (const [slot, image, type] of [
      ['licence', jpeg('a'), 'image/jpeg'],
      ['legalIdFront', PNG, 'image/png'],
      ['legalIdBack', bmp(), 'image/bmp'],
    ] as const) {
      const info = await ok(upload<{ contentType: string; sha256: string; bytes: number }>(slot, image));
      expect(info).toMatchObject({ contentType: type, bytes: image.length, sha256: sha256(image) });
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
    // The plain photos are gone: only the sealed copies stay.
    expect(uploadsLeft()).toEqual([]);
    expect((await ok(merchant<ApplicationView>('getApplication'))).complete.documents).toBe(true);
  });

  test('re-uploading replaces the document of the slot and removes the old file', async () => {
    await choose('INDIVIDUAL');
    await ok(upload('licence', jpeg('old')));
    const first = (await stored()).documents.licence!;
    await ok(upload('licence', jpeg('new')));
    const second = (await stored()).documents.licence!;
    expect(second.fileId).not.toBe(first.fileId);
    expect(await deps.files.get(first.fileId)).toBeNull();
    expect(await deps.files.get(second.fileId)).not.toBeNull();
    // The same image again keeps its file.
    await ok(upload('licence', jpeg('new')));
    expect(await deps.files.get((await stored()).documents.licence!.fileId)).not.toBeNull();
  });

  test('what is refused: other formats whatever their name, over 2 MB, a slot the type does not use', async () => {
    await choose('INDIVIDUAL');
    const refused = async (code: string, slot: string, content: Buffer) => {
      const fileId = await placeUpload(content);
      await refusedWithNothingWritten(code, () => merchant('uploadDocument', { slot, fileId }));
      // Refused or not, the upload is not kept.
      expect(await deps.files.get(fileId)).toBeNull();
    };
    await refused('ONBOARDING.DOCUMENT_TYPE', 'licence', GIF);
    await refused('ONBOARDING.DOCUMENT_TYPE', 'licence', Buffer.from('licence.jpg'));
    await refused('ONBOARDING.DOCUMENT_TYPE', 'licence', Buffer.alloc(0));
    await refused('ONBOARDING.DOCUMENT_TOO_LARGE', 'licence', jpeg('big', 2 * 1024 * 1024 + 1));
    await refused('ONBOARDING.DOCUMENT_NOT_NEEDED', 'certificate', PNG);
    await refused('ONBOARDING.DOCUMENT_NOT_NEEDED', 'contactIdFront', PNG);
    await refusedWithNothingWritten('INPUT.INVALID', () =>
      merchant('uploadDocument', { slot: 'passportPhoto', fileId: 'local://x' }),
    );
    expect(fs.existsSync(path.join(deps.dataDir, 'uploads', 'onboarding'))).toBe(false);
    expect(uploadsLeft()).toEqual([]);
    // Exactly 2 MB is fine.
    await ok(upload('licence', jpeg('max', 2 * 1024 * 1024)));
  });

  test("a file id outside the caller's own folder is refused as not found, and the file is left alone", async () => {
    await choose('INDIVIDUAL');
    const other = { ...admin, openid: 'o_other_admin_000000000001' };
    const theirs = await placeUpload(jpeg('theirs'), other);
    const otherApp = await placeUpload(jpeg('app'), { ...admin, appid: 'wx0000000000000002' });
    const nested = await placeUpload(jpeg('nested'), admin, `${uploadFolder(admin)}/deeper/licence.jpg`);
    const elsewhere = await placeUpload(jpeg('elsewhere'), admin, 'public/licence.jpg');
    await ok(upload('legalIdFront', PNG));
    const sealed = (await stored()).documents.legalIdFront!.fileId;
    for (const fileId of [
      theirs,
      otherApp,
      nested,
      elsewhere,
      sealed,
      `local://${uploadFolder(admin)}/../../../${uploadFolder(other).split('/').pop()}/x.jpg`,
      `cloud://env-1.7465-env-1-1250000000/${uploadFolder(other)}/licence.jpg`,
      'licence.jpg',
    ]) {
      const err = await refusedWithNothingWritten('ONBOARDING.UPLOAD_NOT_FOUND', () =>
        merchant('uploadDocument', { slot: 'licence', fileId }),
      );
      expect(err.message).not.toContain(fileId);
    }
    for (const fileId of [theirs, otherApp, nested, elsewhere, sealed])
      expect(await deps.files.get(fileId)).not.toBeNull();
    // An id in the caller's folder whose file is gone (uploaded then used, or never there).
    await refusedWithNothingWritten('ONBOARDING.UPLOAD_NOT_FOUND', () =>
      merchant('uploadDocument', { slot: 'licence', fileId: `local://${uploadFolder(admin)}/licence-gone.jpg` }),
    );
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
