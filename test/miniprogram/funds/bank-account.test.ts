// The bank account page over the real funds function and the WeChat Pay sandbox.
import { pollBankChanges } from '../../../cloudfunctions/core/funds/bank-account';
import { bindSandboxMerchant } from '../../funds/real';
import { ENTITY } from '../../funds/support';
import { cell, exists, find, fire, loadPage, renderPage, tap, text, typeInto, useHarness, waitFor } from '../harness';

const h = useHarness({ as: 'admin' });
const bankPage = loadPage('packages/funds/pages/bank-account/index');
type Page = ReturnType<typeof renderPage>;
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
  expect(cell(page, 'Bank').note).toBe('工商银行');
  expect(cell(page, 'Account number').note).toBe('**** **** 0000');
  expect(cell(page, 'Account name').note).toMatch(/^S\*+$/);
  expect(cell(page, 'Type').note).toBe('Corporate account');
  expect(text(find(page, 'bank__hint'))).toBe('Changes left today: 5');
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
  expect(text(find(page, 'bank__change-state'))).toBe('In review');
  expect(cell(page, 'Account number').note).toBe('**** **** 0000');
  expect(text(find(page, 'bank__hint'))).toContain('current account stays in use');
  expect(exists(page, 'bank__refresh')).toBe(true);

  h.deps.clock.advance(6_000);
  await pollBankChanges(h.deps);
  await tap(find(page, 'bank__refresh'));
  await waitFor(() => text(find(page, 'bank__change-state')) === 'Approved');
  expect(cell(page, 'Account number').note).toBe('**** **** 5678');
  expect(cell(page, 'Bank').note).toBe('招商银行');
});

test("the form checks before sending, and shows the backend's reason on the right field", async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bankPage);
  await loaded(page);
  await tap(find(page, 'bank__edit'));
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors).toMatchObject({
    accountBank: 'Choose the bank',
    bankAddressCode: expect.any(String),
    accountName: expect.any(String),
    accountNumber: '8 to 30 digits',
  });
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(0);

  await fillForm(page, {
    bank: page.data.view!.banks.indexOf('其他银行'),
    code: '440300',
    name: 'Someone Else Ltd.',
    number: '6214830000005678',
  });
  expect(exists(page, 'bank__bank-name')).toBe(true);
  await tap(find(page, 'bank__submit'));
  expect(page.data.errors.bankName).toBe('Enter the full name of the bank branch');
  await typeInto(page, 'bank__bank-name', '深圳农村商业银行南山支行');
  await tap(find(page, 'bank__submit'));
  await waitFor(() => page.data.formError !== '');
  expect(page.data.formError).toBe("The account name must be the mini program's entity name");
  expect(text(find(page, 'bank__name'))).toContain('does not match the registered entity');
  expect(page.data.editing).toBe(true);
});

test('without a merchant account: the backend says so', async () => {
  const page = renderPage(bankPage);
  await waitFor(() => page.data.loadState === 'error');
  expect(text(find(page, 't-result__description'))).toContain('no merchant account bound yet');
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
  expect(modal.content).toContain('招商银行 **** **** 5678');
  expect(modal.content).toContain('once WeChat Pay approves');
  expect(modal.content).toContain('5 changes');
  expect(modal.content).not.toContain('6214830000005678');
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(0);
  expect(page.data.editing).toBe(true);

  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.editing);
  expect(h.callsTo('funds', 'changeBankAccount')).toHaveLength(1);
});
