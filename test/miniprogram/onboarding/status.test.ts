// The status page through a real review by the sandbox: the steps, what to
// do in each state, rejection reasons that open their fields, the signing
// link, the bound account, cancelling, and the automatic check.
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { pollApplications } from '../../../cloudfunctions/core/onboarding/poll-applications';
import { cell, exists, find, findAll, loadPage, renderPage, tap, text, useHarness, waitFor } from '../harness';
import { ok } from '../../support/deps';
import { draft, key, merchant } from '../../onboarding/support';

const h = useHarness({ as: 'admin' });
const status = loadPage('packages/onboarding/pages/status/index');
const loaded = (page: ReturnType<typeof renderPage>) => waitFor(() => page.data.loadState === 'idle' && page.data.view);
const stored = async () => (await h.deps.store.find<ApplicationDoc>('applications', { limit: 1 })).items[0];

async function submitted(type: Parameters<typeof draft>[0] = 'ENTERPRISE'): Promise<ApplicationDoc> {
  await draft(type);
  await ok(merchant('submitApplication', {}, undefined, key()));
  return stored();
}

test('a draft: step one, and the way back to it', async () => {
  await draft('INDIVIDUAL');
  const page = renderPage(status);
  expect(exists(page, 't-loading')).toBe(true);
  await loaded(page);
  expect(page.data.view).toMatchObject({ stage: 0, state: 'EDITING' });
  expect(text(find(page, 'status__state'))).toContain('Draft, not submitted yet');
  // The tag says the state in words, not the code.
  expect(text(find(page, 'status__tag'))).toBe('Draft, not submitted yet');
  expect(text(page)).not.toContain('EDITING');
  await tap(find(page, 'status__continue'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/review/index']);
  expect(exists(page, 'status__refresh')).toBe(false);
});

test('under review, then approved by WeChat Pay: "Check now" shows the bound account', async () => {
  await submitted();
  const page = renderPage(status);
  await loaded(page);
  expect(page.data.view).toMatchObject({ stage: 1, state: 'AUDITING', underReview: true });
  expect(text(find(page, 'status__auditing'))).toContain('reviewing');

  h.deps.clock.advance(6_000);
  await h.deps.sandbox.flush();
  await tap(find(page, 'status__refresh'));
  await waitFor(() => page.data.view.state === 'FINISHED');
  expect(page.data.view.stage).toBe(4);
  expect(cell(page, 'Merchant ID').note).toMatch(/^\d{2}\*+\d{2}$/);
  expect(cell(page, 'Name').note).toBe('Shenzhen Demo Tea Co., Ltd.');
  expect(cell(page, 'Fee rate').note).toBe('0.6%');
  expect(exists(page, 'status__refresh')).toBe(false);
  await tap(find(page, 'status__funds'));
  expect(h.navigations()).toEqual(['/packages/funds/pages/dashboard/index']);
});

test('rejected: each reason opens the field to fix; resubmission starts from the review', async () => {
  const app = await submitted('INDIVIDUAL');
  h.deps.sandbox.forceApplyment(app._id, {
    outcome: 'reject',
    audit_detail: [
      {
        field: 'subject_info.business_license_info.license_copy',
        field_name: '营业执照照片',
        reject_reason: '照片不清晰',
      },
      { field: 'bank_account_info.account_number', field_name: '银行账号', reject_reason: '账号与户名不符' },
    ],
  });
  await pollApplications(h.deps);
  const page = renderPage(status);
  await loaded(page);
  expect(page.data.view).toMatchObject({ rejected: true, stage: 1, editable: true });
  const reasons = findAll(page, 'status__reason').map(text);
  expect(reasons[0]).toContain('Business licence');
  expect(reasons[0]).toContain('照片不清晰');
  expect(reasons[1]).toContain('Settlement account: Account number');
  await tap(findAll(page, 'status__reason')[1]);
  await tap(findAll(page, 'status__reason')[0]);
  await tap(find(page, 'status__resubmit'));
  expect(h.navigations()).toEqual([
    '/packages/onboarding/pages/form/index?step=bank&field=accountNumber',
    '/packages/onboarding/pages/documents/index?field=licence',
    '/packages/onboarding/pages/review/index',
  ]);
});

test('account verification shows what to transfer; signing shows the link to copy', async () => {
  const app = await submitted('GOVERNMENT');
  h.deps.sandbox.forceApplyment(app._id, { outcome: 'require-confirmation' });
  await pollApplications(h.deps);
  const page = renderPage(status);
  await loaded(page);
  expect(page.data.view.stage).toBe(2);
  expect(text(find(page, 'status__pay-amount'))).toMatch(/¥0\.\d\d/);
  await tap(find(page, 'status__to'));
  expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: '7222223333322332' }));

  h.deps.sandbox.confirmApplyment((await stored()).applymentId!);
  await tap(find(page, 'status__refresh'));
  await waitFor(() => page.data.view.state === 'TO_BE_SIGNED');
  expect(page.data.view.stage).toBe(3);
  expect(text(find(page, 'status__sign-url'))).toMatch(/\/sandbox\/applyments\/\d+\/sign$/);
  await tap(find(page, 'status__copy-sign'));
  expect(wx.setClipboardData).toHaveBeenLastCalledWith(expect.objectContaining({ data: page.data.view.signUrl }));
});

test('while WeChat Pay works, the page checks by itself; it stops when the page goes', async () => {
  const spy = jest.spyOn(globalThis, 'setInterval');
  await submitted();
  const page = renderPage(status);
  await loaded(page);
  const call = spy.mock.calls.find(([, ms]) => ms === 15_000);
  expect(call).toBeDefined();
  const tick = call![0] as () => void;
  tick();
  await waitFor(() => h.callsTo('merchant', 'refreshApplication').length === 1);
  const clear = jest.spyOn(globalThis, 'clearInterval');
  page.detach();
  expect(clear).toHaveBeenCalled();
  spy.mockRestore();
  clear.mockRestore();
});

test('cancel asks first, then ends the draft and returns to the intro', async () => {
  await draft('INDIVIDUAL');
  const page = renderPage(status);
  await loaded(page);
  (wx.showModal as unknown as jest.Mock).mockImplementationOnce((o: { success: (r: unknown) => void }) =>
    setTimeout(() => o.success({ confirm: false, cancel: true }), 0),
  );
  await tap(find(page, 'status__cancel'));
  expect(h.callsTo('merchant', 'cancelApplication')).toHaveLength(0);
  await tap(find(page, 'status__cancel'));
  await waitFor(() => h.navigations().length === 1);
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
  expect((await stored()).state).toBe('CANCELED');
});

test('no application: the empty state offers to apply; a failed load: error with retry', async () => {
  const page = renderPage(status);
  await waitFor(() => page.data.loadState === 'empty');
  expect(text(page)).toContain('You have no merchant account application');
  await tap(find(page, 'status__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);

  await draft('INDIVIDUAL');
  h.failNext();
  const again = renderPage(status);
  await waitFor(() => again.data.loadState === 'error');
  await tap(find(again, 't-button', 'load-state__error'));
  await loaded(again);
});
