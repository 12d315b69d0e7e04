// @ts-check
// The funds pages in their states: the dashboard, transactions, the bank
// account and its change, each step of a withdrawal, reconciliation, the
// Merchant Platform and help pages (see support/scenes.js); and "large":
// millions of yuan, a long bank branch name and long ids, which must still
// fit a 375 px screen.
const fs = require('node:fs');
const path = require('node:path');
const { DEMO_APPID } = require('../../cloudfunctions/core/config');
const { withdrawalEntry } = require('../../cloudfunctions/core/domain/ledger');
const { post } = require('../../cloudfunctions/core/ledger/book');
const { IDENTITY_CODES_FILE } = require('../../cloudfunctions/core/funds/identity-check');
const { reconcile } = require('../../cloudfunctions/core/funds/reconciliation');
const { recordBankAccount } = require('../../cloudfunctions/core/funds/record-account');
const { settleDueOrders } = require('../../cloudfunctions/core/funds/settlement');
const { find, fire, loadPage, renderPage, tap, typeInto, useHarness, waitFor } = require('../miniprogram/harness');
const { availableMoney, bindSandboxMerchant, realPaidOrders } = require('../funds/real');
const { ENTITY, bindMerchant, paidOrder, refundOrder } = require('../funds/support');
const { scene, shoot, shootError, shootLoading } = require('./support/scenes');

const h = useHarness({ as: 'admin' });
const DASHBOARD = 'packages/funds/pages/dashboard/index';
const TRANSACTIONS = 'packages/funds/pages/transactions/index';
const TRANSACTION = 'packages/funds/pages/transaction/index';
const BANK = 'packages/funds/pages/bank-account/index';
const WITHDRAW = 'packages/funds/pages/withdraw/index';
const WITHDRAWALS = 'packages/funds/pages/withdrawals/index';
const RECONCILIATION = 'packages/funds/pages/reconciliation/index';
const PLATFORM = 'packages/funds/pages/merchant-platform/index';
const HELP = 'packages/funds/pages/help/index';
const dashboard = loadPage(DASHBOARD);
const transactions = loadPage(TRANSACTIONS);
const transaction = loadPage(TRANSACTION);
const bank = loadPage(BANK);
const withdraw = loadPage(WITHDRAW);
const withdrawals = loadPage(WITHDRAWALS);
const reconciliation = loadPage(RECONCILIATION);
const platform = loadPage(PLATFORM);
const help = loadPage(HELP);

/** @param {any} page */
const idle = (page) => waitFor(() => page.data.loadState === 'idle', 8000);
/** @param {any} page */
const settled = (page) => waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore, 8000);

/** Money moved: a payment settled, one pending, a refund, a withdrawal; the bank account on file. */
async function ledger() {
  await bindMerchant(h.deps);
  const a = await paidOrder(h.deps, 10000, '2026-01-04T02:00:00.000Z');
  await refundOrder(h.deps, a._id, 'R1', 3000, '2026-01-04T04:00:00.000Z');
  h.deps.clock.set('2026-01-05T02:00:00.000Z');
  await settleDueOrders(h.deps);
  await post(h.deps.store, withdrawalEntry(DEMO_APPID, 'wd1', 1000), new Date('2026-01-05T02:30:00.000Z'));
  await paidOrder(h.deps, 5000, '2026-01-05T03:00:00.000Z');
  await recordBankAccount(h.deps, DEMO_APPID, {
    accountType: 'CORPORATE',
    accountBank: '招商银行',
    bankAddressCode: '440300',
    accountName: ENTITY,
    accountNumber: '6214830000001234',
  });
  return a._id;
}

/** A long branch name (其他银行 names the branch by hand) and amounts in the millions. */
const LONG_BANK = '深圳农村商业银行股份有限公司南山科技园支行';
async function largeLedger() {
  await bindMerchant(h.deps);
  const a = await paidOrder(h.deps, 987654321, '2026-01-04T02:00:00.000Z');
  h.deps.clock.set('2026-01-05T02:00:00.000Z');
  await settleDueOrders(h.deps);
  await post(h.deps.store, withdrawalEntry(DEMO_APPID, 'wd_large', 123456789), new Date('2026-01-05T02:30:00.000Z'));
  await paidOrder(h.deps, 555555555, '2026-01-05T03:00:00.000Z');
  await recordBankAccount(h.deps, DEMO_APPID, {
    accountType: 'CORPORATE',
    accountBank: '其他银行',
    bankName: LONG_BANK,
    bankAddressCode: '440300',
    accountName: ENTITY,
    accountNumber: '62148300000012345678901234567890',
  });
  return a._id;
}

// ---- dashboard ----
scene(DASHBOARD, 'loading', async () => {
  await ledger();
  await shootLoading(h, dashboard);
});
scene(DASHBOARD, 'error', () => shootError(h, dashboard));
scene(DASHBOARD, 'content', async () => {
  await ledger();
  const page = renderPage(dashboard);
  await idle(page);
  await shoot(page, 'content');
});
scene(DASHBOARD, 'large', async () => {
  await largeLedger();
  const page = renderPage(dashboard);
  await idle(page);
  await shoot(page, 'large');
});
scene(DASHBOARD, 'no-merchant', async () => {
  const page = renderPage(dashboard);
  await idle(page);
  await shoot(page, 'no-merchant');
});

// ---- transactions ----
scene(TRANSACTIONS, 'loading', async () => {
  await ledger();
  await shootLoading(h, transactions);
});
scene(TRANSACTIONS, 'error', async () => {
  await bindMerchant(h.deps);
  await shootError(h, transactions);
});
scene(TRANSACTIONS, 'empty', async () => {
  await bindMerchant(h.deps);
  const page = renderPage(transactions);
  await settled(page);
  await shoot(page, 'empty');
});
scene(TRANSACTIONS, 'content', async () => {
  await ledger();
  const page = renderPage(transactions);
  await settled(page);
  await shoot(page, 'content');
});

scene(TRANSACTIONS, 'filtered', async () => {
  await largeLedger();
  const page = renderPage(transactions);
  await settled(page);
  await tap(find(page, 'transactions__filter--withdrawal'));
  await settled(page);
  await shoot(page, 'filtered');
});

// ---- transaction ----
scene(TRANSACTION, 'loading', async () => {
  const orderId = await ledger();
  await shootLoading(h, transaction, { id: encodeURIComponent(`payment:${orderId}`) });
});
scene(TRANSACTION, 'error', async () => {
  const orderId = await ledger();
  await shootError(h, transaction, { id: encodeURIComponent(`payment:${orderId}`) });
});
scene(TRANSACTION, 'content', async () => {
  const orderId = await ledger();
  const page = renderPage(transaction, { id: encodeURIComponent(`payment:${orderId}`) });
  await idle(page);
  await shoot(page, 'content');
});

scene(TRANSACTION, 'large', async () => {
  const orderId = await largeLedger();
  const page = renderPage(transaction, { id: encodeURIComponent(`payment:${orderId}`) });
  await idle(page);
  await shoot(page, 'large');
});

// ---- bank account ----
scene(BANK, 'loading', async () => {
  await bindSandboxMerchant(h.deps);
  await shootLoading(h, bank);
});
scene(BANK, 'error', async () => {
  await bindSandboxMerchant(h.deps);
  await shootError(h, bank);
});
scene(BANK, 'content', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bank);
  await idle(page);
  await shoot(page, 'content');
});
scene(BANK, 'edit', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bank);
  await idle(page);
  await tap(find(page, 'bank__edit'));
  await fire(find(page, 'bank__bank'), 'change', { value: page.data.view.banks.indexOf('招商银行') });
  await typeInto(page, 'bank__address', '440300');
  await typeInto(page, 'bank__name', ENTITY);
  // A number too short: the form says so under the field before anything is sent.
  await typeInto(page, 'bank__number', '6214 830');
  await tap(find(page, 'bank__submit'));
  await waitFor(() => !!page.data.errors.accountNumber);
  await shoot(page, 'edit');
});
scene(BANK, 'in-review', async () => {
  await bindSandboxMerchant(h.deps);
  const page = renderPage(bank);
  await idle(page);
  await tap(find(page, 'bank__edit'));
  await fire(find(page, 'bank__bank'), 'change', { value: page.data.view.banks.indexOf('招商银行') });
  await typeInto(page, 'bank__address', '440300');
  await typeInto(page, 'bank__name', ENTITY);
  await typeInto(page, 'bank__number', '6214 8300 0000 5678');
  await tap(find(page, 'bank__submit'));
  await waitFor(() => !page.data.editing, 8000);
  await shoot(page, 'in-review');
});

scene(BANK, 'large', async () => {
  await largeLedger();
  const page = renderPage(bank);
  await idle(page);
  await shoot(page, 'large');
});

// ---- withdraw: the amount (content), the identity check, the result ----
function deliveredCode() {
  const lines = fs.readFileSync(path.join(h.deps.dataDir, IDENTITY_CODES_FILE), 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]).code;
}
async function money() {
  await bindSandboxMerchant(h.deps);
  await availableMoney(h.deps, 2);
}
scene(WITHDRAW, 'loading', async () => {
  await money();
  await shootLoading(h, withdraw);
});
scene(WITHDRAW, 'error', async () => {
  await money();
  await shootError(h, withdraw);
});
scene(WITHDRAW, 'content', async () => {
  await money();
  const page = renderPage(withdraw);
  await idle(page);
  await typeInto(page, 'withdraw__amount', '150');
  await shoot(page, 'content');
});
/** @param {boolean} confirm */
async function withdrawing(confirm) {
  await money();
  const page = renderPage(withdraw);
  await idle(page);
  await typeInto(page, 'withdraw__amount', '150');
  await tap(find(page, 'withdraw__request'));
  await waitFor(() => page.data.step === 'confirm', 8000);
  if (confirm) {
    await typeInto(page, 'withdraw__code', deliveredCode());
    await tap(find(page, 'withdraw__confirm'));
    await waitFor(() => page.data.step === 'result', 8000);
  }
  return page;
}
scene(WITHDRAW, 'confirm', async () => shoot(await withdrawing(false), 'confirm'));
scene(WITHDRAW, 'result', async () => shoot(await withdrawing(true), 'result'));
scene(WITHDRAW, 'blocked', async () => {
  await withdrawing(true);
  const page = renderPage(withdraw);
  await idle(page);
  await shoot(page, 'blocked');
});

// ---- withdrawals ----
scene(WITHDRAWALS, 'loading', async () => {
  await money();
  await shootLoading(h, withdrawals);
});
scene(WITHDRAWALS, 'error', async () => {
  await money();
  await shootError(h, withdrawals);
});
scene(WITHDRAWALS, 'empty', async () => {
  await money();
  const page = renderPage(withdrawals);
  await settled(page);
  await shoot(page, 'empty');
});
scene(WITHDRAWALS, 'content', async () => {
  const first = await withdrawing(true);
  first.detach();
  const page = renderPage(withdrawals);
  await settled(page);
  await shoot(page, 'content');
});

scene(WITHDRAWALS, 'large', async () => {
  await bindMerchant(h.deps);
  const rows = [
    { id: 'wd_1', amountFen: 123456789, state: 'SUCCESS', at: '2026-01-05T02:00:00.000Z' },
    { id: 'wd_2', amountFen: 98765432100, state: 'RETURNED', at: '2026-01-04T02:00:00.000Z' },
    { id: 'wd_3', amountFen: 500, state: 'CLOSED', at: '2026-01-03T02:00:00.000Z' },
  ];
  for (const { id, amountFen, state, at } of rows)
    await h.deps.store.insert('withdrawals', {
      _id: id,
      appid: DEMO_APPID,
      amountFen,
      state,
      requestedBy: h.identity.openid,
      challenge: {},
      createdAt: at,
      updatedAt: at,
      ...(state === 'CLOSED' ? {} : { bankName: LONG_BANK, bankAccount: '**** **** 7890' }),
    });
  const page = renderPage(withdrawals);
  await settled(page);
  await shoot(page, 'large');
});

// ---- reconciliation ----
scene(RECONCILIATION, 'loading', () => shootLoading(h, reconciliation));
scene(RECONCILIATION, 'error', () => shootError(h, reconciliation));
scene(RECONCILIATION, 'empty', async () => {
  const page = renderPage(reconciliation);
  await settled(page);
  await shoot(page, 'empty');
});
scene(RECONCILIATION, 'content', async () => {
  await bindSandboxMerchant(h.deps);
  await realPaidOrders(h.deps, 1);
  await paidOrder(h.deps, 1234, '2026-01-05T03:00:00.000Z', { subMchid: 'x' });
  h.deps.clock.set('2026-01-06T02:00:01.000Z');
  await reconcile(h.deps);
  const page = renderPage(reconciliation);
  await settled(page);
  await tap(find(page, 'reconciliation__day'));
  await waitFor(() => page.data.openDate !== '' && !page.data.opening, 8000);
  await shoot(page, 'content');
});

// ---- Merchant Platform and help: no loading ----
scene(PLATFORM, 'content', async () => {
  const page = renderPage(platform);
  await shoot(page, 'content');
});
scene(HELP, 'content', async () => {
  const page = renderPage(help);
  await tap(find(page, 'help__question--bind'));
  await shoot(page, 'content');
});
