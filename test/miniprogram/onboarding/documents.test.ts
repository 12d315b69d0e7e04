// Documents: choose, upload with progress, preview, retry the same photo,
// refusals shown on their card, and the way on to the review.
import type { ApplicationView } from '../../../typings/onboarding';
import { exists, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
import { ok } from '../../support/deps';
import { GIF, jpeg, PNG, validSteps } from '../../onboarding/fixtures';
import { choose, merchant, saveAll, uploadAll } from '../../onboarding/support';
import { cancelPhoto, pickPhoto } from './support';

const h = useHarness({ as: 'admin' });
const documents = loadPage('packages/onboarding/pages/documents/index');
const loaded = (page: ReturnType<typeof renderPage>) =>
  waitFor(() => page.data.loadState === 'idle' && page.data.slots.length > 0);
const slot = (page: ReturnType<typeof renderPage>, name: string) =>
  page.data.slots.find((s: { slot: string }) => s.slot === name);

async function individualDraft() {
  await choose('INDIVIDUAL');
  await saveAll(validSteps('INDIVIDUAL'));
}

test('each needed document: choose a photo, it uploads with progress and shows; then on to the review', async () => {
  await individualDraft();
  const page = renderPage(documents);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(page.data.slots.map((s: { slot: string; required: boolean }) => [s.slot, s.required])).toEqual([
    ['licence', true],
    ['legalIdFront', true],
    ['legalIdBack', true],
  ]);
  expect(text(find(page, 'docs__slot--licence'))).toContain('Required');

  for (const name of ['licence', 'legalIdFront', 'legalIdBack']) {
    const path = pickPhoto(name === 'licence' ? jpeg('licence') : PNG);
    await tap(find(page, 'docs__choose', `docs__slot--${name}`));
    await waitFor(() => slot(page, name).uploaded);
    expect(slot(page, name)).toMatchObject({ preview: path, progress: -1, error: '' });
  }
  expect(text(find(page, 'docs__slot--licence'))).toMatch(/Uploaded \d+ KB/);
  expect(findAll(page, 'docs__preview')).toHaveLength(3);
  const app = await ok(merchant<ApplicationView>('getApplication'));
  expect(app.complete.documents).toBe(true);
  expect(app.documents.licence?.contentType).toBe('image/jpeg');

  await tap(find(page, 'docs__next'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/review/index']);
});

test('moving on with a document missing is refused on the page', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  await tap(find(page, 'docs__next'));
  expect(text(find(page, 'docs__submit-error'))).toContain('Upload every required document');
  expect(h.navigations()).toEqual([]);
});

test('a photo over 2 MB is refused before sending; a cancelled picker does nothing', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG, 3 * 1024 * 1024);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__error'))).toContain('the limit is 2 MB');
  cancelPhoto();
  await tap(find(page, 'docs__choose', 'docs__slot--legalIdFront'));
  expect(h.callsTo('merchant', 'uploadDocument')).toHaveLength(0);
});

test('a failed upload shows its error and Retry sends the same photo again', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG);
  h.failNext();
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(text(find(page, 'docs__slot--licence'))).toContain("Can't reach the service");
  await tap(find(page, 'docs__retry', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').uploaded);
  const calls = h.callsTo('merchant', 'uploadDocument');
  expect(calls).toHaveLength(2);
  expect(calls[1].data).toEqual(calls[0].data);
});

test('what WeChat Pay does not take is refused with the reason on the card', async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(GIF);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  expect(slot(page, 'licence').error).toBe('Upload a JPG, PNG or BMP image');
  expect(slot(page, 'licence').uploaded).toBe(false);
});

test('documents uploaded in an earlier visit can be shown again; a rejected one is pointed at', async () => {
  await individualDraft();
  await uploadAll('INDIVIDUAL');
  const page = renderPage(documents, { field: 'licence' });
  await loaded(page);
  expect(findAll(page, 'docs__slot--focus').map((el) => el.className)).toEqual([
    expect.stringContaining('docs__slot--licence'),
  ]);
  expect(slot(page, 'licence')).toMatchObject({ uploaded: true, preview: '' });
  await tap(find(page, 'docs__show', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').preview !== '');
  expect(slot(page, 'licence').preview).toBe(`data:image/jpeg;base64,${jpeg('licence').toString('base64')}`);
});

test('an authorised administrator adds their ID and the authorisation letter', async () => {
  await choose('ENTERPRISE');
  await saveAll(validSteps('ENTERPRISE'));
  const page = renderPage(documents);
  await loaded(page);
  expect(page.data.slots.map((s: { slot: string }) => s.slot)).toEqual([
    'licence',
    'legalIdFront',
    'legalIdBack',
    'contactIdFront',
    'contactIdBack',
    'authorizationLetter',
  ]);
});

test('no application: the empty state; a failed load: the error with retry', async () => {
  const empty = renderPage(documents);
  await waitFor(() => empty.data.loadState === 'empty');
  await tap(find(empty, 'docs__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);

  await individualDraft();
  h.failNext();
  const page = renderPage(documents);
  await waitFor(() => page.data.loadState === 'error');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
});

test("one finished upload updates only its own slot: another slot's error stays", async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  pickPhoto(PNG, 3 * 1024 * 1024);
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => slot(page, 'licence').error !== '');
  pickPhoto(PNG);
  await tap(find(page, 'docs__choose', 'docs__slot--legalIdFront'));
  await waitFor(() => slot(page, 'legalIdFront').uploaded);
  expect(slot(page, 'legalIdFront')).toMatchObject({ progress: -1, error: '' });
  expect(slot(page, 'licence').error).toContain('the limit is 2 MB');
  expect(page.data.slots.map((s: { slot: string }) => s.slot)).toEqual(['licence', 'legalIdFront', 'legalIdBack']);
});

test("a picker that fails says so in words, not with the platform's errMsg", async () => {
  await individualDraft();
  const page = renderPage(documents);
  await loaded(page);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  (wx.chooseMedia as unknown as jest.Mock).mockImplementationOnce((o: { fail: (e: unknown) => void }) =>
    setTimeout(() => o.fail({ errMsg: 'chooseMedia:fail system error 1024' }), 0),
  );
  await tap(find(page, 'docs__choose', 'docs__slot--licence'));
  await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length > 0);
  const title = (wx.showToast as jest.Mock).mock.calls[0][0].title as string;
  expect(title).toBe('Could not open the photo. Try again, or choose another one.');
  expect(title).not.toContain('chooseMedia');
  warn.mockRestore();
});
