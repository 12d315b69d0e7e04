// Type choice: opens the draft with the type, once however often it is tapped.
import type { ApplicationView } from '../../../typings/onboarding';
import { exists, find, findAll, loadPage, renderPage, speak, tap, text, useHarness, waitFor } from '../harness';
import { ok } from '../../support/deps';
import { choose, merchant } from '../../onboarding/support';

const h = useHarness({ as: 'admin' });
const typePage = loadPage('packages/onboarding/pages/type/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.types.length === 5);

test('choose a type and continue: the draft is opened with it and the form begins', async () => {
  const page = renderPage(typePage);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(findAll(page, 'type__option').map(text)).toEqual([
    expect.stringContaining('个体工商户'),
    expect.stringContaining('企业'),
    expect.stringContaining('事业单位'),
    expect.stringContaining('政府机关'),
    expect.stringContaining('社会组织'),
  ]);
  expect(text(page)).toContain('请选择与营业执照或登记证书一致的主体类型');
  expect(text(find(page, 'type__continue'))).toBe('下一步');
  await tap(find(page, 'type__option--SOCIAL_ORG'));
  expect(exists(page, 'type__option--selected')).toBe(true);
  await tap(find(page, 'type__continue'));
  await waitFor(() => h.navigations().length === 1);
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/form/index?step=subject']);
  const app = await ok(merchant<ApplicationView>('getApplication'));
  expect(app).toMatchObject({ merchantType: 'SOCIAL_ORG', state: 'EDITING' });
  const [callMade] = h.callsTo('merchant', 'chooseType');
  expect(callMade.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
});

test('continuing without a choice asks for one and calls nothing', async () => {
  const page = renderPage(typePage);
  await loaded(page);
  await tap(find(page, 'type__continue'));
  expect(text(find(page, 'type__error'))).toBe('请先选择主体类型');
  expect(h.callsTo('merchant', 'chooseType')).toHaveLength(0);
});

test('a double tap opens one draft', async () => {
  const page = renderPage(typePage);
  await loaded(page);
  await tap(find(page, 'type__option--ENTERPRISE'));
  const release = h.hold();
  await tap(find(page, 'type__continue'));
  await tap(find(page, 'type__continue'));
  release();
  await waitFor(() => h.navigations().length === 1);
  expect(h.callsTo('merchant', 'chooseType')).toHaveLength(1);
});

test('a dropped answer: the error shows, and the retry (same key) opens the same single draft', async () => {
  const page = renderPage(typePage);
  await loaded(page);
  await tap(find(page, 'type__option--ENTERPRISE'));
  h.failNext();
  await tap(find(page, 'type__continue'));
  await waitFor(() => page.data.submitError !== '');
  expect(text(find(page, 'type__error'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 'type__continue'));
  await waitFor(() => h.navigations().length === 1);
  const keys = h.callsTo('merchant', 'chooseType').map((c) => c.idempotencyKey);
  expect(new Set(keys).size).toBe(1);
  expect(await h.deps.store.count('applications')).toBe(1);
});

test('the open draft’s type is preselected; an application under review cannot change type', async () => {
  await choose('GOVERNMENT');
  const app = (await h.deps.store.find<{ _id: string }>('applications', { limit: 1 })).items[0];
  const page = renderPage(typePage);
  await loaded(page);
  expect(page.data.selected).toBe('GOVERNMENT');
  await h.deps.store.update('applications', app._id, { set: { state: 'AUDITING' } });
  await tap(find(page, 'type__option--ENTERPRISE'));
  await tap(find(page, 'type__continue'));
  await waitFor(() => page.data.blocked);
  expect(text(find(page, 'type__error'))).toBe('该小程序已有一份进行中的申请');
  expect(text(find(page, 'type__view'))).toBe('查看申请');
  await tap(find(page, 'type__view'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('a failed load shows the error with retry', async () => {
  h.failNext();
  const page = renderPage(typePage);
  await waitFor(() => page.data.loadState === 'error');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
});

test('in English: the five types and the way on, with no Chinese left', async () => {
  speak('en-US');
  const page = renderPage(typePage);
  await loaded(page);
  expect(text(find(page, 'type__option--INDIVIDUAL'))).toContain('Individual business');
  expect(text(find(page, 'type__option--GOVERNMENT'))).toContain('Government agency');
  await tap(find(page, 'type__continue'));
  expect(text(find(page, 'type__error'))).toBe('Choose a merchant type first');
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
