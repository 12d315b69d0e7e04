// @ts-check
// The onboarding pages in their states, each step of the application
// included (see support/scenes.js).
const { pollApplications } = require('../../cloudfunctions/core/onboarding/poll-applications');
const { find, fire, loadPage, renderPage, tap, typeInto, useHarness, waitFor } = require('../miniprogram/harness');
const { ok } = require('../support/deps');
const { validSteps } = require('../onboarding/fixtures');
const { choose, draft, key, merchant, saveAll } = require('../onboarding/support');
const { pickPhoto, simulateCascader } = require('../miniprogram/onboarding/support');
const { cloud } = require('../miniprogram/support/cloud');
const { cardPhoto, provideFile, scene, shoot, shootError, shootLoading } = require('./support/scenes');

const h = useHarness({ as: 'admin' });
// The region picker (t-cascader) as WeChat runs it; before any page loads.
simulateCascader();
const INTRO = 'packages/onboarding/pages/intro/index';
const TYPE = 'packages/onboarding/pages/type/index';
const FORM = 'packages/onboarding/pages/form/index';
const DOCUMENTS = 'packages/onboarding/pages/documents/index';
const REVIEW = 'packages/onboarding/pages/review/index';
const STATUS = 'packages/onboarding/pages/status/index';
const intro = loadPage(INTRO);
const typePage = loadPage(TYPE);
const form = loadPage(FORM);
const documents = loadPage(DOCUMENTS);
const review = loadPage(REVIEW);
const status = loadPage(STATUS);

/** @param {any} page */
const idle = (page) => waitFor(() => page.data.loadState === 'idle', 8000);
/** @param {any} page */
const empty = (page) => waitFor(() => page.data.loadState === 'empty', 8000);

async function stored() {
  return /** @type {any} */ ((await h.deps.store.find('applications', { limit: 1 })).items[0]);
}

/** An enterprise application, every step saved, submitted to the sandbox. */
async function submitted() {
  await draft('ENTERPRISE');
  await ok(merchant('submitApplication', {}, undefined, key()));
  return stored();
}

// ---- intro ----
scene(INTRO, 'loading', () => shootLoading(h, intro));
scene(INTRO, 'error', () => shootError(h, intro));
scene(INTRO, 'content', async () => {
  const page = renderPage(intro);
  await idle(page);
  await shoot(page, 'content');
});
scene(INTRO, 'unmet', async () => {
  await h.deps.store.insert('merchants', {
    _id: h.identity.appid,
    appid: h.identity.appid,
    subMchid: '1900000109',
    name: 'Shenzhen Demo Tea Co., Ltd.',
    feeRatePpm: 10000,
    boundAt: '2025-01-01T00:00:00Z',
  });
  const page = renderPage(intro);
  await idle(page);
  await shoot(page, 'unmet');
});
scene(INTRO, 'in-progress', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(intro);
  await idle(page);
  await shoot(page, 'in-progress');
});

// ---- type ----
scene(TYPE, 'loading', () => shootLoading(h, typePage));
scene(TYPE, 'error', () => shootError(h, typePage));
scene(TYPE, 'content', async () => {
  const page = renderPage(typePage);
  await waitFor(() => page.data.loadState === 'idle' && page.data.types.length > 0);
  await tap(find(page, 'type__option--ENTERPRISE'));
  await shoot(page, 'content');
});

// ---- form: one state per step ----
scene(FORM, 'loading', async () => {
  await choose('ENTERPRISE');
  await shootLoading(h, form, { step: 'subject' });
});
scene(FORM, 'error', async () => {
  await choose('ENTERPRISE');
  await shootError(h, form, { step: 'subject' });
});
scene(FORM, 'empty', async () => {
  const page = renderPage(form, { step: 'subject' });
  await empty(page);
  await shoot(page, 'empty');
});
for (const [step, state] of [
  ['subject', 'content'],
  ['identity', 'identity'],
  ['contact', 'contact'],
  ['business', 'business'],
  ['bank', 'bank'],
]) {
  // Saved values show in the fields; personal data only as its masked placeholder.
  scene(FORM, state, async () => {
    await choose('ENTERPRISE');
    await saveAll(validSteps('ENTERPRISE'));
    const page = renderPage(form, { step });
    await idle(page);
    await shoot(page, state);
  });
}
scene(FORM, 'region', async () => {
  // The branch region picker open on the saved city, a district to choose.
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const page = renderPage(form, { step: 'bank' });
  await idle(page);
  await tap(find(page, 'field__region--addressCode'));
  // The cascader sizes its lists from measured rects, which the simulator reports as 0: give the height a phone would.
  const list = /** @type {any} */ (find(page, 't-cascader__options-container'));
  list.__wxElement.ownerShadowRoot.getHostNode().__methodCaller.setData({ _optionsHeight: 480 });
  await shoot(page, 'region');
});
scene(FORM, 'field-errors', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(form, { step: 'subject' });
  await idle(page);
  const steps = /** @type {Record<string, string>} */ (validSteps('ENTERPRISE').subject);
  for (const field of ['name', 'legalPerson', 'address']) await typeInto(page, `field__input--${field}`, steps[field]);
  await typeInto(page, 'field__input--creditCode', '91440300MA5FXT4K8M');
  await fire(find(page, 'field__picker--periodBegin'), 'change', { value: '2018-05-01' });
  await fire(find(page, 'field__switch--periodEnd'), 'change', { value: true });
  await tap(find(page, 'form__next'));
  await waitFor(() => page.data.submitError !== '');
  await shoot(page, 'field-errors');
});
scene(FORM, 'locked', async () => {
  await submitted();
  const page = renderPage(form, { step: 'business' });
  await idle(page);
  await shoot(page, 'locked');
});

// ---- documents ----
async function individualDraft() {
  await choose('INDIVIDUAL');
  await saveAll(validSteps('INDIVIDUAL'));
}
scene(DOCUMENTS, 'loading', async () => {
  await individualDraft();
  await shootLoading(h, documents);
});
scene(DOCUMENTS, 'error', async () => {
  await individualDraft();
  await shootError(h, documents);
});
scene(DOCUMENTS, 'empty', async () => {
  const page = renderPage(documents);
  await empty(page);
  await shoot(page, 'empty');
});
scene(DOCUMENTS, 'content', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await idle(page);
  await shoot(page, 'content');
});
scene(DOCUMENTS, 'uploaded', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await idle(page);
  const tints = { licence: [250, 236, 214], legalIdFront: [214, 228, 250], legalIdBack: [222, 240, 226] };
  for (const [slot, tint] of Object.entries(tints)) {
    const photo = cardPhoto(/** @type {[number, number, number]} */ (tint));
    const path = `wxfile://tmp_${slot}.png`;
    provideFile(path, photo);
    pickPhoto(photo, photo.length, path);
    await tap(find(page, 'docs__choose', `docs__slot--${slot}`));
    await waitFor(() => page.data.slots.find((/** @type {any} */ s) => s.slot === slot).uploaded, 8000);
  }
  await shoot(page, 'uploaded');
});
scene(DOCUMENTS, 'upload-error', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await idle(page);
  const photo = cardPhoto();
  pickPhoto(photo, 3 * 1024 * 1024, 'wxfile://tmp_big.png');
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => page.data.slots.find((/** @type {any} */ s) => s.slot === 'licence').error !== '');
  await shoot(page, 'upload-error');
});
scene(DOCUMENTS, 'uploading', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await idle(page);
  const photo = cardPhoto([250, 236, 214]);
  provideFile('wxfile://tmp_licence.png', photo);
  pickPhoto(photo, photo.length, 'wxfile://tmp_licence.png');
  // Halfway through the platform's own progress events.
  const release = cloud.holdUploads();
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => page.data.slots.find((/** @type {any} */ s) => s.slot === 'licence').progress === 50, 8000);
  await shoot(page, 'uploading');
  release();
  await waitFor(() => page.data.slots.find((/** @type {any} */ s) => s.slot === 'licence').uploaded, 8000);
});
scene(DOCUMENTS, 'upload-failed', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await idle(page);
  const photo = cardPhoto([214, 228, 250]);
  provideFile('wxfile://tmp_front.png', photo);
  pickPhoto(photo, photo.length, 'wxfile://tmp_front.png');
  cloud.failNextUpload();
  await tap(find(page, 'docs__choose', 'docs__slot--legalIdFront'));
  await waitFor(() => page.data.slots.find((/** @type {any} */ s) => s.slot === 'legalIdFront').error !== '', 8000);
  await shoot(page, 'upload-failed');
});

// ---- review ----
scene(REVIEW, 'loading', async () => {
  await draft('ENTERPRISE');
  await shootLoading(h, review);
});
scene(REVIEW, 'error', async () => {
  await draft('ENTERPRISE');
  await shootError(h, review);
});
scene(REVIEW, 'empty', async () => {
  const page = renderPage(review);
  await empty(page);
  await shoot(page, 'empty');
});
scene(REVIEW, 'content', async () => {
  await draft('ENTERPRISE');
  const page = renderPage(review);
  await idle(page);
  await shoot(page, 'content');
});
scene(REVIEW, 'problems', async () => {
  // Everything but the settlement account and the documents.
  await choose('INDIVIDUAL');
  const steps = validSteps('INDIVIDUAL');
  for (const step of /** @type {const} */ (['subject', 'identity', 'contact', 'business']))
    await ok(merchant('saveStep', { step, data: steps[step] }));
  const page = renderPage(review);
  await idle(page);
  await shoot(page, 'problems');
});
scene(REVIEW, 'submitted', async () => {
  await submitted();
  const page = renderPage(review);
  await idle(page);
  await shoot(page, 'submitted');
});

// ---- status: each stage of the review ----
scene(STATUS, 'loading', async () => {
  await submitted();
  await shootLoading(h, status);
});
scene(STATUS, 'error', async () => {
  await submitted();
  await shootError(h, status);
});
scene(STATUS, 'empty', async () => {
  const page = renderPage(status);
  await empty(page);
  await shoot(page, 'empty');
});
scene(STATUS, 'draft', async () => {
  await draft('ENTERPRISE');
  const page = renderPage(status);
  await idle(page);
  await shoot(page, 'draft');
});
scene(STATUS, 'content', async () => {
  await submitted();
  const page = renderPage(status);
  await idle(page);
  await shoot(page, 'content');
});
scene(STATUS, 'rejected', async () => {
  const app = await submitted();
  h.deps.sandbox.forceApplyment(app._id, {
    outcome: 'reject',
    audit_detail: [
      {
        field: 'subject_info.business_license_info.license_copy',
        field_name: '营业执照照片',
        reject_reason: '照片不清晰',
      },
      { field: 'bank_account_info.account_number', field_name: '银行账号', reject_reason: '账号与户名不符' },
    ],
  });
  await pollApplications(h.deps);
  const page = renderPage(status);
  await idle(page);
  await shoot(page, 'rejected');
});
scene(STATUS, 'confirm', async () => {
  const app = await submitted();
  h.deps.sandbox.forceApplyment(app._id, { outcome: 'require-confirmation' });
  await pollApplications(h.deps);
  const page = renderPage(status);
  await idle(page);
  await shoot(page, 'confirm');
});
scene(STATUS, 'sign', async () => {
  const app = await submitted();
  h.deps.sandbox.forceApplyment(app._id, { outcome: 'require-confirmation' });
  await pollApplications(h.deps);
  h.deps.sandbox.confirmApplyment((await stored()).applymentId);
  await pollApplications(h.deps);
  const page = renderPage(status);
  await idle(page);
  // The test sandbox listens on a port of the moment; `npm start`'s is 8788.
  await shoot(page, 'sign', { steady: [[/127\.0\.0\.1:\d+/g, '127.0.0.1:8788']] });
});
scene(STATUS, 'approved', async () => {
  await submitted();
  h.deps.clock.advance(6_000);
  await h.deps.sandbox.flush();
  await pollApplications(h.deps);
  const page = renderPage(status);
  await idle(page);
  await shoot(page, 'approved');
});
