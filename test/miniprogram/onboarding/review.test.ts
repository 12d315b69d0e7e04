// Review and submit: the summary, every problem with its way to a fix, and
// a submission that happens once however it is tapped or retried.
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { cell, exists, find, findAll, loadPage, renderPage, speak, tap, text, useHarness, waitFor } from '../harness';
import { validSteps } from '../../onboarding/fixtures';
import { choose, draft } from '../../onboarding/support';

const h = useHarness({ as: 'admin' });
const review = loadPage('packages/onboarding/pages/review/index');
const loaded = (page: ReturnType<typeof renderPage>) => waitFor(() => page.data.loadState === 'idle' && page.data.view);
const stored = async () => (await h.deps.store.find<ApplicationDoc>('applications', { limit: 1 })).items[0];

test('a complete application: the summary masked, no problems, submitted once to WeChat Pay', async () => {
  await draft('ENTERPRISE');
  const page = renderPage(review);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(text(find(page, 'review__type'))).toBe('主体类型 企业');
  expect(exists(page, 'review__problem')).toBe(false);
  const all = text(page);
  expect(all).toContain('1****************X');
  expect(all).not.toContain('11010519491231002X');
  expect(cell(page, '有效期结束').note).toBe('长期');
  expect(cell(page, '证件类型').note).toBe('中国大陆居民身份证');
  expect(cell(page, '所属行业').note).toBe('餐饮（费率 0.6%）');
  expect(cell(page, '开户银行').note).toBe('其他银行');
  expect(cell(page, '开户行所在地').note).toBe('广东省 / 深圳市');
  expect(cell(page, '超级管理员').note).toBe('由经办人担任');
  expect(findAll(page, 'review__document').map(text)).toEqual(
    expect.arrayContaining(['营业执照 已上传', '法定代表人证件人像面 已上传']),
  );
  expect(all).not.toContain('未上传');
  expect(text(find(page, 'review__submit'))).toBe('提交至微信支付');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '确认并提交' }));

  const release = h.hold();
  await tap(find(page, 'review__submit'));
  await tap(find(page, 'review__submit'));
  release();
  await waitFor(() => h.navigations().length === 1);
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
  expect(h.callsTo('merchant', 'submitApplication')).toHaveLength(1);
  expect((await stored()).state).toBe('AUDITING');
});

test('a dropped answer: retrying sends the same key, and WeChat Pay gets one application', async () => {
  await draft('INDIVIDUAL');
  const page = renderPage(review);
  await loaded(page);
  h.failNext();
  await tap(find(page, 'review__submit'));
  await waitFor(() => page.data.submitError !== '');
  expect(text(find(page, 'review__error'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 'review__submit'));
  await waitFor(() => h.navigations().length === 1);
  const keys = h.callsTo('merchant', 'submitApplication').map((c) => c.idempotencyKey);
  expect(keys).toHaveLength(2);
  expect(new Set(keys).size).toBe(1);
  expect(h.deps.sandbox.ctx.state.list('applyment', {})).toHaveLength(1);
});

test('an incomplete application lists every problem, each opening its field; Submit stays off', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(review);
  await loaded(page);
  const problems = page.data.view.problems;
  expect(problems.map((p: { path: string }) => p.path)).toEqual(
    expect.arrayContaining(['subject.creditCode', 'identity.number', 'bank.accountNumber', 'documents.licence']),
  );
  expect(text(find(page, 'review__problem--identity-number'))).toBe('法定代表人：证件号码 必填');
  expect(text(find(page, 'review__problem--documents-licence'))).toMatch(/^营业执照 [\u4e00-\u9fff]/);
  expect(text(page)).toContain(`提交前需修改（${problems.length}）`);
  await tap(find(page, 'review__problem--identity-number'));
  await tap(find(page, 'review__problem--documents-licence'));
  expect(h.navigations()).toEqual([
    '/packages/onboarding/pages/form/index?step=identity&field=number',
    '/packages/onboarding/pages/documents/index?field=licence',
  ]);
  await tap(find(page, 'review__submit'));
  expect(h.callsTo('merchant', 'submitApplication')).toHaveLength(0);
});

test('the backend judges again at submit: what it finds replaces the list', async () => {
  await draft('ENTERPRISE');
  const page = renderPage(review);
  await loaded(page);
  // The administrator's ID runs out while the page is open.
  h.deps.clock.set('2036-02-01T00:00:00Z');
  await tap(find(page, 'review__submit'));
  await waitFor(() => page.data.submitError !== '');
  expect(page.data.view.problems.map((p: { path: string }) => p.path)).toContain('contact.periodEnd');
  // The backend's reason, worded by the app, under the field's name.
  expect(text(find(page, 'review__problem--contact-periodEnd'))).toMatch(/^超级管理员：有效期结束 .*[\u4e00-\u9fff]/);
  expect(text(find(page, 'review__error'))).toMatch(/^还有 \d+ 项需要补充或修改$/);
  expect((await stored()).state).toBe('EDITING');
});

test('edit links open each step and the documents', async () => {
  await choose('INDIVIDUAL');
  const page = renderPage(review);
  await loaded(page);
  await tap(find(page, 'review__edit-bank'));
  await tap(find(page, 'review__edit-documents'));
  expect(h.navigations()).toEqual([
    '/packages/onboarding/pages/form/index?step=bank',
    '/packages/onboarding/pages/documents/index',
  ]);
});

test('after submission the page only offers the status', async () => {
  await draft('INDIVIDUAL');
  await h.deps.store.update('applications', (await stored())._id, { set: { state: 'AUDITING' } });
  const page = renderPage(review);
  await loaded(page);
  expect(exists(page, 'review__submit')).toBe(false);
  expect(text(find(page, 'review__view'))).toBe('查看申请');
  await tap(find(page, 'review__view'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('no application: empty; a failed load: error with retry', async () => {
  const empty = renderPage(review);
  await waitFor(() => empty.data.loadState === 'empty');
  expect(text(empty)).toContain('还没有进行中的申请');
  await tap(find(empty, 'review__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
  await choose('INDIVIDUAL');
  h.failNext();
  const page = renderPage(review);
  await waitFor(() => page.data.loadState === 'error');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
  expect(validSteps('INDIVIDUAL').subject.name).toBeDefined();
});

test('in English: an individual business with problems, with no Chinese left but the data', async () => {
  speak('en-US');
  await choose('INDIVIDUAL');
  const page = renderPage(review);
  await loaded(page);
  expect(text(find(page, 'review__type'))).toBe('Merchant type Individual business');
  expect(text(find(page, 'review__problem--identity-number'))).toBe('Operator: ID number Required');
  expect(text(find(page, 'review__problem--documents-legalIdFront'))).toMatch(/^Operator's ID, front \w/);
  expect(text(find(page, 'review__submit'))).toBe('Submit to WeChat Pay');
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
