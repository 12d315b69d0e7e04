// Transaction list and detail pages over the real funds function.
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import { paymentEntry, withdrawalEntry } from '../../../cloudfunctions/core/domain/ledger';
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
      'Withdrawal -¥10.00',
      'Settlement +¥69.58',
      'Refund -¥30.00',
      'Fee +¥0.18',
      'Payment +¥100.00',
      'Fee -¥0.60',
    ]);
    expect(page.data.loadState).toBe('noMore');
    expect(exists(page, 't-divider')).toBe(true);
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
    expect(cells(page).map((c) => c.title)).toEqual(['Withdrawal', 'Settlement']);

    const before = h.callsTo('funds', 'listTransactions').length;
    await fire(find(page, 'transactions__to'), 'change', { value: '2026-01-01' });
    expect(text(find(page, 'transactions__range-error'))).toBe('The end date is before the start date');
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
        `Payment +¥${(10 + i / 100).toFixed(2)}`,
        'Fee -¥0.06',
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
    expect(text(find(page, 't-result__description'))).toMatch(/Can't reach the service/);
    await tap(find(page, 't-button', 'load-state__error'));
    await settled(page);
    expect(page.data.loadState).toBe('empty');
    expect(text(find(page, 't-empty'))).toContain('No transactions match');
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
    expect(written[0].filePath).toMatch(/transactions_2026-01-01_2026-01-31\.csv$/);
    expect(written[0].data.startsWith('\uFEFFTime (Beijing),Type,Amount (CNY)')).toBe(true);
    expect(written[0].data).toContain('Payment,100.00');
    expect((wx.showModal as jest.Mock).mock.calls[0][0].content).toContain('6 transactions saved');
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
    expect(text(find(page, 'transaction__type'))).toBe('Payment');
    expect(text(find(page, 'transaction__amount'))).toBe('+¥100.00');
    expect(cell(page, 'Pending').note).toBe('+¥100.00');
    expect(cell(page, 'Order').note).toBe(orderId);
    expect(cell(page, 'Order').description).toContain('Settled');
    expect(texts(page, 'transaction__related')).toEqual(['Fee -¥0.60']);
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
        .filter((c) => c.title === 'Pending' || c.title === 'Available')
        .map((c) => `${c.title} ${c.note}`),
    ).toEqual(['Pending -¥69.58', 'Available +¥69.58']);
  });

  test("an unknown id is the backend's not-found", async () => {
    await bindMerchant(h.deps);
    const page = renderPage(detail, { id: 'payment:nope' });
    await waitFor(() => page.data.loadState === 'error');
    expect(text(find(page, 't-result__description'))).toBe('The transaction was not found');
  });
});
