// The funds dashboard through the whole stack: page -> services/funds ->
// transport -> wx.cloud -> the real funds function -> SQLite ledger.
import { recordBankAccount } from '../../../cloudfunctions/core/funds/record-account';
import { bindMerchant, paidOrder } from '../../funds/support';
import { settleDueOrders } from '../../../cloudfunctions/core/funds/settlement';
import {
  cell,
  cells,
  exists,
  find,
  findAll,
  loadPage,
  renderPage,
  showPage,
  speak,
  tap,
  text,
  useHarness,
  waitFor,
} from '../harness';

const h = useHarness({ as: 'admin' });
const dashboard = loadPage('packages/funds/pages/dashboard/index');
const loaded = (page: ReturnType<typeof renderPage>) => waitFor(() => page.data.loadState === 'idle' && page.data.view);

const ACCOUNT = {
  accountType: 'CORPORATE' as const,
  accountBank: '招商银行',
  bankAddressCode: '440300',
  accountName: 'Shenzhen Demo Tea Co., Ltd.',
  accountNumber: '6214830000001234',
};

async function money(): Promise<void> {
  await bindMerchant(h.deps);
  await paidOrder(h.deps, 10000, '2026-01-04T02:00:00.000Z');
  h.deps.clock.set('2026-01-05T02:00:00.000Z');
  await settleDueOrders(h.deps);
  await paidOrder(h.deps, 5000, '2026-01-05T03:00:00.000Z');
}

test('shows loading, then the three balances, the settlement period and recent movements', async () => {
  await money();
  const page = renderPage(dashboard);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);

  expect(text(find(page, 'dashboard__available'))).toBe('¥99.40');
  expect(text(find(page, 'dashboard__pending'))).toBe('¥49.70');
  expect(text(find(page, 'dashboard__withdrawing'))).toBe('¥0.00');
  expect(text(find(page, 'dashboard__card--available'))).toBe('可用余额 ¥99.40 可提现');
  expect(text(find(page, 'dashboard__card--pending'))).toBe('待结算 ¥49.70 T+1 可用');
  expect(text(find(page, 'dashboard__card--withdrawing'))).toBe('提现中 ¥0.00 正在转入结算账户');
  const recent = findAll(page, 'dashboard__recent').map(text);
  expect(recent).toHaveLength(5);
  expect(recent[0]).toBe('收款 2026-01-05 11:00 +¥50.00');
  expect(recent[1]).toBe('手续费 2026-01-05 11:00 -¥0.30');
  expect(recent[2]).toContain('结算');
  expect(cells(page).map((c) => c.title)).toEqual(
    expect.arrayContaining(['交易明细', '结算账户', '提现记录', '对账', '微信支付商户平台', '常见问题', '查看全部']),
  );
  expect(text(find(page, 'dashboard__withdraw'))).toBe('提现');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '资金管理' }));
  expect(exists(page, 'dashboard__service')).toBe(false);
  expect(h.callsTo('funds').map((c) => c.action)).toEqual(['getOverview']);
});

test('a recent movement opens its detail; the links open their pages', async () => {
  await money();
  const page = renderPage(dashboard);
  await loaded(page);
  await tap(findAll(page, 'dashboard__recent')[0]);
  const id = page.data.view!.recent[0].id;
  await tap(find(page, 'dashboard__link--transactions'));
  await tap(find(page, 'dashboard__link--bank'));
  await tap(find(page, 'dashboard__link--withdrawals'));
  await tap(find(page, 'dashboard__link--reconciliation'));
  await tap(find(page, 'dashboard__link--platform'));
  await tap(find(page, 'dashboard__link--help'));
  expect(h.navigations()).toEqual([
    `/packages/funds/pages/transaction/index?id=${encodeURIComponent(id)}`,
    '/packages/funds/pages/transactions/index',
    '/packages/funds/pages/bank-account/index',
    '/packages/funds/pages/withdrawals/index',
    '/packages/funds/pages/reconciliation/index',
    '/packages/funds/pages/merchant-platform/index',
    '/packages/funds/pages/help/index',
  ]);
});

test('withdraw needs a bank account first; with one it opens the withdrawal', async () => {
  await money();
  const page = renderPage(dashboard);
  await loaded(page);
  expect(text(find(page, 'dashboard__withdraw-hint'))).toBe('请先设置结算账户');
  expect(cell(page, '结算账户').description).toBe('未设置');
  await tap(find(page, 'dashboard__withdraw'));
  expect(h.navigations()).toEqual([]);
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请先设置结算账户' }));

  await recordBankAccount(h.deps, h.identity.appid, ACCOUNT);
  showPage(page);
  await waitFor(() => !exists(page, 'dashboard__withdraw-hint'));
  expect(cell(page, '结算账户').description).toBe('招商银行 **** **** 1234');
  expect(text(page)).not.toContain('6214830000001234');
  await tap(find(page, 'dashboard__withdraw'));
  expect(h.navigations()).toEqual(['/packages/funds/pages/withdraw/index']);
});

test('says when payment management is discontinued, and still shows the funds', async () => {
  await money();
  process.env.PMS_SERVICE_STATUS = 'discontinued';
  try {
    const page = renderPage(dashboard);
    await loaded(page);
    expect(text(find(page, 'dashboard__service'))).toContain('买家改用普通微信支付付款');
    expect(text(find(page, 'dashboard__available'))).toBe('¥99.40');
  } finally {
    delete process.env.PMS_SERVICE_STATUS;
  }
});

test('without a merchant account: zero balances, the way to get one, no withdrawing', async () => {
  const page = renderPage(dashboard);
  await loaded(page);
  expect(cell(page, '尚未开通商户号').description).toBe('在首页申请微信支付商户号，开通后收款会显示在这里');
  expect(text(find(page, 'dashboard__available'))).toBe('¥0.00');
  expect(cells(page).some((c) => c.title === '暂无交易')).toBe(true);
  expect(find(page, 'dashboard__withdraw').getAttribute('class')).toContain('t-button--disabled');
});

test('an error shows with a retry that loads the page', async () => {
  await money();
  h.failNext();
  const page = renderPage(dashboard);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 'load-state__error'))).toBe('加载失败 网络不可用，请检查网络后重试 重试');
  await tap(find(page, 't-button', 'load-state__error'));
  await loaded(page);
  expect(text(find(page, 'dashboard__available'))).toBe('¥99.40');
});

test('a buyer is refused in words, not with the backend’s text', async () => {
  h.as('buyer');
  const page = renderPage(dashboard);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toBe('你没有权限进行该操作');
});

test('in English: every text of the page, no Chinese left but the bank name', async () => {
  speak('en-US');
  await money();
  await recordBankAccount(h.deps, h.identity.appid, ACCOUNT);
  const page = renderPage(dashboard);
  await loaded(page);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Funds' }));
  expect(text(find(page, 'dashboard__card--available'))).toBe('Available balance ¥99.40 Can be withdrawn');
  expect(text(find(page, 'dashboard__card--pending'))).toBe('Pending ¥49.70 Available T+1');
  expect(findAll(page, 'dashboard__recent').map(text)[0]).toBe('Payment 2026-01-05 11:00 +¥50.00');
  expect(cell(page, 'Settlement account').description).toBe('招商银行 **** **** 1234');
  expect(text(page).replace('招商银行', '')).not.toMatch(/[\u4e00-\u9fff]/);
});
