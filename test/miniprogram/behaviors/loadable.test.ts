// The loadable behavior, in a host page that only supplies fetchView.
import path from 'node:path';
import { ApiFailure } from '../../../miniprogram/services/transport';
import { source } from '../fixtures/source';
import {
  exists,
  find,
  loadPage,
  renderPage,
  showPage,
  tap,
  text,
  useHarness,
  waitFor,
  type Rendered,
} from '../harness';

useHarness();
const host = loadPage(path.join(__dirname, '../fixtures/loadable/index'));

const offline = () => new ApiFailure({ code: 'NETWORK.UNAVAILABLE' });
const OFFLINE = '网络不可用，请检查网络后重试';
const settled = (page: Rendered) => waitFor(() => page.data.loadState !== 'loading');
type Loads = { load(quiet?: boolean): Promise<void>; onPullDownRefresh(): Promise<void> };
const instance = (page: Rendered) => page.instance as unknown as Loads;

test('loading, then the view', async () => {
  source.fetchView = jest.fn(async () => ({ title: 'Hello' }));
  const page = renderPage(host);
  expect(page.data.loadState).toBe('loading');
  expect(exists(page, 't-loading')).toBe(true);
  await settled(page);
  expect(page.data).toMatchObject({ loadState: 'idle', view: { title: 'Hello' } });
  expect(text(find(page, 'loadable__title'))).toBe('Hello');
  expect(exists(page, 'load-state')).toBe(false);
});

test('a failed load shows the error with a retry that loads the view', async () => {
  source.fetchView = jest.fn().mockRejectedValueOnce(offline()).mockResolvedValue({ title: 'Back' });
  const page = renderPage(host);
  await settled(page);
  expect(page.data).toMatchObject({ loadState: 'error', errorText: OFFLINE, view: null });
  expect(text(find(page, 't-result__description'))).toBe(OFFLINE);

  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => page.data.loadState === 'idle');
  expect(text(find(page, 'loadable__title'))).toBe('Back');
  expect(exists(page, 'load-state')).toBe(false);
});

test('pull-down refreshes quietly: the view stays while loading, a failure only toasts', async () => {
  const fetch = jest.fn(async () => ({ title: 'One' }));
  source.fetchView = fetch;
  const page = renderPage(host);
  await settled(page);

  fetch.mockResolvedValueOnce({ title: 'Two' });
  const refresh = instance(page).onPullDownRefresh();
  expect(page.data.loadState).toBe('idle');
  await refresh;
  expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  expect(text(find(page, 'loadable__title'))).toBe('Two');

  fetch.mockRejectedValueOnce(offline());
  await instance(page).onPullDownRefresh();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: OFFLINE }));
  expect(page.data).toMatchObject({ loadState: 'idle', view: { title: 'Two' } });
  expect(text(find(page, 'loadable__title'))).toBe('Two');
});

test('a quiet load with nothing on screen yet shows the error instead of a toast', async () => {
  source.fetchView = jest.fn().mockRejectedValue(offline());
  const page = renderPage(host);
  await settled(page);
  await instance(page).load(true);
  expect(page.data.loadState).toBe('error');
  expect(wx.showToast).not.toHaveBeenCalled();
  expect(exists(page, 'load-state__error')).toBe(true);
});

test('shown again: refreshes quietly only when the page asks for it, and only once there is a view', async () => {
  const fetch = jest.fn(async () => ({ title: 'One' }));
  source.fetchView = fetch;
  const page = renderPage(host);
  await settled(page);
  showPage(page);
  expect(fetch).toHaveBeenCalledTimes(1);

  page.setData({ reloadOnShow: true });
  fetch.mockResolvedValueOnce({ title: 'Two' });
  showPage(page);
  expect(page.data.loadState).toBe('idle');
  await waitFor(() => page.data.view?.title === 'Two');
  expect(fetch).toHaveBeenCalledTimes(2);
});
