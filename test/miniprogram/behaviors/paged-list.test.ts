// The pagedList behavior, in a host page that only supplies fetchPage and toRow.
import path from 'node:path';
import { ApiFailure } from '../../../miniprogram/services/transport';
import { type Item, source } from '../fixtures/source';
import {
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  showPage,
  tap,
  text,
  texts,
  useHarness,
  waitFor,
  type Rendered,
} from '../harness';

useHarness();
const host = loadPage(path.join(__dirname, '../fixtures/paged-list/index'));

const items = (from: number, to: number): Item[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: `i${from + i}`, n: from + i }));
const offline = () => new ApiFailure({ code: 'NETWORK.UNAVAILABLE' });
const OFFLINE = '网络不可用，请检查网络后重试';
const settled = (page: Rendered) => waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore);
const reachBottom = (page: Rendered) =>
  (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();

/** Pages of three by cursor: '' → 1..3 (next 'p2'), 'p2' → 4..6 (next 'p3'), 'p3' → 7 (last). */
function threePages(): jest.Mock {
  const fetch = jest.fn(async (cursor?: string) => {
    if (!cursor) return { items: items(1, 3), next: 'p2' };
    if (cursor === 'p2') return { items: items(4, 6), next: 'p3' };
    return { items: items(7, 7) };
  });
  source.fetchPage = fetch;
  return fetch;
}

test('loading, then the first page as rows; scrolling appends each row by its own path, then "no more"', async () => {
  const fetch = threePages();
  const page = renderPage(host);
  expect(page.data.loadState).toBe('loading');
  expect(exists(page, 't-loading')).toBe(true);
  await settled(page);
  expect(texts(page, 'paged__row')).toEqual(['Item 1', 'Item 2', 'Item 3']);
  expect(page.data).toMatchObject({ next: 'p2', loadState: 'idle', loaded: true });
  expect(exists(page, 'load-state')).toBe(false);

  const setData = jest.spyOn(page.instance as unknown as { setData(patch: Record<string, unknown>): void }, 'setData');
  await reachBottom(page);
  const appended = setData.mock.calls.map(([patch]) => patch).find((patch) => 'rows[3]' in patch)!;
  expect(Object.keys(appended).sort()).toEqual(['loadState', 'next', 'rows[3]', 'rows[4]', 'rows[5]']);
  expect(appended['rows[3]']).toEqual({ id: 'i4', label: 'Item 4' });
  expect(texts(page, 'paged__row')).toHaveLength(6);

  await reachBottom(page);
  expect(texts(page, 'paged__row')).toEqual(items(1, 7).map((i) => `Item ${i.n}`));
  expect(page.data).toMatchObject({ next: '', loadState: 'noMore', loadingMore: false });
  expect(text(find(page, 'load-state'))).toContain('没有更多了');

  await reachBottom(page); // nothing more to ask for
  expect(fetch.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, 'p2', 'p3']);
  setData.mockRestore();
});

test('an empty list says so', async () => {
  source.fetchPage = async () => ({ items: [] });
  const page = renderPage(host);
  await settled(page);
  expect(page.data.loadState).toBe('empty');
  expect(findAll(page, 'paged__row')).toHaveLength(0);
  expect(text(find(page, 'load-state'))).toContain('Nothing here');
});

test('an empty first page with more behind it keeps going instead of showing a blank list', async () => {
  source.fetchPage = jest.fn(async (cursor?: string) => (cursor ? { items: items(1, 2) } : { items: [], next: 'p2' }));
  const page = renderPage(host);
  await waitFor(() => page.data.loadState === 'noMore');
  expect(texts(page, 'paged__row')).toEqual(['Item 1', 'Item 2']);
});

test('a failed first page shows the error with a retry that loads it', async () => {
  source.fetchPage = jest
    .fn()
    .mockRejectedValueOnce(offline())
    .mockResolvedValue({ items: items(1, 2) });
  const page = renderPage(host);
  await settled(page);
  expect(page.data).toMatchObject({ loadState: 'error', errorText: OFFLINE, rows: [] });
  expect(text(find(page, 't-result__description'))).toBe(OFFLINE);

  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => page.data.loadState === 'noMore');
  expect(texts(page, 'paged__row')).toEqual(['Item 1', 'Item 2']);
  expect(exists(page, 'load-state__error')).toBe(false);
});

test('a failed next page keeps the rows and shows the error below them; its retry loads that page (so does scrolling again)', async () => {
  const fetch = threePages();
  const page = renderPage(host);
  await settled(page);
  fetch.mockRejectedValueOnce(offline());
  await reachBottom(page);
  // Was: a toast only, nothing on the page (the defect).
  expect(page.data).toMatchObject({ next: 'p2', loadState: 'error', errorText: OFFLINE, loadingMore: false });
  expect(texts(page, 'paged__row')).toHaveLength(3);
  expect(text(find(page, 't-result__description'))).toBe(OFFLINE);

  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => texts(page, 'paged__row').length === 6);
  expect(fetch.mock.calls.map(([cursor]) => cursor)).toEqual([undefined, 'p2', 'p2']);
  expect(page.data).toMatchObject({ next: 'p3', loadState: 'idle' });
  expect(exists(page, 'load-state__error')).toBe(false);

  fetch.mockRejectedValueOnce(offline());
  await reachBottom(page);
  expect(page.data.loadState).toBe('error');
  await reachBottom(page);
  expect(texts(page, 'paged__row')).toHaveLength(7);
  expect(page.data.loadState).toBe('noMore');
});

test('one next page at a time: a second scroll while one is loading asks nothing', async () => {
  const fetch = threePages();
  const page = renderPage(host);
  await settled(page);
  const first = reachBottom(page);
  expect(page.data.loadingMore).toBe(true);
  expect(exists(page, 'paged__more')).toBe(true);
  await reachBottom(page);
  await first;
  expect(fetch).toHaveBeenCalledTimes(2);
  expect(texts(page, 'paged__row')).toHaveLength(6);
});

test("pull-down reloads the first page (with the page's reloadPatch) and stops the refresh animation", async () => {
  threePages();
  const page = renderPage(host);
  await settled(page);
  await reachBottom(page);
  expect(page.data.reloads).toBe(1);
  await (page.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh();
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  expect(page.data).toMatchObject({ next: 'p2', loadState: 'idle', reloads: 2 });
  expect(texts(page, 'paged__row')).toHaveLength(3);
});

test('shown again: reloads only when the page asks for it, and only after a first load', async () => {
  const fetch = threePages();
  const page = renderPage(host);
  await settled(page);
  showPage(page);
  await settled(page);
  expect(fetch).toHaveBeenCalledTimes(1);

  page.setData({ reloadOnShow: true });
  showPage(page);
  expect(page.data.loadState).toBe('loading');
  await settled(page);
  expect(fetch).toHaveBeenCalledTimes(2);
  expect(texts(page, 'paged__row')).toHaveLength(3);
});

/** A fetch whose answers the test hands out, in any order. */
function deferred() {
  const pending: { cursor?: string; resolve(page: { items: Item[]; next?: string }): void }[] = [];
  source.fetchPage = jest.fn((cursor?: string) => new Promise((resolve) => pending.push({ cursor, resolve })));
  return pending;
}

test('two reloads where the first answers last: the older answer is dropped', async () => {
  const pending = deferred();
  const page = renderPage(host); // reload 1
  const reload = () => (page.instance as unknown as { reload(): Promise<void> }).reload();
  const second = reload(); // reload 2, e.g. another filter
  expect(pending).toHaveLength(2);
  pending[1].resolve({ items: items(10, 11) });
  await second;
  expect(texts(page, 'paged__row')).toEqual(['Item 10', 'Item 11']);
  pending[0].resolve({ items: items(1, 3), next: 'p2' });
  await new Promise((r) => setTimeout(r, 10));
  expect(texts(page, 'paged__row')).toEqual(['Item 10', 'Item 11']);
  expect(page.data).toMatchObject({ next: '', loadState: 'noMore' });
});

test('a next page still on its way when the list reloads is not appended to the new list', async () => {
  const pending = deferred();
  const page = renderPage(host);
  pending[0].resolve({ items: items(1, 3), next: 'p2' });
  await settled(page);
  const more = reachBottom(page);
  expect(pending[1].cursor).toBe('p2');
  const reloaded = (page.instance as unknown as { reload(): Promise<void> }).reload();
  pending[2].resolve({ items: items(20, 21), next: 'q2' });
  await reloaded;
  pending[1].resolve({ items: items(4, 6), next: 'p3' });
  await more;
  expect(texts(page, 'paged__row')).toEqual(['Item 20', 'Item 21']);
  expect(page.data).toMatchObject({ next: 'q2', loadState: 'idle', loadingMore: false });
});
