// The product list: what is for sale with the shared amount component, the
// quantities, the states a list page has, and what the service status says.
import type { Product } from '../../../typings/checkout';
import { call, ok, admin } from '../../support/deps';
import { checkout, key } from '../../checkout/support';
import { exists, find, findAll, loadPage, renderPage, speak, tap, text, texts, useHarness, waitFor } from '../harness';
import { bindMerchant } from './support';

const h = useHarness();
const productsPage = loadPage('packages/checkout/pages/products/index');
const CJK = /[\u4e00-\u9fff]/;

afterEach(() => {
  delete process.env.PMS_SERVICE_STATUS;
});

test('loading, then the products on sale with their prices; quantities feed the total', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(productsPage);
  expect(exists(page, 't-loading')).toBe(true);
  expect(text(page)).toContain('加载中');
  await waitFor(() => page.data.loadState === 'idle');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '商城' }));
  expect(findAll(page, 'products__item').map(text)).toEqual([
    expect.stringContaining('West Lake Longjing, 50 g ¥68.00'),
    expect.stringContaining('Tieguanyin Oolong, 100 g ¥99.00'),
    expect.stringContaining('Keemun Black Tea, 100 g ¥58.00'),
    expect.stringContaining('Tasting sample ¥0.01'),
  ]);
  expect(page.data.count).toBe(0);
  expect(text(find(page, 'products__bar'))).toBe('合计 ¥0.00 共 0 件 去结算');
  expect(find(page, 'products__checkout').getAttribute('class')).toContain('t-button--disabled');
  // Each add button names its product for screen readers (its aria-label; the simulator drops aria-*
  // attributes from the DOM); "-" shows once the product is in the cart.
  expect(page.data.rows[0].addLabel).toBe('加入购物车 West Lake Longjing, 50 g');
  expect(findAll(page, 'products__minus')).toHaveLength(0);

  await tap(findAll(page, 'products__plus')[2]);
  await tap(findAll(page, 'products__plus')[3]);
  await tap(findAll(page, 'products__plus')[3]);
  expect(page.data.rows[3].removeLabel).toBe('减少一件 Tasting sample');
  await tap(findAll(page, 'products__minus')[1]);
  await waitFor(() => page.data.count === 2);
  expect(text(find(page, 'products__preview'))).toBe('¥58.01');
  expect(text(find(page, 'products__count'))).toBe('共 2 件');
  expect(texts(page, 'products__quantity')).toEqual(['1', '1']);
  await tap(find(page, 'products__checkout'));
  const ids = page.data.rows.map((r: { id: string }) => r.id);
  expect(h.navigations()).toEqual([
    `/packages/checkout/pages/confirm/index?items=${encodeURIComponent(`${ids[2]}:1,${ids[3]}:1`)}`,
  ]);
  expect(exists(page, 'products__all-orders')).toBe(false);
  expect(text(find(page, 'products__my-orders'))).toBe('我的订单');
  await tap(find(page, 'products__my-orders'));
  expect(h.navigations()[1]).toBe('/packages/checkout/pages/orders/index');
});

test('in English: the same shop with no Chinese but the products, and "1 item" / "2 items"', async () => {
  speak('en-US');
  await bindMerchant(h.deps);
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'idle');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Shop' }));
  expect(text(page)).not.toMatch(CJK);
  expect(text(find(page, 'products__checkout'))).toBe('Check out');
  expect(page.data.rows[1].addLabel).toBe('Add Tieguanyin Oolong, 100 g to cart');
  await tap(findAll(page, 'products__plus')[0]);
  expect(text(find(page, 'products__bar'))).toBe('Total ¥68.00 1 item Check out');
  await tap(findAll(page, 'products__plus')[0]);
  expect(text(find(page, 'products__count'))).toBe('2 items');
  expect(page.data.rows[0].removeLabel).toBe('Remove one West Lake Longjing, 50 g');
  expect(text(page)).not.toMatch(CJK);
});

test('quantities stop at 99, and a total in the millions takes the smaller size', async () => {
  await bindMerchant(h.deps);
  await ok(
    call(checkout, admin, 'saveProduct', { name: 'Da Hong Pao, 1 kg', priceFen: 5_000_000, active: true }, key()),
  );
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'idle');
  const last = page.data.rows.length - 1;
  for (let i = 0; i < 100; i++) await tap(findAll(page, 'products__plus')[last]);
  expect(page.data.rows[last].quantity).toBe(99);
  expect(findAll(page, 'products__plus')[last].getAttribute('class')).toContain('products__step--disabled');
  expect(text(find(page, 'products__preview'))).toBe('¥4,950,000.00');
  expect(exists(page, 'products__amount--long')).toBe(true);
});

test('the admin also gets "All orders"; a catalogue with nothing on sale says so', async () => {
  await bindMerchant(h.deps);
  const listed = await ok<{ items: Product[] }>(call(checkout, admin, 'listProducts', {}));
  for (const p of listed.items)
    await ok(
      call(checkout, admin, 'saveProduct', { id: p.id, name: p.name, priceFen: p.priceFen, active: false }, key()),
    );
  h.as('admin');
  const asAdmin = renderPage(productsPage);
  await waitFor(() => asAdmin.data.loadState === 'empty');
  expect(text(asAdmin)).toContain('暂无在售商品');
  expect(text(find(asAdmin, 'products__all-orders'))).toBe('全部订单 查看订单、办理退款');
  expect(text(find(asAdmin, 'products__manage'))).toBe('商品管理 添加、编辑或下架商品');
  await tap(find(asAdmin, 'products__all-orders'));
  expect(h.navigations()).toEqual(['/packages/checkout/pages/orders/index?scope=merchant']);
});

test('payments paused: the shop says so and cannot check out', async () => {
  await bindMerchant(h.deps);
  process.env.PMS_SERVICE_STATUS = 'unavailable';
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'idle');
  expect(text(find(page, 'products__blocked'))).toBe('商家暂停收款，请稍后再来');
  expect(exists(page, 'products__fallback')).toBe(false);
});

test('a load failure shows the error and retries', async () => {
  h.failNext(1);
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(page)).toContain('加载失败');
  expect(text(page)).toContain('网络不可用，请检查网络后重试');
  // No cart bar under an error: there is nothing to check out.
  expect(exists(page, 'products__bar')).toBe(false);
  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => page.data.loadState === 'idle');
  expect(findAll(page, 'products__item')).toHaveLength(4);
});

test('a catalogue longer than one backend page (50) is all listed, ending with "no more"', async () => {
  await bindMerchant(h.deps);
  for (let i = 1; i <= 52; i++)
    await ok(call(checkout, admin, 'saveProduct', { name: `Extra tea ${i}`, priceFen: 100 + i, active: true }, key()));
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'idle');
  expect(findAll(page, 'products__item')).toHaveLength(52); // the demo catalogue is only seeded into an empty one
  expect(h.callsTo('checkout', 'listProducts').length).toBeGreaterThan(1);
  expect(text(find(page, 'load-state'))).toContain('以上是全部商品');
});
