// The order list and order detail pages: the buyer's own orders a page at a
// time, an unpaid order's pay and cancel, and the merchant admin's refund.
import { verifyLedger } from '../../../cloudfunctions/core/ledger/verify';
import { merchantBalances, post } from '../../../cloudfunctions/core/ledger/book';
import { settlementEntry, withdrawalEntry } from '../../../cloudfunctions/core/domain/ledger';
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import type { RefundDoc } from '../../../cloudfunctions/core/domain/refund';
import {
  cell,
  cells,
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  tap,
  text,
  texts,
  typeInto,
  useHarness,
  waitFor,
  type Rendered,
} from '../harness';
import { bindMerchant, checkout, key, order, paidOrder, pay, seededProduct } from '../../checkout/support';
import { admin, call, ok } from '../../support/deps';

const h = useHarness();
const ordersPage = loadPage('packages/checkout/pages/orders/index');
const orderPage = loadPage('packages/checkout/pages/order/index');

const idle = (page: Rendered) => waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore);
const loaded = (page: Rendered) => waitFor(() => page.data.loadState === 'idle' && page.data.view);

describe('the order list', () => {
  test('the buyer\'s orders, newest first, 20 at a time, then "no more"', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    for (let i = 1; i <= 23; i++) {
      await order(h.deps, [{ productId: tea.id, quantity: (i % 3) + 1 }]);
      h.deps.clock.advance(60_000);
    }
    // Someone else's order is not listed.
    await order(h.deps, [{ productId: tea.id, quantity: 1 }], {
      openid: 'o_someone_else_0000000000001',
      appid: DEMO_APPID,
    });

    const page = renderPage(ordersPage);
    expect(page.data.loadState).toBe('loading');
    await idle(page);
    expect(findAll(page, 'orders__row')).toHaveLength(20);
    expect(page.data.loadState).toBe('idle');
    expect(text(findAll(page, 'orders__row')[0])).toContain('¥204.00');
    expect(text(findAll(page, 'orders__row')[0])).toContain('Awaiting payment');

    await (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();
    await idle(page);
    expect(findAll(page, 'orders__row')).toHaveLength(23);
    expect(page.data.loadState).toBe('noMore');
    expect(text(page)).toContain('No more');
    const lists = h.callsTo('checkout', 'listOrders');
    expect(lists).toHaveLength(2);
    expect(lists[1].data).toEqual({ after: expect.any(String) });

    await tap(findAll(page, 'orders__row')[22]);
    expect(h.navigations()[0]).toMatch(/^\/packages\/checkout\/pages\/order\/index\?orderId=O[0-9a-f]{31}$/);
  });

  test('empty and error states; the error retries', async () => {
    const page = renderPage(ordersPage);
    await idle(page);
    expect(page.data.loadState).toBe('empty');
    expect(text(page)).toContain('No orders yet');

    h.failNext(1);
    const failing = renderPage(ordersPage);
    await idle(failing);
    expect(failing.data.loadState).toBe('error');
    await tap(find(failing, 't-button', 'load-state__error'));
    await idle(failing);
    expect(failing.data.loadState).toBe('empty');
  });

  test('the admin\'s "All orders" lists every buyer\'s orders', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    await order(h.deps, [{ productId: tea.id, quantity: 1 }]);
    await order(h.deps, [{ productId: tea.id, quantity: 1 }], {
      openid: 'o_someone_else_0000000000001',
      appid: DEMO_APPID,
    });
    h.as('admin');
    const page = renderPage(ordersPage, { scope: 'merchant' });
    await idle(page);
    expect(findAll(page, 'orders__row')).toHaveLength(2);
    expect(h.callsTo('checkout', 'listMerchantOrders')).toHaveLength(1);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'All orders' }));
  });
});

describe('refunded orders in the list', () => {
  const refund = (orderId: string, amountFen: number) =>
    ok(call(checkout, admin, 'refund', { orderId, amountFen }, key('refund')));

  test('the admin sees paid, partly refunded and refunded orders, and filters by them', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/); // 68.00
    const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
    h.deps.clock.advance(60_000);
    const partly = await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
    await refund(partly.id, 800);
    h.deps.clock.advance(60_000);
    const fully = await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
    await refund(fully.id, 6000);
    await refund(fully.id, 800);
    h.deps.clock.advance(60_000);
    await order(h.deps, [{ productId: tea.id, quantity: 1 }]);

    h.as('admin');
    const page = renderPage(ordersPage, { scope: 'merchant' });
    await idle(page);
    expect(texts(page, 'orders__filter')).toEqual(['All', 'Paid', 'Partly refunded', 'Refunded']);
    expect(texts(page, 'orders__state')).toEqual(['Awaiting payment', 'Refunded', 'Partly refunded', 'Paid']);

    /** Taps a filter; the rows' state tags and the filter the list asked for. */
    const filterBy = async (filter: string) => {
      await tap(find(page, `orders__filter--${filter}`));
      await idle(page);
      expect(texts(page, 'orders__filter--on')).toEqual([text(find(page, `orders__filter--${filter}`))]);
      return [texts(page, 'orders__state'), h.callsTo('checkout', 'listMerchantOrders').pop()?.data];
    };
    expect(await filterBy('FULL')).toEqual([['Refunded'], { refundStatus: 'FULL' }]);
    expect(await filterBy('PARTIAL')).toEqual([['Partly refunded'], { refundStatus: 'PARTIAL' }]);
    expect(await filterBy('NONE')).toEqual([['Paid'], { refundStatus: 'NONE' }]);
    await tap(find(page, 'orders__row'));
    expect(h.navigations().pop()).toBe(`/packages/checkout/pages/order/index?orderId=${paid.id}`);
    expect(await filterBy('all')).toEqual([['Awaiting payment', 'Refunded', 'Partly refunded', 'Paid'], {}]);

    // The refunded order's detail says the same.
    await filterBy('FULL');
    await tap(find(page, 'orders__row'));
    expect(h.navigations().pop()).toBe(`/packages/checkout/pages/order/index?orderId=${fully.id}`);
    const detail = renderPage(orderPage, { orderId: fully.id });
    await loaded(detail);
    expect(text(find(detail, 'order__state'))).toBe('Refunded');
    expect(text(find(detail, 'order__refunded'))).toContain('-¥68.00');
  });

  test('a filter with nothing in it says so; buyers get no filters', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    await paidOrder(h.deps, [{ productId: tea.id, quantity: 1 }]);
    h.as('admin');
    const page = renderPage(ordersPage, { scope: 'merchant' });
    await idle(page);
    await tap(find(page, 'orders__filter--FULL'));
    await idle(page);
    expect(page.data.loadState).toBe('empty');
    expect(findAll(page, 'orders__row')).toHaveLength(0);
    expect(text(page)).toContain('No orders match');

    h.as('buyer');
    const mine = renderPage(ordersPage);
    await idle(mine);
    expect(exists(mine, 'orders__filters')).toBe(false);
    expect(texts(mine, 'orders__state')).toEqual(['Paid']);
  });
});

describe('the order detail', () => {
  test('an unpaid order: lines, total, and the buyer can pay or cancel it', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    const created = await order(h.deps, [{ productId: tea.id, quantity: 2 }]);
    await pay(created.id);
    const page = renderPage(orderPage, { orderId: created.id });
    await loaded(page);
    expect(text(find(page, 'order__line'))).toBe('West Lake Longjing, 50 g ¥68.00 × 2 ¥136.00');
    expect(text(find(page, 'order__total'))).toContain('¥136.00');
    expect(text(find(page, 'order__state'))).toBe('Awaiting payment');
    expect(exists(page, 'order__refund-form')).toBe(false);
    expect(exists(page, 'order__buyer')).toBe(false);

    await tap(find(page, 'order__pay'));
    expect(h.navigations()).toEqual([`/packages/checkout/pages/pay/index?orderId=${created.id}`]);

    await tap(find(page, 'order__cancel'));
    await waitFor(() => text(find(page, 'order__state')) === 'Cancelled');
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: 'Cancel this order?' }));
    expect(exists(page, 'order__pay')).toBe(false);
    expect(
      (
        await h.deps.pay.queryTransaction(
          (await h.deps.store.get<{ _id: string; subMchid: string }>('orders', created.id))!.subMchid,
          created.id,
        )
      )?.tradeState,
    ).toBe('CLOSED');
  });

  test("someone else's order is not found", async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    const theirs = await order(h.deps, [{ productId: tea.id, quantity: 1 }], {
      openid: 'o_someone_else_0000000000001',
      appid: DEMO_APPID,
    });
    const page = renderPage(orderPage, { orderId: theirs.id });
    await waitFor(() => page.data.loadState === 'error');
    expect(text(page)).toContain('That order was not found');
  });
});

describe('the merchant admin refunds', () => {
  async function paidDetail(): Promise<{ page: Rendered; orderId: string }> {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    const paid = await paidOrder(h.deps, [{ productId: tea.id, quantity: 2 }]); // 13600, fee 82
    h.as('admin');
    const page = renderPage(orderPage, { orderId: paid.id });
    await loaded(page);
    return { page, orderId: paid.id };
  }

  test('sees the merchant figures and refunds part, then the rest with "All"', async () => {
    const { page, orderId } = await paidDetail();
    expect(cell(page, 'Buyer').note).toBe('o_bu…0001');
    expect(text(find(page, 'order__fee'))).toContain('¥0.82');
    expect(cell(page, 'Settlement').note).toBe('Pending settlement');
    expect(text(find(page, 'order__refundable'))).toContain('¥136.00');
    expect(exists(page, 'order__pay')).toBe(false);

    await typeInto(page, 'order__refund-amount', '36.5');
    await typeInto(page, 'order__refund-reason', 'one tin dented');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => findAll(page, 'order__refund').length === 1);
    expect(wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Refund this order?', content: expect.stringContaining('¥36.50') }),
    );
    const [first] = h.callsTo('checkout', 'refund');
    expect(first.data).toEqual({ orderId, amountFen: 3650, reason: 'one tin dented' });
    expect(text(find(page, 'order__refund'))).toContain('Refund in progress');
    expect(text(find(page, 'order__refund'))).toContain('one tin dented');
    expect(text(find(page, 'order__state'))).toBe('Partly refunded');
    expect(text(find(page, 'order__refunded'))).toContain('-¥36.50');
    expect(text(find(page, 'order__refundable'))).toContain('¥99.50');

    await tap(find(page, 'order__refund-all'));
    expect(page.data.refundYuan).toBe('99.50');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => findAll(page, 'order__refund').length === 2);
    const [, second] = h.callsTo('checkout', 'refund');
    expect(second.data).toEqual({ orderId, amountFen: 9950 });
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(text(find(page, 'order__state'))).toBe('Refunded');
    expect(exists(page, 'order__refund-form')).toBe(false);

    expect(await merchantBalances(h.deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 0,
      withdrawingFen: 0,
    });
    expect((await verifyLedger(h.deps.store)).ok).toBe(true);
  });

  test('amounts the app can tell are wrong never reach the server; declining the confirmation refunds nothing', async () => {
    const { page } = await paidDetail();
    await typeInto(page, 'order__refund-amount', '136.01');
    await tap(find(page, 'order__refund-submit'));
    expect(text(page)).toContain('At most ¥136.00 can be refunded');
    await typeInto(page, 'order__refund-amount', '1.234');
    await tap(find(page, 'order__refund-submit'));
    expect(text(page)).toContain('Enter an amount in yuan');
    expect(h.callsTo('checkout', 'refund')).toHaveLength(0);

    (wx.showModal as jest.Mock).mockImplementation((o: WechatMiniprogram.ShowModalOption) =>
      setTimeout(() => o.success?.({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as never), 0),
    );
    await typeInto(page, 'order__refund-amount', '1');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => (wx.showModal as jest.Mock).mock.calls.length === 1);
    expect(h.callsTo('checkout', 'refund')).toHaveLength(0);
    expect(await h.deps.store.count('refunds')).toBe(0);
  });

  test('a dropped refund call retried with the same key refunds once', async () => {
    const { page } = await paidDetail();
    await typeInto(page, 'order__refund-amount', '10');
    h.failNext(1);
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => page.data.refundError !== '');
    expect(text(page)).toContain("Can't reach the service");
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => findAll(page, 'order__refund').length === 1);
    const calls = h.callsTo('checkout', 'refund');
    expect(calls).toHaveLength(2);
    expect(calls[1].idempotencyKey).toBe(calls[0].idempotencyKey);
    expect((await h.deps.store.find<RefundDoc>('refunds', {})).items.map((r) => r.amountFen)).toEqual([1000]);
  });

  test("a refund the balance cannot cover shows the server's reason", async () => {
    const { page, orderId } = await paidDetail();
    // Settled (what funds' settlement job does), then withdrawn: nothing left to refund from.
    await post(h.deps.store, settlementEntry(DEMO_APPID, orderId, 13600 - 82), h.deps.clock.now());
    await h.deps.store.update('orders', orderId, { set: { settlementState: 'SETTLED' } });
    await post(h.deps.store, withdrawalEntry(DEMO_APPID, 'w1', 13600 - 82 - 100), h.deps.clock.now());
    await typeInto(page, 'order__refund-amount', '50');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => page.data.refundError !== '');
    expect(text(page)).toContain('The balance is not enough');
    expect(await h.deps.store.count('refunds')).toBe(0);
    expect((await verifyLedger(h.deps.store)).ok).toBe(true);
  });

  test('buyers see their refunds but no refund form', async () => {
    const { orderId } = await paidDetail();
    h.as('buyer');
    const page = renderPage(orderPage, { orderId });
    await loaded(page);
    expect(exists(page, 'order__refund-form')).toBe(false);
    expect(cells(page).map((c) => c.title)).not.toContain('Buyer');
  });
});
