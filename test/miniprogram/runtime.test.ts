// What the setup file adds to the simulator: getApp() running the real
// app.ts, getCurrentPages(), Page(), and the wx APIs simulate lacks.
import path from 'node:path';
import { config } from '../../miniprogram/config';
import { exists, find, loadComponent, loadPage, renderPage, tap, text, useHarness, waitFor } from './harness';

useHarness();
const classic = loadPage(path.join(__dirname, 'fixtures/classic-page/index'));
const home = loadPage('pages/home/index');
const shared = loadPage(path.join(__dirname, 'fixtures/shared-page/index'));

test('getApp() is the real app.ts, launched once; launching in cloud mode initialises wx.cloud', () => {
  const app = getApp();
  expect(getApp()).toBe(app);
  const init = jest.spyOn(wx.cloud, 'init');
  app.onLaunch({
    path: 'pages/home/index',
    query: {},
    scene: 1001,
  } as unknown as WechatMiniprogram.App.LaunchShowOption);
  expect(init).toHaveBeenCalledWith({ env: config.cloud.env, traceUser: true });
  init.mockRestore();
});

test('Page() pages run with onLoad(query), onShow, custom fields and handlers', async () => {
  const page = renderPage(classic, { from: 'scan' });
  expect(page.data).toMatchObject({ from: 'scan', count: 1 });
  expect(text(find(page, 'classic__from'))).toBe('scan');
  await tap(find(page, 'classic__count'));
  expect(page.data.count).toBe(3);
  expect(text(find(page, 'classic__count'))).toBe('3');
});

test('getCurrentPages() lists the open pages with their route and options', () => {
  expect(getCurrentPages()).toHaveLength(0);
  renderPage(classic, { from: 'a' });
  renderPage(classic, { from: 'b' });
  const pages = getCurrentPages();
  expect(pages).toHaveLength(2);
  expect(pages[1].options).toEqual({ from: 'b' });
  expect(pages[1].route).toMatch(/fixtures\/classic-page\/index$/);
});

test('wx.requestOrderPayment and wx.requestPayment exist, succeed by default and are recorded', async () => {
  await expect(wx.requestOrderPayment({} as WechatMiniprogram.RequestOrderPaymentOption)).resolves.toMatchObject({
    errMsg: 'requestOrderPayment:ok',
  });
  const success = jest.fn();
  wx.requestPayment({
    timeStamp: '1',
    nonceStr: 'n',
    package: 'prepay_id=wx1',
    signType: 'RSA',
    paySign: 's',
    success,
  } as WechatMiniprogram.RequestPaymentOption);
  await new Promise((r) => setTimeout(r, 0));
  expect(success).toHaveBeenCalledWith(expect.objectContaining({ errMsg: 'requestPayment:ok' }));
  expect(wx.requestOrderPayment).toHaveBeenCalledTimes(1);
});

test('a test can make a wx API fail, and the next test gets the default back', async () => {
  (wx.requestOrderPayment as jest.Mock).mockImplementation((o: { fail(e: unknown): void }) =>
    o.fail({ errMsg: 'requestOrderPayment:fail cancel' }),
  );
  const fail = jest.fn();
  wx.requestOrderPayment({ fail } as unknown as WechatMiniprogram.RequestOrderPaymentOption);
  expect(fail).toHaveBeenCalledWith({ errMsg: 'requestOrderPayment:fail cancel' });
});

test('...and here it succeeds again', async () => {
  expect(wx.requestOrderPayment).not.toHaveBeenCalled();
  await expect(wx.requestOrderPayment({} as WechatMiniprogram.RequestOrderPaymentOption)).resolves.toMatchObject({
    errMsg: 'requestOrderPayment:ok',
  });
});

test('two pages in one file share components (each registered once), unknown wx:// behaviors dropped', async () => {
  const first = renderPage(home);
  await waitFor(() => first.data.loadState === 'idle');
  const second = renderPage(shared);
  expect(text(find(second, 'shared__button'))).toBe('Go');
  expect(text(find(second, 't-result__description'))).toBe('Shared');
  expect(exists(second, 't-pull-down-refresh')).toBe(true);
  await tap(find(second, 't-button', 'load-state__error'));
  expect(second.data.refreshing).toBe(true);
  expect(exists(first, 'home__claim')).toBe(true);
});

test('a usingComponents path that does not resolve fails the load instead of rendering nothing', () => {
  expect(() => loadComponent(path.join(__dirname, 'fixtures/broken-using/index'))).toThrow(
    /broken-using\/index\.json: "t-nope": "\/miniprogram_npm\/tdesign-miniprogram\/nope\/nope" does not resolve/,
  );
});
