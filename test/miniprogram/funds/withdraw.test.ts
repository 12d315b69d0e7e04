// The withdraw page and the withdrawal history, over the real funds function
// and the sandbox bank: amount (or all), identity check, result.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IDENTITY_CODES_FILE, soterCheck, useIdentityCheck } from '../../../cloudfunctions/core/funds/identity-check';
import { pollWithdrawals } from '../../../cloudfunctions/core/funds/withdrawals';
import { availableMoney, bindSandboxMerchant } from '../../funds/real';
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
  typeInto,
  useHarness,
  waitFor,
} from '../harness';

const h = useHarness({ as: 'admin' });
const withdrawPage = loadPage('packages/funds/pages/withdraw/index');
const historyPage = loadPage('packages/funds/pages/withdrawals/index');
type Page = ReturnType<typeof renderPage>;
const ready = (page: Page) => waitFor(() => page.data.loadState === 'idle');

function deliveredCode(): string {
  const lines = fs.readFileSync(path.join(h.deps.dataDir, IDENTITY_CODES_FILE), 'utf8').trim().split('\n');
  return (JSON.parse(lines[lines.length - 1]) as { code: string }).code;
}

afterEach(() => useIdentityCheck(null));

test('all of available, the identity code, then the result as the bank pays', async () => {
  await bindSandboxMerchant(h.deps);
  const available = await availableMoney(h.deps, 2);
  const page = renderPage(withdrawPage);
  await ready(page);
  expect(cell(page, '可用余额').note).toBe('¥196.82');
  expect(cell(page, '到账账户').note).toBe('工商银行 **** **** 0000');
  expect(text(find(page, 'withdraw__note'))).toBe('每天可提现一次（按北京时间计）。资金转出前需完成身份验证。');
  expect(text(find(page, 'withdraw__request'))).toBe('提现');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '提现' }));

  await tap(find(page, 'withdraw__all'));
  expect(page.data.amountText).toBe('196.82');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  // Nothing moved yet.
  expect(h.callsTo('funds', 'requestWithdrawal')[0].data).toEqual({ amountFen: available });
  expect(text(find(page, 'withdraw__confirm-title'))).toBe('身份验证');
  expect(text(find(page, 'withdraw__confirm-hint'))).toContain('6 位验证码（也记录在 .data/identity-codes.log）');
  // What is being confirmed, before the code goes in.
  expect(cell(page, '提现金额').note).toBe('¥196.82');
  expect(cell(page, '到账账户').note).toBe('工商银行 **** **** 0000');
  expect(text(find(page, 'withdraw__confirm'))).toBe('确认提现');

  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');
  expect(text(find(page, 'withdraw__result'))).toBe('处理中 ¥196.82 正在转入结算账户，通常几分钟内到账');
  expect(cell(page, '到账账户').note).toBe('工商银行 **** **** 0000');
  expect(cell(page, '时间').description).toBe('北京时间');

  h.deps.clock.advance(6_000);
  await pollWithdrawals(h.deps);
  await tap(find(page, 'withdraw__refresh'));
  await waitFor(() => text(find(page, 'withdraw__state')) === '已到账');
  expect(text(find(page, 'withdraw__message'))).toBe('已转入结算账户');
  expect(exists(page, 'withdraw__refresh')).toBe(false);
  await tap(find(page, 'withdraw__done'));
  expect(wx.reLaunch).toHaveBeenCalled();
});

test('a wrong code says how many tries are left; cancel goes back to the amount', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '10');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  const wrong = deliveredCode() === '111111' ? '222222' : '111111';
  await typeInto(page, 'withdraw__code', wrong);
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.codeError !== '');
  expect(text(find(page, 'withdraw__code'))).toContain('身份验证未通过，还可尝试 2 次');
  await typeInto(page, 'withdraw__code', '12');
  await tap(find(page, 'withdraw__confirm'));
  expect(text(find(page, 'withdraw__code'))).toContain('请输入 6 位验证码');

  await tap(find(page, 'withdraw__cancel'));
  await waitFor(() => page.data.step === 'form' && page.data.loadState === 'idle');
  expect(h.callsTo('funds', 'cancelWithdrawal')).toHaveLength(1);
});

test('the last wrong code ends the withdrawal: back to the amount, saying no attempts are left', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '10');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  const wrong = deliveredCode() === '111111' ? '222222' : '111111';
  for (const left of [2, 1]) {
    await typeInto(page, 'withdraw__code', wrong);
    await tap(find(page, 'withdraw__confirm'));
    await waitFor(() => page.data.codeError !== '');
    expect(page.data.codeError).toBe(`身份验证未通过，还可尝试 ${left} 次`);
  }
  await typeInto(page, 'withdraw__code', wrong);
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'form' && page.data.loadState === 'idle' && page.data.formError !== '');
  expect(text(find(page, 'withdraw__error'))).toBe('身份验证未通过，且已无剩余次数，请重新发起提现');
  // Nothing moved, so the day is still free.
  expect(exists(page, 'withdraw__blocked')).toBe(false);
  expect(exists(page, 'withdraw__request')).toBe(true);
});

test('checks the amount before asking, and shows the one-a-day rule', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '1.234');
  await tap(find(page, 'withdraw__request'));
  expect(text(find(page, 'withdraw__amount'))).toContain('请输入正确的金额，如 12.30');
  await typeInto(page, 'withdraw__amount', '1000');
  await tap(find(page, 'withdraw__request'));
  expect(text(find(page, 'withdraw__amount'))).toContain('最多可提现 ¥98.41');
  expect(h.callsTo('funds', 'requestWithdrawal')).toHaveLength(0);

  await typeInto(page, 'withdraw__amount', '1');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');

  const again = renderPage(withdrawPage);
  await ready(again);
  expect(text(find(again, 'withdraw__blocked'))).toBe('今日已提现，每天只能提现一次');
  expect(exists(again, 'withdraw__request')).toBe(false);
});

test('SOTER on a phone: the fingerprint result goes to the server, no code to type', async () => {
  const device = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  useIdentityCheck(
    soterCheck(async (_openid, json, signature) =>
      crypto.verify('sha256', Buffer.from(json), device.publicKey, Buffer.from(signature, 'base64')),
    ),
  );
  (wx.checkIsSupportSoterAuthentication as jest.Mock).mockImplementation((o: { success(r: unknown): void }) =>
    setTimeout(() => o.success({ supportMode: ['fingerPrint'] }), 0),
  );
  (wx.startSoterAuthentication as jest.Mock).mockImplementation(
    (o: { challenge: string; requestAuthModes: string[]; success(r: unknown): void }) => {
      const resultJSON = JSON.stringify({ raw: o.challenge, fid: '0', counter: 1 });
      setTimeout(
        () =>
          o.success({
            resultJSON,
            resultJSONSignature: crypto.sign('sha256', Buffer.from(resultJSON), device.privateKey).toString('base64'),
            authMode: o.requestAuthModes[0],
          }),
        0,
      );
    },
  );
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '5');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'result');
  expect((wx.startSoterAuthentication as jest.Mock).mock.calls[0][0]).toMatchObject({
    requestAuthModes: ['fingerPrint'],
    authContent: '提现 ¥5.00',
  });
  expect(text(find(page, 'withdraw__state'))).toBe('处理中');
});

test('the history lists withdrawals newest first; one opens its result', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const empty = renderPage(historyPage);
  await waitFor(() => empty.data.loadState === 'empty');
  expect(text(find(empty, 't-empty'))).toBe('暂无提现记录');

  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '20');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  await tap(find(page, 'withdraw__cancel'));
  await waitFor(() => page.data.step === 'form' && page.data.loadState === 'idle');
  await typeInto(page, 'withdraw__amount', '30');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');

  showPage(empty);
  await waitFor(() => empty.data.loadState === 'noMore');
  // The amount, when and where it went (a cancelled one never had an account), and its state said once.
  expect(cells(empty).map((c) => `${c.title} | ${c.description} | ${c.note}`)).toEqual([
    '¥30.00 | 2026-01-06 10:00 · 工商银行 **** **** 0000 | 处理中',
    '¥20.00 | 2026-01-06 10:00 | 已关闭',
  ]);
  expect(text(find(empty, 'withdrawals__zone'))).toBe('时间均为北京时间');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: '提现记录' }));
  await tap(findAll(empty, 'withdrawals__row')[0]);
  const id = empty.data.rows[0].id;
  expect(h.navigations().pop()).toBe(`/packages/funds/pages/withdraw/index?id=${id}`);

  const result = renderPage(withdrawPage, { id });
  await ready(result);
  expect(result.data.step).toBe('result');
  expect(text(find(result, 'withdraw__result-amount'))).toBe('¥30.00');
});

test('SOTER: while the automatic confirm is on its way, Confirm and Cancel are off and taps do nothing', async () => {
  const device = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  useIdentityCheck(
    soterCheck(async (_openid, json, signature) =>
      crypto.verify('sha256', Buffer.from(json), device.publicKey, Buffer.from(signature, 'base64')),
    ),
  );
  (wx.checkIsSupportSoterAuthentication as jest.Mock).mockImplementation((o: { success(r: unknown): void }) =>
    setTimeout(() => o.success({ supportMode: ['fingerPrint'] }), 0),
  );
  let release: (() => void) | null = null;
  (wx.startSoterAuthentication as jest.Mock).mockImplementation(
    (o: { challenge: string; requestAuthModes: string[]; success(r: unknown): void }) => {
      const resultJSON = JSON.stringify({ raw: o.challenge, fid: '0', counter: 1 });
      release = h.hold(); // the confirm that follows stays in flight
      setTimeout(
        () =>
          o.success({
            resultJSON,
            resultJSONSignature: crypto.sign('sha256', Buffer.from(resultJSON), device.privateKey).toString('base64'),
            authMode: o.requestAuthModes[0],
          }),
        0,
      );
    },
  );
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '5');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => h.calls.some((c) => c.action === 'confirmWithdrawal'));
  expect(page.data.step).toBe('confirm');
  expect(page.data.confirming).toBe(true);
  expect(page.data.requesting).toBe(false);
  expect(find(page, 'withdraw__confirm').getAttribute('class')).toContain('t-button--disabled');
  expect(find(page, 'withdraw__cancel').getAttribute('class')).toContain('t-button--disabled');
  await tap(find(page, 'withdraw__confirm'));
  await tap(find(page, 'withdraw__cancel'));
  release!();
  await waitFor(() => page.data.step === 'result' && !page.data.confirming);
  expect(h.callsTo('funds', 'confirmWithdrawal')).toHaveLength(1);
  expect(h.callsTo('funds', 'cancelWithdrawal')).toHaveLength(0);
  expect((wx.startSoterAuthentication as jest.Mock).mock.calls).toHaveLength(1);
});

test('Cancel twice cancels once', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '10');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  const release = h.hold();
  await tap(find(page, 'withdraw__cancel'));
  await tap(find(page, 'withdraw__cancel'));
  release();
  await waitFor(() => page.data.step === 'form' && page.data.loadState === 'idle' && !page.data.cancelling);
  expect(h.callsTo('funds', 'cancelWithdrawal')).toHaveLength(1);
});

test('a result that failed to load: Retry loads that result again, not the form', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '10');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  const id = page.data.withdrawalId;

  h.failNext();
  const result = renderPage(withdrawPage, { id });
  await waitFor(() => result.data.loadState === 'error');
  await tap(find(result, 't-button', 'load-state__error'));
  await ready(result);
  expect(result.data.step).toBe('result');
  expect(h.callsTo('funds', 'getWithdrawal').map((c) => c.data)).toEqual([{ id }, { id }]);
  expect(text(find(result, 'withdraw__result-amount'))).toBe('¥10.00');
});

test('SOTER unavailable on the phone: the mapped message, nothing confirmed', async () => {
  const device = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  useIdentityCheck(
    soterCheck(async (_openid, json, signature) =>
      crypto.verify('sha256', Buffer.from(json), device.publicKey, Buffer.from(signature, 'base64')),
    ),
  );
  (wx.checkIsSupportSoterAuthentication as jest.Mock).mockImplementation((o: { success(r: unknown): void }) =>
    setTimeout(() => o.success({ supportMode: [] }), 0),
  );
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  await typeInto(page, 'withdraw__amount', '5');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm' && !page.data.confirming);
  expect(text(find(page, 'withdraw__confirm-hint'))).toBe('请使用指纹或面容完成身份验证');
  expect(text(find(page, 'withdraw__soter-error'))).toBe('提现需要在微信中开启指纹或面容解锁');
  expect(h.callsTo('funds', 'confirmWithdrawal')).toHaveLength(0);
});

test('in English: the amount, the identity check, the result and the history, no Chinese but bank data', async () => {
  speak('en-US');
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const page = renderPage(withdrawPage);
  await ready(page);
  const bankData = (s: string) => s.replace(/工商银行/g, '');
  expect(wx.setNavigationBarTitle).toHaveBeenCalledWith(expect.objectContaining({ title: 'Withdraw' }));
  expect(cell(page, 'Available').note).toBe('¥98.41');
  expect(bankData(text(page))).not.toMatch(/[\u4e00-\u9fff]/);
  await typeInto(page, 'withdraw__amount', '1000');
  await tap(find(page, 'withdraw__request'));
  expect(text(find(page, 'withdraw__amount'))).toContain('At most ¥98.41 is available');
  await typeInto(page, 'withdraw__amount', '10');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  expect(text(find(page, 'withdraw__confirm-title'))).toBe('Confirm it is you');
  const wrong = deliveredCode() === '111111' ? '222222' : '111111';
  await typeInto(page, 'withdraw__code', wrong);
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.codeError !== '');
  expect(page.data.codeError).toBe('Identity verification failed. 2 attempts left');
  expect(bankData(text(page))).not.toMatch(/[\u4e00-\u9fff]/);
  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');
  expect(text(find(page, 'withdraw__result'))).toBe(
    'Processing ¥10.00 On its way to your settlement account. This usually takes a few minutes.',
  );
  expect(bankData(text(page))).not.toMatch(/[\u4e00-\u9fff]/);

  const history = renderPage(historyPage);
  await waitFor(() => history.data.loadState === 'noMore');
  expect(cells(history).map((c) => `${c.title} ${c.note}`)).toEqual(['¥10.00 Processing']);
  expect(bankData(text(history))).not.toMatch(/[\u4e00-\u9fff]/);
});
