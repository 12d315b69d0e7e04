// Reconciliation results, the Merchant Platform page and the help page.
import { reconcile } from '../../../cloudfunctions/core/funds/reconciliation';
import { bindSandboxMerchant, realPaidOrders } from '../../funds/real';
import { paidOrder } from '../../funds/support';
import {
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
  useHarness,
  waitFor,
} from '../harness';

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
    expect(day.note).toBe('1 处差异');
    expect(day.description).toBe('账单 1 笔 ¥99.00 · 本地 2 笔 ¥111.34');
    expect(text(find(page, 'reconciliation__intro'))).toContain('每天早上将前一天的微信支付交易账单与本地账目核对');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '对账' }));
    expect(exists(page, 'reconciliation__mismatch')).toBe(false);

    // A double tap opens the day once (it used to ask twice, the second closing it again).
    const release = h.hold();
    await tap(find(page, 'reconciliation__day'));
    await tap(find(page, 'reconciliation__day'));
    release();
    await waitFor(() => exists(page, 'reconciliation__mismatch') && !page.data.opening);
    expect(h.callsTo('funds', 'getReconciliation')).toHaveLength(1);
    expect(texts(page, 'reconciliation__mismatch-title')).toEqual(['本地有此收款，微信支付账单缺失']);
    expect(text(find(page, 'reconciliation__mismatch-detail'))).toBe(`订单 ${ghost._id} · 本地 ¥12.34`);

    await tap(find(page, 'reconciliation__day'));
    expect(exists(page, 'reconciliation__mismatch')).toBe(false);
  });

  test('nothing checked yet, and an error with retry', async () => {
    h.failNext();
    const page = renderPage(reconciliation);
    await waitFor(() => page.data.loadState === 'error');
    expect(text(find(page, 't-result__description'))).toBe('网络不可用，请检查网络后重试');
    await tap(find(page, 't-button', 'load-state__error'));
    await waitFor(() => page.data.loadState === 'empty');
    expect(text(find(page, 't-empty'))).toBe('暂无对账记录');
  });

  test('in English: counts in the singular and plural, no Chinese left', async () => {
    speak('en-US');
    await bindSandboxMerchant(h.deps);
    await realPaidOrders(h.deps, 1);
    const ghost = await paidOrder(h.deps, 1234, '2026-01-05T03:00:00.000Z', { subMchid: 'x' });
    h.deps.clock.set('2026-01-06T02:00:01.000Z');
    await reconcile(h.deps);
    const page = renderPage(reconciliation);
    await waitFor(() => page.data.loadState === 'noMore');
    const [day] = cells(page);
    expect(day.note).toBe('1 mismatch');
    expect(day.description).toBe('Bill: 1 payment, ¥99.00 · Ours: 2 payments, ¥111.34');
    await tap(find(page, 'reconciliation__day'));
    await waitFor(() => exists(page, 'reconciliation__mismatch'));
    expect(texts(page, 'reconciliation__mismatch-title')).toEqual(["Payment missing in WeChat Pay's bill"]);
    expect(text(find(page, 'reconciliation__mismatch-detail'))).toBe(`Order ${ghost._id} · ours ¥12.34`);
    expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

test('the Merchant Platform page says what is done there and copies its link', async () => {
  const page = renderPage(platform);
  expect(cells(page).map((c) => c.title)).toEqual([
    '手续费发票',
    '主体与管理员信息',
    '交易投诉',
    'https://pay.weixin.qq.com',
  ]);
  expect(cells(page)[1].description).toBe('变更主体登记信息、法定代表人或商户号的超级管理员');
  expect(text(find(page, 'platform__copy'))).toBe('复制链接');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '微信支付商户平台' }));
  await tap(find(page, 'platform__copy'));
  await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
  expect((wx.setClipboardData as jest.Mock).mock.calls[0][0].data).toBe('https://pay.weixin.qq.com');
  expect((wx.showToast as jest.Mock).mock.calls[0][0]).toMatchObject({ title: '链接已复制', icon: 'success' });
});

test('the Merchant Platform page in English, and a copy that fails says so', async () => {
  speak('en-US');
  (wx.setClipboardData as jest.Mock).mockImplementation((o: { fail(e: unknown): void }) =>
    setTimeout(() => o.fail({ errMsg: 'setClipboardData:fail' }), 0),
  );
  const page = renderPage(platform);
  expect(cells(page).map((c) => c.title)[0]).toBe('Invoices for fees');
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  await tap(find(page, 'platform__copy'));
  await waitFor(() => (wx.showToast as jest.Mock).mock.calls.length === 1);
  expect((wx.showToast as jest.Mock).mock.calls[0][0].title).toBe('Could not copy');
});

test('the help page answers the questions one at a time', async () => {
  const page = renderPage(help);
  const questions = findAll(page, 'help__question');
  expect(questions.length).toBeGreaterThanOrEqual(8);
  expect(texts(page, 't-cell__title-text')).toEqual(
    expect.arrayContaining([
      '如何绑定商户号？',
      '原来的微信支付绑定入口去哪了？能用已有的商户号吗？',
      '小程序由第三方平台代运营，可以使用支付管理吗？',
    ]),
  );
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '常见问题' }));
  expect(exists(page, 'help__answer')).toBe(false);
  await tap(find(page, 'help__question--bind'));
  expect(text(find(page, 'help__answer--bind'))).toBe(
    '无需自行绑定。在首页申请微信支付商户号，审核通过后会自动与该小程序关联。',
  );
  await tap(find(page, 'help__question--third-party'));
  expect(exists(page, 'help__answer--bind')).toBe(false);
  expect(text(find(page, 'help__answer--third-party'))).toContain('不在支付管理范围内');
  await tap(find(page, 'help__platform'));
  expect(h.navigations()).toEqual(['/packages/funds/pages/merchant-platform/index']);
});

test('the help page in English: every question and answer, no Chinese left', async () => {
  speak('en-US');
  const page = renderPage(help);
  expect(texts(page, 't-cell__title-text')).toEqual(
    expect.arrayContaining([
      'How do I bind a merchant account?',
      'Where did the old WeChat Pay binding page go? Can I use my existing merchant account?',
    ]),
  );
  const keys = ['why', 'bind', 'old-binding', 'third-party', 'pending', 'withdraw', 'bank', 'discontinued', 'platform'];
  expect(findAll(page, 'help__question')).toHaveLength(keys.length);
  for (const key of keys) {
    await tap(find(page, `help__question--${key}`));
    expect(text(find(page, `help__answer--${key}`))).not.toBe('');
    expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
  }
  expect(text(find(page, 'help__answer--platform'))).toBe(
    'On the WeChat Pay Merchant Platform, not in the mini program.',
  );
});
