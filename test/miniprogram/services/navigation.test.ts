import { goBack, goHome, openPage, replacePage, Routes, withQuery } from '../../../miniprogram/services/navigation';
import { pageStack } from '../support/page-stack';

afterEach(() => {
  pageStack.length = 0;
});

const fakePages = (n: number) => {
  for (let i = 0; i < n; i++) pageStack.push({ route: `pages/p${i}/index`, options: {}, instance: {} });
};

test('withQuery encodes values and drops empty ones', () => {
  expect(withQuery('/a/b')).toBe('/a/b');
  expect(withQuery('/a/b', { id: 'x y&z', n: 2, flag: true, none: undefined, nil: null, blank: '' })).toBe(
    '/a/b?id=x%20y%26z&n=2&flag=true',
  );
  expect(withQuery('/a/b?x=1', { y: 2 })).toBe('/a/b?x=1&y=2');
});

test('openPage pushes a page and resolves true', async () => {
  fakePages(1);
  await expect(openPage(Routes.checkoutProducts, { from: 'home' })).resolves.toBe(true);
  expect(wx.navigateTo).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/packages/checkout/pages/products/index?from=home' }),
  );
  expect(wx.redirectTo).not.toHaveBeenCalled();
});

test('with ten pages open it replaces instead (WeChat refuses an eleventh)', async () => {
  fakePages(10);
  await expect(openPage(Routes.fundsDashboard)).resolves.toBe(true);
  expect(wx.navigateTo).not.toHaveBeenCalled();
  expect(wx.redirectTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/packages/funds/pages/dashboard/index' }));
});

test('a refused navigation resolves false and is logged', async () => {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  (wx.navigateTo as jest.Mock).mockImplementation((o: { fail(e: unknown): void }) =>
    o.fail({ errMsg: 'navigateTo:fail page "packages/x/index" is not found' }),
  );
  await expect(openPage('/packages/x/index')).resolves.toBe(false);
  expect(error).toHaveBeenCalledWith(expect.stringContaining('is not found'));
  error.mockRestore();
});

test('replacePage redirects', async () => {
  await expect(replacePage('/packages/checkout/pages/result/index', { orderId: 'o1' })).resolves.toBe(true);
  expect(wx.redirectTo).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/packages/checkout/pages/result/index?orderId=o1' }),
  );
});

test('goBack goes back, or home when there is nothing to go back to', () => {
  fakePages(2);
  goBack();
  expect(wx.navigateBack).toHaveBeenCalledWith(expect.objectContaining({ delta: 1 }));
  pageStack.length = 1;
  goBack();
  expect(wx.reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));
  goHome();
  expect(wx.reLaunch).toHaveBeenCalledTimes(2);
});
