// Funds on the local stack (`npm start` as a child process, real clock, the
// sandbox at its own pace): a merchant bound through onboarding sees paid
// orders arrive as pending, become available, leave by a withdrawal the
// admin confirms with the identity code, changes the bank account through
// review, and exports the month; the ledger balances at every step.
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { feeFen } from '../../cloudfunctions/core/domain/fee';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { IDENTITY_CODES_FILE } from '../../cloudfunctions/core/funds/identity-check';
import type { ApiResult, MerchantStatus } from '../../typings/api';
import type { Order, Payment, PaymentConfirmation, Product } from '../../typings/checkout';
import type {
  BankAccountStatus,
  Balances,
  ExportFile,
  FundsOverview,
  TransactionPage,
  WithdrawalRequested,
  WithdrawalView,
} from '../../typings/funds';
import { jpeg, requiredSlots, validSteps } from '../onboarding/fixtures';
import { startStack, type Stack } from './stack';
import { uploadPhoto } from '../support/upload';

jest.setTimeout(120_000);

const SETUP_CODE = '97531';
const admin = { openid: 'o_e2e_funds_admin', appid: DEMO_APPID };
const buyer = { openid: 'o_e2e_funds_buyer', appid: DEMO_APPID };
let stack: Stack;
let dataDir: string | undefined;
let n = 0;
const key = () => `e2e-funds-${Date.now().toString(36)}-${++n}`;

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

const funds = <T>(action: string, body: unknown = {}, idempotencyKey?: string) =>
  data<T>(stack.call<T>('funds', action, body, admin, idempotencyKey));

/** Polls until `read` satisfies `done` (the stack's jobs and the sandbox run on real timers). */
async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}\n${stack.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The stack's own SQLite file, read beside it: the ledger must balance. */
async function ledgerBalances(): Promise<void> {
  const store = new SqliteStore({ file: path.join(dataDir!, 'pms.sqlite') });
  try {
    const check = await verifyLedger(store, DEMO_APPID);
    expect(check).toMatchObject({ ok: true, unbalancedEntries: [], differences: [] });
  } finally {
    await store.close();
  }
}

function deliveredCode(withdrawalId: string): string {
  const lines = fs
    .readFileSync(path.join(dataDir!, IDENTITY_CODES_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { withdrawalId: string; code: string });
  return lines.filter((l) => l.withdrawalId === withdrawalId).pop()!.code;
}

const start = async (env: Record<string, string> = {}) => {
  // A restart keeps the first run's data folder (startStack's own fresh one goes unused).
  // Jobs 50x and the sandbox 100x faster: reviews and the bank take ~50 ms instead of 5 s.
  stack = await startStack({
    PMS_SETUP_CODE: SETUP_CODE,
    JOB_TIME_SCALE: '50',
    SANDBOX_TIME_SCALE: '0.01',
    ...(dataDir ? { PMS_DATA_DIR: dataDir } : {}),
    ...env,
  });
  dataDir ??= stack.dataDir;
};

beforeAll(() => start());
afterAll(() => stack?.stop());

test('pending, available, withdrawn, bank account changed, month exported; balanced throughout', async () => {
  // ---- the merchant admin claims the role and is bound through onboarding --------------
  await data(stack.call('merchant', 'claimAdmin', { code: SETUP_CODE }, admin));
  const steps = validSteps('ENTERPRISE');
  await data(stack.call('merchant', 'chooseType', { merchantType: 'ENTERPRISE' }, admin, key()));
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const) {
    await data(stack.call('merchant', 'saveStep', { step, data: steps[step] }, admin));
  }
  for (const slot of requiredSlots('ENTERPRISE')) {
    await data(uploadPhoto(stack, admin, slot, jpeg(slot)));
  }
  await data(stack.call('merchant', 'submitApplication', {}, admin, key()));
  const status = await eventually(
    () => data<MerchantStatus>(stack.call('merchant', 'getStatus', {}, admin)),
    (s) => s.merchant !== null,
    'the merchant account to be bound',
  );
  const rate = status.merchant!.feeRatePpm;

  let overview = await funds<FundsOverview>('getOverview');
  expect(overview).toMatchObject({
    merchantBound: true,
    balances: { pendingFen: 0, availableFen: 0, withdrawingFen: 0 },
  });
  // The application's account is the one in force.
  expect(overview.bankAccount).toMatchObject({
    accountBank: '其他银行',
    accountNumber: '**** **** 3456',
    reviewing: false,
  });
  await ledgerBalances();

  // ---- a buyer pays three orders: the money arrives as pending -------------------------
  const products = await data<{ items: Product[] }>(stack.call('checkout', 'listProducts', {}, buyer));
  const oolong = products.items.find((p) => /Oolong/.test(p.name))!;
  for (let i = 0; i < 3; i++) {
    const order = await data<Order>(
      stack.call('checkout', 'createOrder', { items: [{ productId: oolong.id, quantity: 1 }] }, buyer, key()),
    );
    const payment = await data<Payment>(stack.call('checkout', 'pay', { orderId: order.id }, buyer));
    const paid = await stack.sandbox('POST', '/sandbox/pay', {
      appid: DEMO_APPID,
      ...payment.params,
      result: 'SUCCESS',
    });
    expect(paid.status).toBe(200);
    await eventually(
      () => data<PaymentConfirmation>(stack.call('checkout', 'confirmPayment', { orderId: order.id }, buyer)),
      (c) => c.state === 'PAID',
      'the payment',
    );
  }
  const netFen = 3 * (oolong.priceFen - feeFen(oolong.priceFen, rate));
  expect(await funds<Balances>('getBalances')).toEqual({ pendingFen: netFen, availableFen: 0, withdrawingFen: 0 });
  await ledgerBalances();

  // ---- T+1 has passed (restarted with a zero-day period): pending becomes available ------
  await stack.stop();
  await start({ PMS_SETTLEMENT_DAYS: '0' });
  await eventually(
    () => funds<Balances>('getBalances'),
    (b) => b.availableFen === netFen,
    'settlement',
  );
  expect(await funds<Balances>('getBalances')).toEqual({ pendingFen: 0, availableFen: netFen, withdrawingFen: 0 });
  await ledgerBalances();

  // ---- the bank account is changed through WeChat Pay's review --------------------------
  const submitted = await funds<BankAccountStatus>(
    'changeBankAccount',
    {
      accountType: 'CORPORATE',
      accountBank: '招商银行',
      bankAddressCode: '440300',
      accountName: steps.subject.name,
      accountNumber: '6214830000009876',
    },
    key(),
  );
  expect(submitted.latestChange?.state).toBe('AUDITING');
  expect(submitted.current?.accountNumber).toBe('**** **** 3456');
  const approved = await eventually(
    () => funds<BankAccountStatus>('getBankAccount'),
    (s) => s.latestChange?.state === 'APPROVED',
    'the bank change review',
  );
  expect(approved.current).toMatchObject({ accountBank: '招商银行', accountNumber: '**** **** 9876' });

  // ---- the whole available balance leaves by a confirmed withdrawal ----------------------
  const requested = await funds<WithdrawalRequested>('requestWithdrawal', { amountFen: netFen }, key());
  expect(requested.challenge.method).toBe('code');
  expect(await funds<Balances>('getBalances')).toEqual({ pendingFen: 0, availableFen: netFen, withdrawingFen: 0 });
  const confirmed = await funds<WithdrawalView>(
    'confirmWithdrawal',
    { withdrawalId: requested.withdrawal.id, proof: { code: deliveredCode(requested.withdrawal.id) } },
    key(),
  );
  expect(confirmed).toMatchObject({ state: 'CREATED', bankAccount: '**** **** 9876' });
  expect(await funds<Balances>('getBalances')).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: netFen });
  await ledgerBalances();
  await eventually(
    () => funds<WithdrawalView>('getWithdrawal', { id: confirmed.id }),
    (w) => w.state === 'SUCCESS',
    'the sandbox bank',
  );
  expect(await funds<Balances>('getBalances')).toEqual({ pendingFen: 0, availableFen: 0, withdrawingFen: 0 });
  const again = await stack.call('funds', 'requestWithdrawal', { amountFen: 1 }, admin, key());
  expect(again).toMatchObject({ ok: false, error: { code: 'FUNDS.INSUFFICIENT_BALANCE' } });
  await ledgerBalances();

  // ---- what the merchant sees, and the month's export --------------------------------------
  const page = await funds<TransactionPage>('listTransactions', { limit: 50 });
  expect(page.items.map((r) => r.type)).toEqual([
    'withdrawal_paid',
    'withdrawal',
    'settlement',
    'settlement',
    'settlement',
    'payment',
    'fee',
    'payment',
    'fee',
    'payment',
    'fee',
  ]);
  overview = await funds<FundsOverview>('getOverview');
  expect(overview).toMatchObject({ withdrawnToday: true, bankAccount: { accountNumber: '**** **** 9876' } });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const file = await funds<ExportFile>('exportTransactions', { from: `${today.slice(0, 8)}01`, to: today });
  expect(file.rows).toBe(11);
  expect(file.content.startsWith('\uFEFF时间（北京时间）,类型,金额（元）')).toBe(true);
  expect(file.content).toContain(`,提现,-${Math.floor(netFen / 100)}.${String(netFen % 100).padStart(2, '0')},`);
  expect(JSON.stringify([overview, file, page])).not.toMatch(/6214830000009876|4000023009200123456/);
});
