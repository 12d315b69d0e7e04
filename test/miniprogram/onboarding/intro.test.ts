// The intro page through the whole stack: page -> services/onboarding ->
// transport -> wx.cloud -> the real merchant function -> SQLite.
import { cells, exists, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
import { choose } from '../../onboarding/support';

const h = useHarness({ as: 'admin' });
const intro = loadPage('packages/onboarding/pages/intro/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.intro);

test('loading, then the five types with their documents, the requirements all met, and Start', async () => {
  const page = renderPage(intro);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  const types = findAll(page, 'intro__type').map(text);
  expect(types).toHaveLength(5);
  expect(types[0]).toContain('Individual business owner');
  expect(types[0]).toContain("Operator's ID");
  expect(types[1]).toContain("Legal representative's ID");
  expect(types[4]).toContain('Social organisation');
  expect(findAll(page, 'intro__requirement--met')).toHaveLength(5);
  expect(text(find(page, 'intro__requirement--met'))).toContain('Domestic entities only');
  expect(text(page)).toContain('Shenzhen Demo Tea Co., Ltd.');
  await tap(find(page, 'intro__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/type/index']);
  expect(h.callsTo('merchant').map((c) => c.action)).toEqual(['onboardingIntro']);
});

test('an unmet requirement is shown with its reason and no way to start', async () => {
  await h.deps.store.insert('merchants', {
    _id: h.identity.appid,
    appid: h.identity.appid,
    subMchid: '1900000109',
    name: 'Old account',
    feeRatePpm: 10000,
    boundAt: '2025-01-01T00:00:00Z',
  });
  const page = renderPage(intro);
  await loaded(page);
  const unmet = findAll(page, 'intro__requirement--unmet').map(text);
  expect(unmet).toHaveLength(1);
  expect(unmet[0]).toContain('1%');
  expect(exists(page, 'intro__start')).toBe(false);
  expect(text(find(page, 'intro__merchant'))).toContain('Old account');
});

test('an application under way is shown instead of Start, and opens its status', async () => {
  await choose('ENTERPRISE');
  const page = renderPage(intro);
  await loaded(page);
  expect(cells(page).find((c) => c.title === 'Your application')?.note).toBe('Draft, not submitted yet');
  expect(exists(page, 'intro__start')).toBe(false);
  await tap(find(page, 'intro__continue'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('a failed load shows the error with retry, and retry loads', async () => {
  h.failNext();
  const page = renderPage(intro);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 'load-state__error'))).toContain("Can't reach the service");
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
  expect(findAll(page, 'intro__type')).toHaveLength(5);
});

test('a buyer is refused: the error state says why', async () => {
  h.as('buyer');
  const page = renderPage(intro);
  await waitFor(() => page.data.loadState === 'error');
  expect(page.data.errorText).toContain("Only the mini program's merchant admin");
});
