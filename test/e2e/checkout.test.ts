// Checkout on the local stack (`npm start` as a child process, real clock,
// the sandbox sped up): a bound merchant, a buyer's order, the sandbox buyer
// paying it, WeChat Pay's signed notification reaching payNotify through the
// gateway's HTTP trigger, the order paid, a partial and a full refund
// completed by their notifications; the ledger balanced after every step.
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { feeFen } from '../../cloudfunctions/core/domain/fee';
import { merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { ApiResult, MerchantStatus } from '../../typings/api';
import type { Order, OrderDetail, Payment, Product, Quote, Refund } from '../../typings/checkout';
import { jpeg, requiredSlots, validSteps } from '../onboarding/fixtures';
import { startStack, type Stack } from './stack';
import { uploadPhoto } from '../support/upload';

jest.setTimeout(120_000);

const SETUP_CODE = '86420';
const admin = { openid: 'o_e2e_checkout_admin', appid: DEMO_APPID };
const buyer = { openid: 'o_e2e_checkout_buyer', appid: DEMO_APPID };
let stack: Stack;
let n = 0;
const key = () => `e2e-checkout-${Date.now().toString(36)}-${++n}`;

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

const checkout = <T>(who: typeof buyer, action: string, body: unknown = {}, idempotencyKey?: string) =>
  data<T>(stack.call<T>('checkout', action, body, who, idempotencyKey));

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
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The stack's own SQLite file, read beside it. */
async function withStore<T>(read: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore({ file: path.join(stack.dataDir, 'pms.sqlite') });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

async function ledgerBalanced(): Promise<void> {
  const check = await withStore((store) => verifyLedger(store, DEMO_APPID));
  expect(check).toMatchObject({ ok: true, unbalancedEntries: [], differences: [] });
}

interface Delivery {
  event_type: string;
  ref: string;
  state: string;
  notify_url: string;
  attempts: Array<{ status?: number }>;
}

/** The sandbox's notification deliveries of one kind ("order:" or "refund:" references), oldest first. */
const deliveries = async (kind: 'order:' | 'refund:') =>
  (await stack.sandbox<{ data: Delivery[] }>('GET', '/sandbox/notifications')).body.data
    .filter((d) => d.ref.startsWith(kind))
    .reverse();

beforeAll(async () => {
  // The sandbox 100x faster (refunds settle in 30 ms); the jobs' own pace is left alone.
  stack = await startStack({ PMS_SETUP_CODE: SETUP_CODE, SANDBOX_TIME_SCALE: '0.01' });
});
afterAll(() => stack?.stop());

test('buy, pay in the sandbox, paid by the signed notification, refund in two parts; balanced throughout', async () => {
  // ---- the merchant admin claims the role and gets an account bound through onboarding ----
  await data(stack.call('merchant', 'claimAdmin', { code: SETUP_CODE }, admin));
  const steps = validSteps('ENTERPRISE');
  await data(stack.call('merchant', 'chooseType', { merchantType: 'ENTERPRISE' }, admin, key()));
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const)
    await data(stack.call('merchant', 'saveStep', { step, data: steps[step] }, admin));
  for (const slot of requiredSlots('ENTERPRISE')) await data(uploadPhoto(stack, admin, slot, jpeg(slot)));
  await data(stack.call('merchant', 'submitApplication', {}, admin, key()));
  const status = await eventually(
    () => data<MerchantStatus>(stack.call('merchant', 'getStatus', {}, admin)),
    (s) => s.merchant !== null,
    'the merchant account to be bound',
  );
  const rate = status.merchant!.feeRatePpm;
  await ledgerBalanced();

  // ---- the buyer orders from the seeded catalogue; the server prices it -----------------
  const products = await checkout<{ items: Product[] }>(buyer, 'listProducts');
  const oolong = products.items.find((p) => /Oolong/.test(p.name))!;
  const cart = { items: [{ productId: oolong.id, quantity: 3 }] };
  const quote = await checkout<Quote>(buyer, 'quoteOrder', cart);
  expect(quote.totalFen).toBe(3 * oolong.priceFen);
  const k = key();
  const order = await checkout<Order>(buyer, 'createOrder', cart, k);
  expect(await checkout<Order>(buyer, 'createOrder', cart, k)).toEqual(order);
  expect(order).toMatchObject({ state: 'CREATED', totalFen: quote.totalFen });

  // ---- the sandbox buyer pays with the client parameters the app got -------------------
  const payment = await checkout<Payment>(buyer, 'pay', { orderId: order.id });
  expect(payment.sandbox?.payUrl).toBe(`${stack.sandboxUrl}/sandbox/pay`);
  const paid = await stack.sandbox<{ trade_state: string }>('POST', '/sandbox/pay', {
    appid: DEMO_APPID,
    ...payment.params,
    result: 'SUCCESS',
  });
  expect(paid).toMatchObject({ status: 200, body: { trade_state: 'SUCCESS' } });

  // ---- WeChat Pay's signed notification, through the HTTP trigger, marks it paid ---------
  const [delivered] = await eventually(
    () => deliveries('order:'),
    (d) => d.some((x) => x.state === 'delivered'),
    'the payment notification',
  );
  expect(delivered).toMatchObject({
    event_type: 'TRANSACTION.SUCCESS',
    notify_url: `${stack.gatewayUrl}/http/payNotify`,
  });
  expect(delivered.attempts.map((a) => a.status)).toEqual([204]);
  // Read, not confirmed: getOrder does not ask WeChat Pay, so PAID here came from the notification.
  const paidOrder = await checkout<OrderDetail>(buyer, 'getOrder', { orderId: order.id });
  expect(paidOrder).toMatchObject({ state: 'PAID', payable: false });
  const fee = feeFen(order.totalFen, rate);
  expect(await withStore((s) => merchantBalances(s, DEMO_APPID))).toEqual({
    pendingFen: order.totalFen - fee,
    availableFen: 0,
    withdrawingFen: 0,
  });
  await ledgerBalanced();

  // ---- the merchant sees it paid and refunds one item, then the rest -------------------
  const asAdmin = await checkout<OrderDetail>(admin, 'getOrder', { orderId: order.id });
  expect(asAdmin.merchant).toMatchObject({ feeFen: fee, settlementState: 'PENDING', refundableFen: order.totalFen });
  const one = await checkout<Refund>(
    admin,
    'refund',
    { orderId: order.id, amountFen: oolong.priceFen, reason: 'one tin dented' },
    key(),
  );
  expect(['PROCESSING', 'SUCCESS']).toContain(one.state);
  await ledgerBalanced();
  const rest = await checkout<Refund>(
    admin,
    'refund',
    { orderId: order.id, amountFen: order.totalFen - oolong.priceFen },
    key(),
  );
  const over = await stack.call('checkout', 'refund', { orderId: order.id, amountFen: 1 }, admin, key());
  expect(over).toMatchObject({ ok: false, error: { code: 'REFUND.EXCEEDS_PAID' } });

  // Both complete at WeChat Pay and their REFUND.SUCCESS notifications come back.
  const refunded = await eventually(
    () => checkout<OrderDetail>(admin, 'getOrder', { orderId: order.id }),
    (o) => o.refunds.length === 2 && o.refunds.every((r) => r.state === 'SUCCESS'),
    'both refunds to succeed',
  );
  expect(refunded).toMatchObject({ refundedFen: order.totalFen, merchant: { refundableFen: 0 } });
  expect(refunded.refunds.map((r) => r.id).sort()).toEqual([one.id, rest.id].sort());
  const refundDeliveries = await eventually(
    () => deliveries('refund:'),
    (d) => d.filter((x) => x.state === 'delivered').length === 2,
    'the refund notifications',
  );
  expect(refundDeliveries.map((d) => d.event_type)).toEqual(['REFUND.SUCCESS', 'REFUND.SUCCESS']);
  expect(refundDeliveries.flatMap((d) => d.attempts.map((a) => a.status))).toEqual([204, 204]);

  // Everything went back: the merchant holds nothing from this order, fee included.
  expect(await withStore((s) => merchantBalances(s, DEMO_APPID))).toEqual({
    pendingFen: 0,
    availableFen: 0,
    withdrawingFen: 0,
  });
  await ledgerBalanced();
});
