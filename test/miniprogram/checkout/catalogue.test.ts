// Catalogue management: the admin lists every product (on sale or not), adds
// one with the price typed in yuan, edits and takes one off sale; the form
// validates before any call; buyers never see the way in.
import type { ProductDoc } from '../../../cloudfunctions/core/domain/catalogue';
import {
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  showPage,
  speak,
  tap,
  fire,
  text,
  texts,
  typeInto,
  useHarness,
  waitFor,
} from '../harness';
import { bindMerchant } from './support';

const h = useHarness({ as: 'admin' });
const cataloguePage = loadPage('packages/checkout/pages/catalogue/index');
const productsPage = loadPage('packages/checkout/pages/products/index');

async function storedProducts(): Promise<ProductDoc[]> {
  return (await h.deps.store.find<ProductDoc>('products', { where: { appid: h.identity.appid } })).items;
}

async function openCatalogue() {
  const page = renderPage(cataloguePage);
  expect(exists(page, 't-loading')).toBe(true);
  await waitFor(() => page.data.loadState !== 'loading');
  return page;
}

test('lists the seeded products with prices and an "On sale" tag, asking for inactive ones too', async () => {
  const page = await openCatalogue();
  expect(findAll(page, 'catalogue__item').map(text)).toEqual([
    expect.stringContaining('West Lake Longjing, 50 g ¥68.00'),
    expect.stringContaining('Tieguanyin Oolong, 100 g ¥99.00'),
    expect.stringContaining('Keemun Black Tea, 100 g ¥58.00'),
    expect.stringContaining('Tasting sample ¥0.01'),
  ]);
  expect(findAll(page, 'catalogue__state').map(text)).toEqual(['在售', '在售', '在售', '在售']);
  expect(text(find(page, 'catalogue__add'))).toBe('添加商品');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '商品管理' }));
  expect(h.callsTo('checkout', 'listProducts')[0].data).toEqual({ includeInactive: true });
});

test('adds a product: "12.30" yuan is stored as 1230 fen, once however often Save is tapped', async () => {
  const page = await openCatalogue();
  h.deps.clock.advance(60_000); // added after the seeded products, so listed after them
  await tap(find(page, 'catalogue__add'));
  await typeInto(page, 'catalogue__name', '  Jasmine Pearls, 50 g ');
  await typeInto(page, 'catalogue__price', '12.30');
  const release = h.hold();
  await tap(find(page, 'catalogue__save'));
  await tap(find(page, 'catalogue__save'));
  release();
  await waitFor(() => !page.data.saving && !page.data.formOpen && page.data.loadState !== 'loading');

  const saves = h.callsTo('checkout', 'saveProduct');
  expect(saves).toHaveLength(1);
  expect(saves[0].data).toEqual({ name: 'Jasmine Pearls, 50 g', priceFen: 1230, active: true });
  expect(saves[0].idempotencyKey).toBeDefined();
  const added = (await storedProducts()).filter((p) => p.name === 'Jasmine Pearls, 50 g');
  expect(added).toHaveLength(1);
  expect(added[0]).toMatchObject({ priceFen: 1230, active: true });
  expect(text(findAll(page, 'catalogue__item')[4])).toContain('Jasmine Pearls, 50 g ¥12.30');
});

test('a save that cannot reach the service is retried with the same key and creates one product', async () => {
  const page = await openCatalogue();
  await tap(find(page, 'catalogue__add'));
  await typeInto(page, 'catalogue__name', 'Pu-erh cake');
  await typeInto(page, 'catalogue__price', '88');
  h.failNext();
  await tap(find(page, 'catalogue__save'));
  await waitFor(() => !page.data.saving && !!page.data.formError);
  expect(text(find(page, 'catalogue__error'))).toBe('网络不可用，请检查网络后重试');
  expect(page.data.formOpen).toBe(true);
  await tap(find(page, 'catalogue__save'));
  await waitFor(() => !page.data.formOpen);

  const keys = h.callsTo('checkout', 'saveProduct').map((c) => c.idempotencyKey);
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect((await storedProducts()).filter((p) => p.name === 'Pu-erh cake')).toEqual([
    expect.objectContaining({ priceFen: 8800 }),
  ]);
});

test('edits one and takes it off sale: the tag says so and buyers no longer see it', async () => {
  await bindMerchant(h.deps);
  const page = await openCatalogue();
  await tap(findAll(page, 'catalogue__item')[1]);
  expect(page.data.formOpen).toBe(true);
  expect(page.data.nameText).toBe('Tieguanyin Oolong, 100 g');
  expect(page.data.priceText).toBe('99.00');
  await typeInto(page, 'catalogue__name', 'Tieguanyin Oolong, 250 g');
  await typeInto(page, 'catalogue__price', '199.9');
  await fire(find(page, 'catalogue__switch'), 'change', { value: false });
  await tap(find(page, 'catalogue__save'));
  await waitFor(() => !page.data.formOpen && page.data.loadState !== 'loading');

  const id = page.data.rows[1].id;
  expect(h.callsTo('checkout', 'saveProduct')[0].data).toEqual({
    id,
    name: 'Tieguanyin Oolong, 250 g',
    priceFen: 19990,
    active: false,
  });
  expect(await h.deps.store.get('products', id)).toMatchObject({
    name: 'Tieguanyin Oolong, 250 g',
    priceFen: 19990,
    active: false,
  });
  expect(text(findAll(page, 'catalogue__item')[1])).toContain('Tieguanyin Oolong, 250 g ¥199.90');
  expect(text(findAll(page, 'catalogue__state')[1])).toBe('已下架');
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存', icon: 'success' }));

  h.as('buyer');
  const shop = renderPage(productsPage);
  await waitFor(() => shop.data.loadState === 'idle');
  expect(findAll(shop, 'products__item')).toHaveLength(3);
  expect(text(shop)).not.toContain('Tieguanyin');
});

test('validation errors are shown inline and nothing is sent', async () => {
  const page = await openCatalogue();
  await tap(find(page, 'catalogue__add'));
  expect(text(find(page, 'catalogue__form-title'))).toBe('添加商品');
  expect(texts(page, 't-button')).toEqual(['保存', '取消']);
  await tap(find(page, 'catalogue__save'));
  expect(text(find(page, 'catalogue__name'))).toBe('名称 请输入商品名称');
  expect(text(find(page, 'catalogue__price'))).toBe('价格 请输入价格，如 12.30');

  // The input stops at the backend's 40 characters.
  await typeInto(page, 'catalogue__name', 'x'.repeat(41));
  expect(page.data.nameText).toHaveLength(40);
  await typeInto(page, 'catalogue__name', '   ');
  await typeInto(page, 'catalogue__price', '12.345');
  await tap(find(page, 'catalogue__save'));
  expect(page.data.nameError).toBe('请输入商品名称');
  expect(page.data.priceError).toBe('请输入价格，如 12.30');

  await typeInto(page, 'catalogue__name', 'Fine name');
  for (const bad of ['0', '0.00', '-1', '1e3', '50000.01']) {
    await typeInto(page, 'catalogue__price', bad);
    await tap(find(page, 'catalogue__save'));
    expect(page.data.priceError).not.toBe('');
  }
  expect(page.data.nameError).toBe('');
  expect(text(find(page, 'catalogue__price'))).toContain('不能超过 ¥50,000.00');
  expect(h.callsTo('checkout', 'saveProduct')).toHaveLength(0);
});

test('a typed backend error is shown as its message', async () => {
  const page = await openCatalogue();
  await tap(find(page, 'catalogue__item'));
  await h.deps.store.remove('products', page.data.editId);
  await tap(find(page, 'catalogue__save'));
  await waitFor(() => !page.data.saving && !!page.data.formError);
  expect(text(find(page, 'catalogue__error'))).toBe('商品不存在或已下架');
});

test('the admin gets "Manage products" on the shop; a buyer does not', async () => {
  await bindMerchant(h.deps);
  const asAdmin = renderPage(productsPage);
  await waitFor(() => asAdmin.data.loadState === 'idle');
  await tap(find(asAdmin, 'products__manage'));
  expect(h.navigations()).toEqual(['/packages/checkout/pages/catalogue/index']);
  // Back from managing: the shop reloads what is on sale.
  const listed = h.callsTo('checkout', 'listProducts').length;
  showPage(asAdmin);
  await waitFor(() => h.callsTo('checkout', 'listProducts').length > listed && asAdmin.data.loadState === 'idle');

  h.as('buyer');
  const asBuyer = renderPage(productsPage);
  await waitFor(() => asBuyer.data.loadState === 'idle');
  expect(exists(asBuyer, 'products__all-orders')).toBe(false);
  expect(exists(asBuyer, 'products__manage')).toBe(false);
});

test('a load failure shows the error and retries', async () => {
  h.failNext(1);
  const page = renderPage(cataloguePage);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
  await tap(find(page, 't-button', 'load-state__error'));
  await waitFor(() => page.data.loadState === 'noMore');
  expect(findAll(page, 'catalogue__item')).toHaveLength(4);
});

test('in English: the list, the form and its errors, with no Chinese leftovers but product names', async () => {
  speak('en-US');
  const page = await openCatalogue();
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Manage products' }));
  expect(findAll(page, 'catalogue__state').map(text)).toEqual(['On sale', 'On sale', 'On sale', 'On sale']);
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  await tap(find(page, 'catalogue__add'));
  await typeInto(page, 'catalogue__price', '50000.01');
  await tap(find(page, 'catalogue__save'));
  expect(text(find(page, 'catalogue__form-title'))).toBe('Add product');
  expect(text(find(page, 'catalogue__name'))).toBe('Name Enter a name');
  expect(text(find(page, 'catalogue__price'))).toBe('Price At most ¥50,000.00');
  expect(texts(page, 't-button')).toEqual(['Save', 'Cancel']);
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
