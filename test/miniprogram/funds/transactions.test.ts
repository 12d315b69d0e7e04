// Transaction list and detail pages over the real funds function.
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import { paymentEntry, withdrawalEntry, withdrawalOutcomeEntry } from '../../../cloudfunctions/core/domain/ledger';
import { post, postInTransaction } from '../../../cloudfunctions/core/ledger/book';
import { settleDueOrders } from '../../../cloudfunctions/core/funds/settlement';
import { bindMerchant, paidOrder, refundOrder } from '../../funds/support';
import {
  cell,
  cells,
  exists,
  find,
  findAll,
  fire,
  loadPage,
  renderPage,
  speak,
  tap,
  text,
  texts,
  useHarness,
  waitFor,
} from '../harness';

const h = useHarness({ as: 'admin' });
const list = loadPage('packages/funds/pages/transactions/index');
const detail = loadPage('packages/funds/pages/transaction/index');

type Page = ReturnType<typeof renderPage>;
const settled = (page: Page) => waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore);

async function ledger(): Promise<string> {
  await bindMerchant(h.deps);
  const a = await paidOrder(h.deps, 10000, '2026-01-05T02:00:00.000Z'); // 10:00 Beijing on the 5th
  await refundOrder(h.deps, a._id, 'R1', 3000, '2026-01-05T04:00:00.000Z');
  h.deps.clock.set('2026-01-06T02:00:00.000Z');
  await settleDueOrders(h.deps);
  await post(h.deps.store, withdrawalEntry(DEMO_APPID, 'wd1', 1000), new Date('2026-01-06T03:00:00.000Z'));
  return a._id;
}

describe('the list', () => {
  test('newest first with signed amounts, then the no-more line', async () => {
    await ledger();
    const page = renderPage(list);
    expect(exists(page, 't-loading')).toBe(true);
    await settled(page);
    expect(cells(page).map((c) => `${c.title} ${c.note}`)).toEqual([
      '提现 -¥10.00',
      '结算 +¥69.58',
      '退款 -¥30.00',
      '手续费 +¥0.18',
      '收款 +¥100.00',
      '手续费 -¥0.60',
    ]);
    expect(cells(page)[0].description).toBe('2026-01-06 11:00');
    expect(page.data.loadState).toBe('noMore');
    expect(text(find(page, 't-divider'))).toBe('没有更多了');
    expect(text(find(page, 'transactions__zone'))).toBe('日期和时间均为北京时间');
    expect(text(find(page, 'transactions__range'))).toBe('开始日期 – 结束日期 导出');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '交易明细' }));
  });

  test('filters by type and by date range; a reversed range is refused before asking', async () => {
    await ledger();
    const page = renderPage(list);
    await settled(page);
    await tap(find(page, 'transactions__filter--fee'));
    await settled(page);
    expect(cells(page).map((c) => c.note)).toEqual(['+¥0.18', '-¥0.60']);
    expect(h.callsTo('funds', 'listTransactions').pop()!.data).toEqual({ type: 'fee' });

    await tap(find(page, 'transactions__filter--all'));
    await settled(page);
    await fire(find(page, 'transactions__from'), 'change', { value: '2026-01-06' });
    await settled(page);
    expect(h.callsTo('funds', 'listTransactions').pop()!.data).toEqual({ from: '2026-01-06', to: '2026-01-06' });
    expect(cells(page).map((c) => c.title)).toEqual(['提现', '结算']);

    const before = h.callsTo('funds', 'listTransactions').length;
    await fire(find(page, 'transactions__to'), 'change', { value: '2026-01-01' });
    expect(text(find(page, 'transactions__range-error'))).toBe('结束日期不能早于开始日期');
    expect(h.callsTo('funds', 'listTransactions')).toHaveLength(before);

    await tap(find(page, 'transactions__clear'));
    await settled(page);
    expect(cells(page)).toHaveLength(6);
  });

  test('scrolling down loads the next page, appended', async () => {
    await bindMerchant(h.deps);
    await h.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 30; i++)
        await postInTransaction(
          tx,
          paymentEntry(DEMO_APPID, `p${i}`, 100 + i, 0),
          new Date(Date.parse('2026-01-05T02:00:00Z') + i * 1000),
        );
    });
    const page = renderPage(list);
    await settled(page);
    expect(cells(page)).toHaveLength(20);
    expect(page.data.loadState).toBe('idle');
    await (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();
    await settled(page);
    expect(cells(page)).toHaveLength(30);
    expect(cells(page)[29].note).toBe('+¥1.00');
    expect(page.data.loadState).toBe('noMore');
  });

  test('payments with fees are two rows each: pages of 20 rows, each row once, the fee after its payment', async () => {
    await bindMerchant(h.deps);
    await h.deps.store.transaction(async (tx) => {
      for (let i = 0; i < 15; i++)
        await postInTransaction(
          tx,
          paymentEntry(DEMO_APPID, `p${i}`, 1000 + i, 6),
          new Date(Date.parse('2026-01-05T02:00:00Z') + i * 1000),
        );
    });
    const page = renderPage(list);
    await settled(page);
    expect(cells(page)).toHaveLength(20);
    expect(page.data.loadState).toBe('idle');
    await (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();
    await settled(page);
    expect(page.data.loadState).toBe('noMore');
    const rows = cells(page).map((c) => `${c.title} ${c.note}`);
    expect(rows).toEqual(
      Array.from({ length: 15 }, (_, i) => 14 - i).flatMap((i) => [
        `收款 +¥${(10 + i / 100).toFixed(2)}`,
        '手续费 -¥0.06',
      ]),
    );
    expect(new Set(page.data.rows.map((r: { id: string }) => r.id)).size).toBe(30);
    const pageSizes = h
      .callsTo('funds', 'listTransactions')
      .map((c) => (c.result?.ok ? (c.result.data as { items: unknown[] }).items.length : -1));
    expect(pageSizes).toEqual([20, 10]);
  });

  test('empty, and an error with retry', async () => {
    await bindMerchant(h.deps);
    h.failNext();
    const page = renderPage(list);
    await waitFor(() => page.data.loadState === 'error');
    expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
    await tap(find(page, 't-button', 'load-state__error'));
    await settled(page);
    expect(page.data.loadState).toBe('empty');
    expect(text(find(page, 't-empty'))).toBe('没有符合条件的交易');
  });

  test('the filter offers every entry type; payouts and adjustments are accepted by the server', async () => {
    await ledger();
    await post(h.deps.store, withdrawalOutcomeEntry(DEMO_APPID, 'wd1', 1000, true), new Date('2026-01-06T04:00:00Z'));
    const page = renderPage(list);
    await settled(page);
    expect(texts(page, 'transactions__filter')).toEqual([
      '全部',
      '收款',
      '手续费',
      '退款',
      '结算',
      '提现',
      '提现到账',
      '提现退回',
      '调账',
    ]);
    await tap(find(page, 'transactions__filter--withdrawal_paid'));
    await settled(page);
    expect(h.callsTo('funds', 'listTransactions').pop()!.data).toEqual({ type: 'withdrawal_paid' });
    expect(cells(page).map((c) => `${c.title} ${c.note}`)).toEqual(['提现到账 -¥10.00']);
    expect(find(page, 'transactions__filter--withdrawal_paid').getAttribute('class')).toContain(
      'transactions__filter--on',
    );
    await tap(find(page, 'transactions__filter--withdrawal'));
    await settled(page);
    expect(cells(page).map((c) => c.title)).toEqual(['提现']);
    await tap(find(page, 'transactions__filter--adjustment'));
    await settled(page);
    expect(h.callsTo('funds', 'listTransactions').pop()!.result?.ok).toBe(true);
    expect(text(find(page, 't-empty'))).toBe('没有符合条件的交易');
  });

  test('in English: the list, the filter and the export, with no Chinese left', async () => {
    speak('en-US');
    await ledger();
    const written: Array<{ data: string }> = [];
    (wx.getFileSystemManager as jest.Mock).mockReturnValue({
      writeFile: (o: { data: string; success(): void }) => {
        written.push(o);
        setTimeout(() => o.success(), 0);
      },
    });
    const page = renderPage(list);
    await settled(page);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Transactions' }));
    expect(texts(page, 'transactions__filter')).toEqual([
      'All',
      'Payments',
      'Fees',
      'Refunds',
      'Settlements',
      'Withdrawals',
      'Paid to bank',
      'Returned',
      'Adjustments',
    ]);
    expect(cells(page).map((c) => `${c.title} ${c.note}`)[0]).toBe('Withdrawal -¥10.00');
    expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);

    await fire(find(page, 'transactions__from'), 'change', { value: '2026-01-06' });
    await settled(page);
    await tap(find(page, 'transactions__filter--settlement'));
    await settled(page);
    await tap(find(page, 'transactions__export'));
    await waitFor(() => (wx.showModal as jest.Mock).mock.calls.length === 1);
    expect(h.callsTo('funds', 'exportTransactions')[0].data).toMatchObject({ lang: 'en-US' });
    expect(written[0].data.startsWith('\uFEFFTime (Beijing),Type,Amount (CNY)')).toBe(true);
    expect(written[0].data).not.toMatch(/[\u4e00-\u9fff]/);
    // The export is the range, every type: the settlement and the withdrawal of the 6th.
    expect((wx.showModal as jest.Mock).mock.calls[0][0]).toMatchObject({
      title: 'Export ready',
      content: '2 transactions saved as transactions_2026-01-06_2026-01-06.csv. Send the file to a chat?',
      confirmText: 'Send',
    });
  });

  test('one transaction exported is said in the singular', async () => {
    speak('en-US');
    await bindMerchant(h.deps);
    await post(h.deps.store, paymentEntry(DEMO_APPID, 'p1', 1000, 0), new Date('2026-01-05T02:00:00Z'));
    (wx.getFileSystemManager as jest.Mock).mockReturnValue({
      writeFile: (o: { success(): void }) => setTimeout(() => o.success(), 0),
    });
    const page = renderPage(list);
    await settled(page);
    await fire(find(page, 'transactions__from'), 'change', { value: '2026-01-05' });
    await settled(page);
    await tap(find(page, 'transactions__export'));
    await waitFor(() => (wx.showModal as jest.Mock).mock.calls.length === 1);
    expect((wx.showModal as jest.Mock).mock.calls[0][0].content).toBe(
      '1 transaction saved as transactions_2026-01-05_2026-01-05.csv. Send the file to a chat?',
    );
  });

  test('an export that fails says why in words, and nothing is shared', async () => {
    await bindMerchant(h.deps);
    const page = renderPage(list);
    await settled(page);
    h.failNext();
    await tap(find(page, 'transactions__export'));
    await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
    expect((wx.showToast as jest.Mock).mock.calls[0][0].title).toBe('网络不可用，请检查网络后重试');
    expect(wx.shareFileMessage).not.toHaveBeenCalled();
    expect(page.data.exporting).toBe(false);
  });

  test('a row opens its detail', async () => {
    await ledger();
    const page = renderPage(list);
    await settled(page);
    await tap(findAll(page, 'transactions__row')[4]);
    expect(h.navigations()).toEqual([
      `/packages/funds/pages/transaction/index?id=${encodeURIComponent(page.data.rows[4].id)}`,
    ]);
  });

  test('export saves the CSV (BOM, yuan) and offers to send it', async () => {
    await ledger();
    const written: Array<{ filePath: string; data: string; encoding: string }> = [];
    (wx.getFileSystemManager as jest.Mock).mockReturnValue({
      writeFile: (o: { filePath: string; data: string; encoding: string; success(): void }) => {
        written.push(o);
        setTimeout(() => o.success(), 0);
      },
    });
    const page = renderPage(list);
    await settled(page);
    await fire(find(page, 'transactions__from'), 'change', { value: '2026-01-01' });
    await fire(find(page, 'transactions__to'), 'change', { value: '2026-01-31' });
    await settled(page);
    await tap(find(page, 'transactions__export'));
    await waitFor(() => (wx.shareFileMessage as jest.Mock).mock.calls.length === 1);
    expect(h.callsTo('funds', 'exportTransactions')[0].data).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      lang: 'zh-CN',
    });
    expect(written[0].filePath).toMatch(/transactions_2026-01-01_2026-01-31\.csv$/);
    expect(written[0].data.startsWith('\uFEFF时间（北京时间）,类型,金额（元）')).toBe(true);
    expect(written[0].data).toContain('收款,100.00');
    expect((wx.showModal as jest.Mock).mock.calls[0][0]).toMatchObject({
      title: '导出完成',
      content: '已将 6 笔交易保存为 transactions_2026-01-01_2026-01-31.csv，是否发送到聊天？',
      confirmText: '发送',
      cancelText: '取消',
    });
    expect((wx.shareFileMessage as jest.Mock).mock.calls[0][0]).toMatchObject({
      filePath: written[0].filePath,
      fileName: 'transactions_2026-01-01_2026-01-31.csv',
    });
  });
});

describe('the detail', () => {
  test('a payment: amount, balance moved, its fee, and the order it links to', async () => {
    const orderId = await ledger();
    const page = renderPage(detail, { id: encodeURIComponent(`payment:${orderId}`) });
    await waitFor(() => page.data.loadState === 'idle');
    expect(text(find(page, 'transaction__head'))).toBe(
      '收款 +¥100.00 2026-01-05 10:00（北京时间） 买家付款，结算前计入待结算',
    );
    expect(cell(page, '待结算').note).toBe('+¥100.00');
    expect(cell(page, '订单').description).toBe('支付于 2026-01-05 10:00 · 已结算');
    // The order number whole (wrapped, not cut), with its copy action.
    expect(text(find(page, 'transaction__order-id'))).toBe(`订单号 ${orderId} 复制`);
    expect(texts(page, 'transaction__related')).toEqual(['手续费 -¥0.60']);
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '交易详情' }));
    await tap(find(page, 'transaction__copy--order'));
    await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
    expect((wx.setClipboardData as jest.Mock).mock.calls[0][0].data).toBe(orderId);
    expect((wx.showToast as jest.Mock).mock.calls[0][0]).toMatchObject({ title: '已复制', icon: 'success' });
    await tap(find(page, 'transaction__order'));
    expect(h.navigations()).toEqual([`/packages/checkout/pages/order/index?orderId=${orderId}`]);
    await tap(find(page, 'transaction__related'));
    expect(h.navigations()[1]).toBe(
      `/packages/funds/pages/transaction/index?id=${encodeURIComponent(`payment:${orderId}#fee`)}`,
    );
  });

  test('a settlement moves pending to available', async () => {
    const orderId = await ledger();
    const page = renderPage(detail, { id: `settlement:${orderId}` });
    await waitFor(() => page.data.loadState === 'idle');
    expect(
      cells(page)
        .filter((c) => c.title === '待结算' || c.title === '可用余额')
        .map((c) => `${c.title} ${c.note}`),
    ).toEqual(['待结算 -¥69.58', '可用余额 +¥69.58']);
  });

  test('an unknown id is the mapped not-found', async () => {
    await bindMerchant(h.deps);
    const page = renderPage(detail, { id: 'payment:nope' });
    await waitFor(() => page.data.loadState === 'error');
    expect(text(find(page, 't-result__description'))).toBe('交易明细不存在');
  });

  test('a withdrawal links to its withdrawal, its long number shown whole with a copy action', async () => {
    await ledger();
    const id = `wd_${'9'.repeat(40)}`;
    const at = '2026-01-06T05:00:00.000Z';
    await h.deps.store.insert('withdrawals', {
      _id: id,
      appid: DEMO_APPID,
      amountFen: 500,
      state: 'SUCCESS',
      requestedBy: h.identity.openid,
      challenge: {},
      createdAt: at,
      updatedAt: at,
    });
    await post(h.deps.store, withdrawalEntry(DEMO_APPID, id, 500), new Date(at));
    const page = renderPage(detail, { id: encodeURIComponent(`withdrawal:${id}`) });
    await waitFor(() => page.data.loadState === 'idle');
    expect(text(find(page, 'transaction__type'))).toBe('提现');
    expect(cell(page, '提现').note).toBe('已到账');
    expect(text(find(page, 'transaction__withdrawal-id'))).toBe(`提现单号 ${id} 复制`);
    await tap(find(page, 'transaction__copy--withdrawal'));
    await waitFor(() => (wx.setClipboardData as jest.Mock).mock.calls.length === 1);
    expect((wx.setClipboardData as jest.Mock).mock.calls[0][0].data).toBe(id);
  });

  test('in English: the detail with no Chinese left', async () => {
    speak('en-US');
    const orderId = await ledger();
    const page = renderPage(detail, { id: encodeURIComponent(`payment:${orderId}`) });
    await waitFor(() => page.data.loadState === 'idle');
    expect(text(find(page, 'transaction__head'))).toBe(
      'Payment +¥100.00 2026-01-05 10:00 (Beijing time) A buyer paid. The money is pending until settlement.',
    );
    expect(cell(page, 'Order').description).toBe('Paid 2026-01-05 10:00 · Settled');
    expect(text(find(page, 'transaction__order-id'))).toBe(`Order number ${orderId} Copy`);
    expect(texts(page, 'transaction__related')).toEqual(['Fee -¥0.60']);
    expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
