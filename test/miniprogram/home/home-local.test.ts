// The home page in local mode: the app as a developer runs it in DevTools
// against `npm start`, here against the real gateway on a loopback port.
import { cell, exists, find, loadPage, renderPage, tap, text, typeInto, useHarness, waitFor } from '../harness';
import { BUYER_OPENID, openForClaim } from '../../support/deps';

const h = useHarness({ mode: 'local' });
const home = loadPage('pages/home/index');

test('loads through the gateway as the local identity', async () => {
  const page = renderPage(home);
  expect(page.data.loadState).toBe('loading');
  await waitFor(() => page.data.loadState === 'idle');
  expect(cell(page, 'Demo Tea Shop').note).toBe('买家');
  expect(wx.request).toHaveBeenCalledWith(
    expect.objectContaining({ header: expect.objectContaining({ 'X-Wx-Openid': BUYER_OPENID }) }),
  );
  expect(h.callsTo('merchant', 'getStatus')).toHaveLength(1);
});

test('no gateway: the error, then a retry once it answers', async () => {
  h.failNext();
  const page = renderPage(home);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => page.data.loadState === 'idle');
  expect(exists(page, 'home__claim')).toBe(true);
});

test('a developer claims the admin role with the code `npm start` printed', async () => {
  openForClaim(h.deps);
  const page = renderPage(home);
  await waitFor(() => page.data.loadState === 'idle');
  await tap(find(page, 'home__claim'));
  await waitFor(() => exists(page, 'home__claim-input'));
  await typeInto(page, 'home__claim-input', '246810');
  await tap(find(page, 'home__claim-confirm'));
  await waitFor(() => page.data.view?.isAdmin === true);
  expect(text(find(page, 'home__role'))).toBe('商户管理员');
});
