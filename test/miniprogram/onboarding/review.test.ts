// Review and submit: the summary, every problem with its way to a fix, and
// a submission that happens once however it is tapped or retried.
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { exists, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
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
  expect(text(find(page, 'review__type'))).toContain('Enterprise');
  expect(exists(page, 'review__problem')).toBe(false);
  const all = text(page);
  expect(all).toContain('1****************X');
  expect(all).not.toContain('11010519491231002X');
  expect(all).toContain('Long-term');
  expect(
    findAll(page, 'review__document')
      .map(text)
      .every((t) => !t.includes('Missing')),
  ).toBe(true);

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
  expect(text(find(page, 'review__error'))).toContain("Can't reach the service");
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
  expect(text(find(page, 'review__problem--identity-number'))).toContain('Legal representative: ID number');
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
  expect(text(find(page, 'review__error'))).toContain('cannot be submitted yet');
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
  await tap(find(page, 'review__view'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/status/index']);
});

test('no application: empty; a failed load: error with retry', async () => {
  const empty = renderPage(review);
  await waitFor(() => empty.data.loadState === 'empty');
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
