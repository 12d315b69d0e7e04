// The bank account page over the real funds function and the WeChat Pay sandbox.
import { pollBankChanges } from '../../../cloudfunctions/core/funds/bank-account';
import { bindSandboxMerchant } from '../../funds/real';
import { ENTITY } from '../../funds/support';
import { ACCOUNT_NUMBER_DIGITS } from '../../../miniprogram/shared/bank-account';
import {
  cell,
  exists,
  find,
  fire,
  loadPage,
  renderPage,
  speak,
  tap,
  text,
  typeInto,
  useHarness,
  waitFor,
} from '../harness';

const h = useHarness({ as: 'admin' });
const bankPage = loadPage('packages/funds/pages/bank-account/index');
type Page = ReturnType<typeof renderPage>;
const { min, max } = ACCOUNT_NUMBER_DIGITS;
const loaded = (page: Page) => waitFor(() => page.data.loadState === 'idle' && page.data.view);

async function fillForm(page: Page, fields: { bank: number; code: string; name: string; number: string }) {
  await fire(find(page, 'bank__bank'), 'change', { value: fields.bank });
  await typeInto(page, 'bank__address', fields.code);
  await typeInto(page, 'bank__name', fields.name);
  await typeInto(page, 'bank__number', fields.number);
}

test('shows the account in use, masked', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  expect(cell(page, '开户银行').note).toBe('工商银行');
  expect(cell(page, '银行账号').note).toBe('**** **** 0000');
  // Masked short, not a row of asterisks as long as the name.
  expect(cell(page, '开户名称').note).toBe('S**');
  expect(cell(page, '账户类型').note).toBe('对公账户');
  expect(text(find(page, 'bank__edit'))).toBe('修改结算账户');
  expect(text(find(page, 'bank__hint'))).toBe('今日还可修改 5 次');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '结算账户' }));
  expect(text(page)).not.toContain('6222000000000000');
});

test('a change goes to review; the old account stays in use until approved', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  await tap(find(page, 'bank__edit'));
  // Personal is off for an enterprise.
  await tap(find(page, 'bank__type--personal'));
  expect(page.data.form.accountType).toBe('CORPORATE');
  const cmb = page.data.view!.banks.indexOf('招商银行');
  await fillForm(page, { bank: cmb, code: '440300', name: ENTITY, number: '6214 8300 0000 5678' });
  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.editing);

  const call = h.callsTo('funds', 'changeBankAccount')[0];
  expect(call.data).toEqual({
    accountType: 'CORPORATE',
    accountBank: '招商银行',
    bankAddressCode: '440300',
    accountName: ENTITY,
    accountNumber: '6214830000005678',
  });
  expect(call.idempotencyKey).toBeTruthy();
  expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已提交审核', icon: 'success' }));
  expect(text(find(page, 'bank__change-state'))).toBe('审核中');
  expect(cell(page, '招商银行').description).toMatch(/^\*\*\*\* \*\*\*\* 5678 · 2026-/);
  expect(cell(page, '银行账号').note).toBe('**** **** 0000');
  expect(text(find(page, 'bank__hint'))).toBe('修改审核中，审核通过前仍使用当前账户');
  expect(exists(page, 'bank__refresh')).toBe(true);

  h.deps.clock.advance(6_000);
  await pollBankChanges(h.deps);
  await tap(find(page, 'bank__refresh'));
  await waitFor(() => text(find(page, 'bank__change-state')) === '已通过');
  expect(cell(page, '银行账号').note).toBe('**** **** 5678');
  expect(cell(page, '开户银行').note).toBe('招商银行');
});

test("the form checks before sending, and shows the backend's reason on the right field", async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  await tap(find(page, 'bank__edit'));
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors).toEqual({
    accountBank: '请选择开户银行',
    bankAddressCode: '请填写 6 位开户地区代码',
    accountName: '请填写开户名称',
    accountNumber: `银行账号为 ${min} 至 ${max} 位数字`,
  });
  expect(text(find(page, 'bank__error--accountBank'))).toBe('请选择开户银行');
  expect(text(find(page, 'bank__number'))).toContain(`银行账号为 ${min} 至 ${max} 位数字`);
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(0);

  await fillForm(page, {
    bank: page.data.view!.banks.indexOf('其他银行'),
    code: '440300',
    name: 'Someone Else Ltd.',
    number: '6214830000005678',
  });
  expect(exists(page, 'bank__bank-name')).toBe(true);
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors.bankName).toBe('请填写开户支行全称');
  await typeInto(page, 'bank__bank-name', '深圳农村商业银行南山支行');
  await tap(find(page, 'bank__submit'));
  await waitFor(() => page.data.formError !== '');
  expect(text(find(page, 'bank__form-error'))).toBe('开户名称与商户信息不一致');
  expect(page.data.editing).toBe(true);
});

test('without a merchant account: the backend says so', async () => {
  const page = renderPage(bankPage);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toBe('该小程序尚未绑定微信支付商户号');
});

test('a change asks first, showing the new account masked; cancelling sends nothing', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  await tap(find(page, 'bank__edit'));
  const cmb = page.data.view!.banks.indexOf('招商银行');
  await fillForm(page, { bank: cmb, code: '440300', name: ENTITY, number: '6214 8300 0000 5678' });
  (wx.showModal as jest.Mock).mockImplementationOnce((o: WechatMiniprogram.ShowModalOption) =>
    setTimeout(() => o.success?.({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as never), 0),
  );
  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.submitting && (wx.showModal as jest.Mock).mock.calls.length === 1);
  const modal = (wx.showModal as jest.Mock).mock.calls[0][0];
  expect(modal).toMatchObject({
    title: '修改结算账户',
    content: '微信支付审核通过后，招商银行 **** **** 5678 将替换当前结算账户。每天最多可修改 5 次。',
    confirmText: '提交',
    cancelText: '取消',
  });
  expect(modal.content).not.toContain('6214830000005678');
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(0);
  expect(page.data.editing).toBe(true);

  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.editing);
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(1);
});

test('the account number takes the digits the shared rule allows, spaces and dashes aside', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  await tap(find(page, 'bank__edit'));
  expect(page.data.numberPlaceholder).toBe(`${min} 至 ${max} 位数字`);
  const cmb = page.data.view!.banks.indexOf('招商银行');
  await fillForm(page, { bank: cmb, code: '440300', name: ENTITY, number: '1'.repeat(max + 1) });
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors.accountNumber).toBe(`银行账号为 ${min} 至 ${max} 位数字`);
  await typeInto(page, 'bank__number', `${'1'.repeat(min - 2)}-1`);
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors.accountNumber).toBe(`银行账号为 ${min} 至 ${max} 位数字`);
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(0);

  const longest = '6'.repeat(max);
  await typeInto(page, 'bank__number', longest.replace(/(\d{4})/g, '$1 ').trim());
  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.submitting && h.callsTo('funds', 'changeBankAccount').length === 1);
  expect(h.callsTo('funds', 'changeBankAccount')[0].data).toMatchObject({ accountNumber: longest });
  expect(page.data.errors.accountNumber ?? '').toBe('');
});

test('in English: the account, the form and its checks, no Chinese left but bank data', async () => {
  speak('en-US');
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Settlement account' }));
  expect(cell(page, 'Account name').note).toBe('S**');
  expect(cell(page, 'Type').note).toBe('Corporate account');
  expect(text(find(page, 'bank__hint'))).toBe('Changes left today: 5');
  expect(text(page).replace('工商银行', '')).not.toMatch(/[\u4e00-\u9fff]/);
  await tap(find(page, 'bank__edit'));
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors).toEqual({
    accountBank: 'Choose the bank',
    bankAddressCode: 'Six digits, the city of the branch',
    accountName: 'Enter the name on the account',
    accountNumber: `${min} to ${max} digits`,
  });
  expect(text(find(page, 'bank__types'))).toBe('Corporate Personal');
  expect(text(page).replace('工商银行', '')).not.toMatch(/[\u4e00-\u9fff]/);
});
