// The status page through a real review by the sandbox: the steps, what to
// do in each state, rejection reasons that open their fields, the signing
// link, the bound account, cancelling, and the automatic check.
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { pollApplications } from '../../../cloudfunctions/core/onboarding/poll-applications';
import {
  cell,
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
  expect(text(find(page, 'status__state'))).toContain('申请状态');
  // The tag says the state in words, not the code.
  expect(text(find(page, 'status__tag'))).toBe('草稿，尚未提交');
  expect(text(page)).not.toContain('EDITING');
  expect(texts(page, 't-steps-item__title')).toEqual(['填写', '审核', '账户验证', '签约', '完成']);
  expect(text(find(page, 'status__draft'))).toContain('草稿已保存，填写完整后即可提交。');
  expect(text(find(page, 'status__continue'))).toBe('继续填写');
  expect(text(find(page, 'status__cancel'))).toBe('撤销申请');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '申请进度' }));
  await tap(find(page, 'status__continue'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/review/index']);
  expect(exists(page, 'status__refresh')).toBe(false);
});

test('under review, then approved by WeChat Pay: "Check now" shows the bound account', async () => {
  await submitted();
  const page = renderPage(status);
  await loaded(page);
  expect(page.data.view).toMatchObject({ stage: 1, state: 'AUDITING', underReview: true });
  expect(text(find(page, 'status__auditing'))).toBe('微信支付正在审核你的申请，本页会自动更新。');
  expect(text(find(page, 'status__refresh'))).toBe('立即查询');

  h.deps.clock.advance(6_000);
  await h.deps.sandbox.flush();
  await tap(find(page, 'status__refresh'));
  await waitFor(() => page.data.view.state === 'FINISHED');
  expect(page.data.view.stage).toBe(4);
  expect(text(find(page, 'status__tag'))).toBe('已完成并绑定');
  expect(cell(page, '商户号').note).toMatch(/^\d{2}\*+\d{2}$/);
  expect(cell(page, '商户名称').note).toBe('Shenzhen Demo Tea Co., Ltd.');
  expect(cell(page, '费率').note).toBe('0.6%');
  expect(text(find(page, 'status__funds'))).toBe('进入资金管理');
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
  // Our field's name; WeChat Pay's reason as it wrote it.
  expect(reasons[0]).toBe('营业执照 照片不清晰 去修改');
  expect(reasons[1]).toBe('结算账户：银行账号 账号与户名不符 去修改');
  expect(text(page)).toContain('微信支付要求修改以下内容');
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
  expect(text(find(page, 'status__pay-amount'))).toMatch(/^汇款金额 ¥0\.\d\d$/);
  expect(text(find(page, 'status__confirm'))).toContain('请验证结算账户');
  await tap(find(page, 'status__to'));
  expect(wx.setClipboardData).toHaveBeenCalledWith(expect.objectContaining({ data: '7222223333322332' }));
  await waitFor(() => (wx.showToast as unknown as jest.Mock).mock.calls.length > 0);
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '账号已复制' }));

  h.deps.sandbox.confirmApplyment((await stored()).applymentId!);
  await tap(find(page, 'status__refresh'));
  await waitFor(() => page.data.view.state === 'TO_BE_SIGNED');
  expect(page.data.view.stage).toBe(3);
  expect(text(find(page, 'status__sign-url'))).toMatch(/\/sandbox\/applyments\/\d+\/sign$/);
  expect(text(find(page, 'status__sign'))).toContain('请超级管理员在微信中打开以下链接，与微信支付签约。');
  await tap(find(page, 'status__copy-sign'));
  expect(wx.setClipboardData).toHaveBeenLastCalledWith(expect.objectContaining({ data: page.data.view.signUrl }));
  await waitFor(() =>
    (wx.showToast as unknown as jest.Mock).mock.calls.some(([o]) => o.title === '链接已复制，请在微信中打开并签约'),
  );
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
  expect(wx.showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: '撤销申请？', confirmText: '撤销', cancelText: '取消' }),
  );
  expect(h.callsTo('merchant', 'cancelApplication')).toHaveLength(0);
  await tap(find(page, 'status__cancel'));
  await waitFor(() => h.navigations().length === 1);
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
  expect((await stored()).state).toBe('CANCELED');
  expect(wx.showToast).toHaveBeenLastCalledWith(expect.objectContaining({ title: '申请已撤销' }));
});

test('no application: the empty state offers to apply; a failed load: error with retry', async () => {
  const page = renderPage(status);
  await waitFor(() => page.data.loadState === 'empty');
  expect(text(page)).toContain('你还没有申请商户号');
  expect(text(find(page, 'status__start'))).toBe('申请商户号');
  await tap(find(page, 'status__start'));
  expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);

  await draft('INDIVIDUAL');
  h.failNext();
  const again = renderPage(status);
  await waitFor(() => again.data.loadState === 'error');
  await tap(find(again, 't-button', 'load-state__error'));
  await loaded(again);
});

test('in English: a draft, every word in English', async () => {
  speak('en-US');
  await draft('INDIVIDUAL');
  const page = renderPage(status);
  await loaded(page);
  expect(text(find(page, 'status__tag'))).toBe('Draft, not submitted yet');
  expect(texts(page, 't-steps-item__title')).toEqual(['Draft', 'Review', 'Verify', 'Sign', 'Bound']);
  expect(text(find(page, 'status__continue'))).toBe('Continue the application');
  (wx.showModal as unknown as jest.Mock).mockImplementationOnce((o: { success: (r: unknown) => void }) =>
    setTimeout(() => o.success({ confirm: false, cancel: true }), 0),
  );
  await tap(find(page, 'status__cancel'));
  expect(wx.showModal).toHaveBeenCalledWith(
    expect.objectContaining({ title: 'Cancel the application?', confirmText: 'Withdraw', cancelText: 'Cancel' }),
  );
  expect(text(page)).not.toMatch(/[\u4e00-\u9fff]/);
});
