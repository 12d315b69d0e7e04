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
  speak,
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

const CJK = /[\u4e00-\u9fff]/;
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
    expect(text(findAll(page, 'orders__row')[0])).toBe(
      `West Lake Longjing, 50 g ${page.data.rows[0].description} ¥204.00 待支付`,
    );
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '我的订单' }));

    await (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();
    await idle(page);
    expect(findAll(page, 'orders__row')).toHaveLength(23);
    expect(page.data.loadState).toBe('noMore');
    expect(text(find(page, 'load-state'))).toBe('没有更多了');
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
    expect(text(page)).toContain('暂无订单');

    h.failNext(1);
    const failing = renderPage(ordersPage);
    await idle(failing);
    expect(failing.data.loadState).toBe('error');
    expect(text(find(failing, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
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
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '全部订单' }));
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
    expect(texts(page, 'orders__filter')).toEqual(['全部', '已支付', '部分退款', '已退款']);
    expect(texts(page, 'orders__state')).toEqual(['待支付', '已退款', '部分退款', '已支付']);

    /** Taps a filter; the rows' state tags and the filter the list asked for. */
    const filterBy = async (filter: string) => {
      await tap(find(page, `orders__filter--${filter}`));
      await idle(page);
      expect(texts(page, 'orders__filter--on')).toEqual([text(find(page, `orders__filter--${filter}`))]);
      return [texts(page, 'orders__state'), h.callsTo('checkout', 'listMerchantOrders').pop()?.data];
    };
    expect(await filterBy('FULL')).toEqual([['已退款'], { refundStatus: 'FULL' }]);
    expect(await filterBy('PARTIAL')).toEqual([['部分退款'], { refundStatus: 'PARTIAL' }]);
    expect(await filterBy('NONE')).toEqual([['已支付'], { refundStatus: 'NONE' }]);
    await tap(find(page, 'orders__row'));
    expect(h.navigations().pop()).toBe(`/packages/checkout/pages/order/index?orderId=${paid.id}`);
    expect(await filterBy('all')).toEqual([['待支付', '已退款', '部分退款', '已支付'], {}]);

    // The refunded order's detail says the same.
    await filterBy('FULL');
    await tap(find(page, 'orders__row'));
    expect(h.navigations().pop()).toBe(`/packages/checkout/pages/order/index?orderId=${fully.id}`);
    const detail = renderPage(orderPage, { orderId: fully.id });
    await loaded(detail);
    expect(text(find(detail, 'order__state'))).toBe('已退款');
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
    expect(text(page)).toContain('没有符合条件的订单');

    h.as('buyer');
    const mine = renderPage(ordersPage);
    await idle(mine);
    expect(exists(mine, 'orders__filters')).toBe(false);
    expect(texts(mine, 'orders__state')).toEqual(['已支付']);
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
    expect(text(find(page, 'order__state'))).toBe('待支付');
    expect(text(find(page, 'order__title'))).toMatch(
      /^West Lake Longjing, 50 g 下单时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 待支付$/,
    );
    expect(text(find(page, 'order__id'))).toBe(`订单号 ${created.id} 复制`);
    expect(texts(page, 't-button')).toEqual(['立即支付', '取消订单']);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '订单详情' }));

    // The order number, whole on screen, copies with one tap.
    await tap(find(page, 'order__copy-id'));
    expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: created.id }));
    await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length > 0);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已复制', icon: 'success' }));
    expect(exists(page, 'order__refund-form')).toBe(false);
    expect(exists(page, 'order__buyer')).toBe(false);

    await tap(find(page, 'order__pay'));
    expect(h.navigations()).toEqual([`/packages/checkout/pages/pay/index?orderId=${created.id}`]);

    await tap(find(page, 'order__cancel'));
    await waitFor(() => text(find(page, 'order__state')) === '已取消');
    expect(wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '取消订单',
        content: '取消后订单将关闭，无法再支付。',
        confirmText: '取消订单',
        cancelText: '暂不取消',
      }),
    );
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '订单已取消' }));
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
    expect(text(find(page, 't-result__description'))).toBe('订单不存在');
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
    expect(cell(page, '买家').note).toBe('o_bu…0001');
    expect(text(find(page, 'order__fee'))).toBe('手续费 ¥0.82');
    expect(cell(page, '结算状态').note).toBe('待结算');
    // The transaction number whole (wrapped under its title), with its copy button.
    const transactionId = page.data.view.merchant.transactionId;
    expect(transactionId).toMatch(/^\d{28,32}$/);
    expect(text(find(page, 'order__transaction'))).toBe(`微信支付单号 ${transactionId} 复制`);
    await tap(find(page, 'order__copy-transaction'));
    expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: transactionId }));
    expect(page.data.view.merchant.refundHint).toBe('最多 ¥136.00'); // the amount field's placeholder
    expect(text(find(page, 'order__refundable'))).toContain('¥136.00');
    expect(exists(page, 'order__pay')).toBe(false);

    await typeInto(page, 'order__refund-amount', '36.5');
    await typeInto(page, 'order__refund-reason', 'one tin dented');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => findAll(page, 'order__refund').length === 1);
    expect(wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '确认退款',
        content: '¥36.50 将原路退回买家，退款后无法撤销。',
        confirmText: '退款',
        cancelText: '取消',
      }),
    );
    const [first] = h.callsTo('checkout', 'refund');
    expect(first.data).toEqual({ orderId, amountFen: 3650, reason: 'one tin dented' });
    expect(text(find(page, 'order__refund'))).toContain('退款中');
    expect(text(find(page, 'order__refund'))).toContain('one tin dented');
    expect(text(find(page, 'order__state'))).toBe('部分退款');
    expect(text(find(page, 'order__refunded'))).toContain('-¥36.50');
    expect(text(find(page, 'order__refundable'))).toContain('¥99.50');

    await tap(find(page, 'order__refund-all'));
    expect(page.data.refundYuan).toBe('99.50');
    await tap(find(page, 'order__refund-submit'));
    await waitFor(() => findAll(page, 'order__refund').length === 2);
    const [, second] = h.callsTo('checkout', 'refund');
    expect(second.data).toEqual({ orderId, amountFen: 9950 });
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(text(find(page, 'order__state'))).toBe('已退款');
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
    expect(text(find(page, 'order__refund-amount'))).toContain('最多可退 ¥136.00');
    await typeInto(page, 'order__refund-amount', '1.234');
    await tap(find(page, 'order__refund-submit'));
    expect(text(find(page, 'order__refund-amount'))).toContain('请输入退款金额，如 12.50');
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
    expect(text(find(page, 'order__refund-amount'))).toContain('网络不可用，请检查网络后重试');
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
    expect(text(find(page, 'order__refund-amount'))).toContain('可用余额不足');
    expect(await h.deps.store.count('refunds')).toBe(0);
    expect((await verifyLedger(h.deps.store)).ok).toBe(true);
  });

  test('buyers see their refunds but no refund form', async () => {
    const { orderId } = await paidDetail();
    h.as('buyer');
    const page = renderPage(orderPage, { orderId });
    await loaded(page);
    expect(exists(page, 'order__refund-form')).toBe(false);
    expect(cells(page).map((c) => c.title)).not.toContain('买家');
  });
});

describe('an order of several products, in both languages', () => {
  test('named by its first product and the item count; in English with no Chinese leftovers', async () => {
    await bindMerchant(h.deps);
    const tea = await seededProduct(h.deps, /Longjing/);
    const oolong = await seededProduct(h.deps, /Oolong/);
    const paid = await paidOrder(h.deps, [
      { productId: tea.id, quantity: 2 },
      { productId: oolong.id, quantity: 1 },
    ]);
    h.deps.clock.advance(60_000);
    await order(h.deps, [{ productId: tea.id, quantity: 1 }]);

    const zh = renderPage(ordersPage);
    await idle(zh);
    expect(texts(zh, 'orders__state')).toEqual(['待支付', '已支付']);
    expect(text(findAll(zh, 'orders__row')[1])).toContain('West Lake Longjing, 50 g 等 3 件商品');

    speak('en-US');
    const list = renderPage(ordersPage);
    await idle(list);
    expect(wx.setNavigationBarTitle).toHaveBeenLastCalledWith(expect.objectContaining({ title: 'My orders' }));
    expect(texts(list, 'orders__state')).toEqual(['Awaiting payment', 'Paid']);
    expect(text(findAll(list, 'orders__row')[1])).toContain('West Lake Longjing, 50 g and more (3 items)');
    expect(text(list)).not.toMatch(CJK);

    h.as('admin');
    const detail = renderPage(orderPage, { orderId: paid.id });
    await loaded(detail);
    expect(wx.setNavigationBarTitle).toHaveBeenLastCalledWith(expect.objectContaining({ title: 'Order' }));
    expect(text(find(detail, 'order__title'))).toMatch(
      /^West Lake Longjing, 50 g and more \(3 items\) Ordered \d{4}-\d{2}-\d{2} \d{2}:\d{2} Paid$/,
    );
    expect(text(find(detail, 'order__id'))).toBe(`Order number ${paid.id} Copy`);
    expect(cell(detail, 'Settlement').note).toBe('Pending settlement');
    expect(texts(detail, 'order__line')).toEqual([
      'West Lake Longjing, 50 g ¥68.00 × 2 ¥136.00',
      'Tieguanyin Oolong, 100 g ¥99.00 × 1 ¥99.00',
    ]);
    expect(text(find(detail, 'order__refund-submit'))).toBe('Refund');
    expect(detail.data.view.merchant.refundHint).toBe('Up to ¥235.00');
    expect(text(detail)).not.toMatch(CJK);

    const admins = renderPage(ordersPage, { scope: 'merchant' });
    await idle(admins);
    expect(texts(admins, 'orders__filter')).toEqual(['All', 'Paid', 'Partly refunded', 'Refunded']);
    expect(text(admins)).not.toMatch(CJK);
  });
});
