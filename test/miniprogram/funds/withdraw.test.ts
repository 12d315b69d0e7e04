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
  expect(cell(page, 'Available').note).toBe('¥196.82');
  expect(cell(page, 'To').note).toBe('工商银行 **** **** 0000');

  await tap(find(page, 'withdraw__all'));
  expect(page.data.amountText).toBe('196.82');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  // Nothing moved yet.
  expect(h.callsTo('funds', 'requestWithdrawal')[0].data).toEqual({ amountFen: available });
  expect(text(page)).toContain('identity-codes.log');
  // What is being confirmed, before the code goes in.
  expect(text(find(page, 'withdraw__confirm-amount'))).toContain('¥196.82');
  expect(cell(page, 'To').note).toBe('工商银行 **** **** 0000');

  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');
  expect(text(find(page, 'withdraw__state'))).toBe('Processing');
  expect(text(find(page, 'withdraw__result-amount'))).toBe('¥196.82');
  expect(cell(page, 'To').note).toBe('工商银行 **** **** 0000');

  h.deps.clock.advance(6_000);
  await pollWithdrawals(h.deps);
  await tap(find(page, 'withdraw__refresh'));
  await waitFor(() => text(find(page, 'withdraw__state')) === 'Paid to bank');
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
  expect(page.data.codeError).toBe('The identity check failed. Try again. (2 left)');
  await typeInto(page, 'withdraw__code', '12');
  await tap(find(page, 'withdraw__confirm'));
  expect(page.data.codeError).toBe('Enter the six-digit code');

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
    expect(page.data.codeError).toBe(`The identity check failed. Try again. (${left} left)`);
  }
  await typeInto(page, 'withdraw__code', wrong);
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'form' && page.data.loadState === 'idle' && page.data.formError !== '');
  expect(text(find(page, 'withdraw__error'))).toBe(
    'The identity check failed and no attempts are left. Start the withdrawal again.',
  );
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
  expect(page.data.amountError).toBe('Enter an amount in yuan, like 12.30');
  await typeInto(page, 'withdraw__amount', '1000');
  await tap(find(page, 'withdraw__request'));
  expect(page.data.amountError).toBe('At most ¥98.41 is available');
  expect(h.callsTo('funds', 'requestWithdrawal')).toHaveLength(0);

  await typeInto(page, 'withdraw__amount', '1');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm');
  await typeInto(page, 'withdraw__code', deliveredCode());
  await tap(find(page, 'withdraw__confirm'));
  await waitFor(() => page.data.step === 'result');

  const again = renderPage(withdrawPage);
  await ready(again);
  expect(text(find(again, 'withdraw__blocked'))).toBe("Today's withdrawal is used: one withdrawal a day.");
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
    authContent: 'Withdraw ¥5.00',
  });
  expect(text(find(page, 'withdraw__state'))).toBe('Processing');
});

test('the history lists withdrawals newest first; one opens its result', async () => {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 1);
  const empty = renderPage(historyPage);
  await waitFor(() => empty.data.loadState === 'empty');
  expect(text(find(empty, 't-empty'))).toContain('No withdrawals yet');

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
  expect(cells(empty).map((c) => c.note)).toEqual(['¥30.00 Processing', '¥20.00 Closed']);
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
