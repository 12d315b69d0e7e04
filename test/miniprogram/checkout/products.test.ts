// The product list: what is for sale with the shared amount component, the
// quantities, the states a list page has, and what the service status says.
import type { Product } from '../../../typings/checkout';
import { call, ok, admin } from '../../support/deps';
import { checkout, key } from '../../checkout/support';
import { exists, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
import { bindMerchant } from './support';

const h = useHarness();
const productsPage = loadPage('packages/checkout/pages/products/index');

afterEach(() => {
  delete process.env.PMS_SERVICE_STATUS;
});

test('loading, then the products on sale with their prices; quantities feed the total', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(productsPage);
  expect(exists(page, 't-loading')).toBe(true);
  await waitFor(() => page.data.loadState === 'idle');
  expect(findAll(page, 'products__item').map(text)).toEqual([
    expect.stringContaining('West Lake Longjing, 50 g ¥68.00'),
    expect.stringContaining('Tieguanyin Oolong, 100 g ¥99.00'),
    expect.stringContaining('Keemun Black Tea, 100 g ¥58.00'),
    expect.stringContaining('Tasting sample ¥0.01'),
  ]);
  expect(page.data.count).toBe(0);
  expect(find(page, 'products__checkout').getAttribute('class')).toContain('t-button--disabled');

  await tap(findAll(page, 't-stepper__plus')[2]);
  await tap(findAll(page, 't-stepper__plus')[3]);
  await tap(findAll(page, 't-stepper__plus')[3]);
  await tap(findAll(page, 't-stepper__minus')[3]);
  await waitFor(() => page.data.count === 2);
  expect(text(find(page, 'products__preview'))).toBe('¥58.01');
  expect(text(find(page, 'products__count'))).toBe('2 items');
  await tap(find(page, 'products__checkout'));
  const ids = page.data.rows.map((r: { id: string }) => r.id);
  expect(h.navigations()).toEqual([
    `/packages/checkout/pages/confirm/index?items=${encodeURIComponent(`${ids[2]}:1,${ids[3]}:1`)}`,
  ]);
  expect(exists(page, 'products__all-orders')).toBe(false);
  await tap(find(page, 'products__my-orders'));
  expect(h.navigations()[1]).toBe('/packages/checkout/pages/orders/index');
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
  expect(text(asAdmin)).toContain('Nothing for sale yet');
  await tap(find(asAdmin, 'products__all-orders'));
  expect(h.navigations()).toEqual(['/packages/checkout/pages/orders/index?scope=merchant']);
});

test('payments paused: the shop says so and cannot check out', async () => {
  await bindMerchant(h.deps);
  process.env.PMS_SERVICE_STATUS = 'unavailable';
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'idle');
  expect(text(find(page, 'products__blocked'))).toContain('Payments are paused');
  expect(exists(page, 'products__fallback')).toBe(false);
});

test('a load failure shows the error and retries', async () => {
  h.failNext(1);
  const page = renderPage(productsPage);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(page)).toContain("Can't reach the service");
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
  expect(text(find(page, 'load-state'))).toContain("That's everything");
});
