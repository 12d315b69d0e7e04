// Reconciliation results, the Merchant Platform page and the help page.
import { reconcile } from '../../../cloudfunctions/core/funds/reconciliation';
import { bindSandboxMerchant, realPaidOrders } from '../../funds/real';
import { paidOrder } from '../../funds/support';
import { cells, exists, find, findAll, loadPage, renderPage, tap, text, texts, useHarness, waitFor } from '../harness';

const h = useHarness({ as: 'admin' });
const reconciliation = loadPage('packages/funds/pages/reconciliation/index');
const platform = loadPage('packages/funds/pages/merchant-platform/index');
const help = loadPage('packages/funds/pages/help/index');

describe('reconciliation', () => {
  test('each day with its result; a day with mismatches opens to list them', async () => {
    await bindSandboxMerchant(h.deps);
    await realPaidOrders(h.deps, 1);
    const ghost = await paidOrder(h.deps, 1234, '2026-01-05T03:00:00.000Z', { subMchid: 'x' });
    h.deps.clock.set('2026-01-06T02:00:01.000Z');
    await reconcile(h.deps);

    const page = renderPage(reconciliation);
    await waitFor(() => page.data.loadState === 'noMore');
    const [day] = cells(page);
    expect(day.title).toBe('2026-01-05');
    expect(day.note).toBe('1 mismatch');
    expect(day.description).toBe('Bill 1 payments ¥99.00 · ours 2 payments ¥111.34');
    expect(exists(page, 'reconciliation__mismatch')).toBe(false);

    // A double tap opens the day once (it used to ask twice, the second closing it again).
    const release = h.hold();
    await tap(find(page, 'reconciliation__day'));
    await tap(find(page, 'reconciliation__day'));
    release();
    await waitFor(() => exists(page, 'reconciliation__mismatch') && !page.data.opening);
    expect(h.callsTo('funds', 'getReconciliation')).toHaveLength(1);
    expect(texts(page, 'reconciliation__mismatch-title')).toEqual(["Payment missing in WeChat Pay's bill"]);
    expect(text(find(page, 'reconciliation__mismatch-detail'))).toContain(`Order ${ghost._id}`);
    expect(text(find(page, 'reconciliation__mismatch-detail'))).toContain('ours ¥12.34');

    await tap(find(page, 'reconciliation__day'));
    expect(exists(page, 'reconciliation__mismatch')).toBe(false);
  });

  test('nothing checked yet, and an error with retry', async () => {
    h.failNext();
    const page = renderPage(reconciliation);
    await waitFor(() => page.data.loadState === 'error');
    await tap(find(page, 't-button', 'load-state__error'));
    await waitFor(() => page.data.loadState === 'empty');
    expect(text(find(page, 't-empty'))).toContain('No days checked yet');
  });
});

test('the Merchant Platform page says what is done there and copies its link', async () => {
  const page = renderPage(platform);
  expect(cells(page).map((c) => c.title)).toEqual([
    'Invoices for fees',
    'Organisation and admin details',
    'Payment complaints',
    'https://pay.weixin.qq.com',
  ]);
  await tap(find(page, 'platform__copy'));
  await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
  expect((wx.setClipboardData as jest.Mock).mock.calls[0][0].data).toBe('https://pay.weixin.qq.com');
  expect((wx.showToast as jest.Mock).mock.calls[0][0].title).toBe('Link copied');
});

test('the help page answers the questions one at a time', async () => {
  const page = renderPage(help);
  const questions = findAll(page, 'help__question');
  expect(questions.length).toBeGreaterThanOrEqual(8);
  expect(texts(page, 't-cell__title-text')).toEqual(
    expect.arrayContaining([
      'How do I bind a merchant account?',
      'Where did the old WeChat Pay binding page go? Can I use my existing merchant account?',
      'A third-party platform runs my mini program. Can it use payment management?',
    ]),
  );
  expect(exists(page, 'help__answer')).toBe(false);
  await tap(find(page, 'help__question--bind'));
  expect(text(find(page, 'help__answer--bind'))).toContain('linked to this mini program automatically');
  await tap(find(page, 'help__question--third-party'));
  expect(exists(page, 'help__answer--bind')).toBe(false);
  expect(text(find(page, 'help__answer--third-party'))).toContain('not included');
  await tap(find(page, 'help__platform'));
  expect(h.navigations()).toEqual(['/packages/funds/pages/merchant-platform/index']);
});
