// payNotify with real signed, encrypted notifications: the sandbox's own, and
// crafted ones for what WeChat would never send. Anything unverifiable gets a
// non-2xx reply and changes nothing; a verified payment is credited exactly
// once whatever arrives, how often, and in what order.
import crypto from 'node:crypto';
import { wechatpaySignatureHeaders } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { Accounts } from '../../cloudfunctions/core/domain/ledger';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import { type BalanceDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { AnomalyDoc } from '../../cloudfunctions/core/payments/anomalies';
import type { PaymentConfirmation } from '../../typings/checkout';
import { buyer, call, ok, testDeps, type TestDeps } from '../support/deps';
import {
  bindMerchant,
  buyerPays,
  checkout,
  craftNotification,
  deliver,
  notify,
  order,
  orderDoc,
  pay,
  payNotify,
  routeNotificationsToPayNotify,
  seededProduct,
  transactionResource,
} from './support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(async () => {
  await deps.close();
});

/** An order in PAYING (prepay handed out), nothing paid yet. */
async function payingOrder(quantity = 1): Promise<OrderDoc> {
  const tea = await seededProduct(deps, /Longjing/);
  const created = await order(deps, [{ productId: tea.id, quantity }]);
  await pay(created.id);
  return orderDoc(deps, created.id);
}

async function nothingChanged(before: OrderDoc): Promise<void> {
  expect(await orderDoc(deps, before._id)).toEqual(before);
  expect(await deps.store.count('journal')).toBe(0);
  expect(await deps.store.count('balances')).toBe(0);
  expect(await deps.store.count('paymentAnomalies')).toBe(0);
}

describe('refused: non-2xx and no state change', () => {
  let paying: OrderDoc;
  beforeEach(async () => {
    await bindMerchant(deps);
    paying = await payingOrder();
  });

  const cases: Array<[string, (d: TestDeps) => Parameters<typeof craftNotification>[4]]> = [
    [
      'forged (signed with another key under the real serial)',
      () => ({ signWith: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
    ],
    [
      'tampered (body changed after signing)',
      () => ({ tamper: (body) => body.replace('"summary":"TRANSACTION.SUCCESS"', '"summary":"TRANSACTION.SUCCESS "') }),
    ],
    ['stale (signed six minutes ago)', (d) => ({ at: new Date(d.clock.now().getTime() - 6 * 60_000) })],
    ['from the future (six minutes ahead)', (d) => ({ at: new Date(d.clock.now().getTime() + 6 * 60_000) })],
    [
      'a WECHATPAY/SIGNTEST/ probe',
      () => ({ signature: `WECHATPAY/SIGNTEST/${crypto.randomBytes(64).toString('base64')}` }),
    ],
    ['signed under an unknown serial', () => ({ serial: 'PUB_KEY_ID_0000000000000000000000000000000000000000' })],
    ['encrypted with another APIv3 key', () => ({ apiV3Key: crypto.randomBytes(32) })],
  ];

  test.each(cases)('%s', async (_name, craft) => {
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, paying),
      craft(deps),
    );
    const reply = await notify(headers, body);
    expect(reply.statusCode).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(reply.body ?? '{}')).toMatchObject({ code: 'FAIL' });
    await nothingChanged(paying);
  });

  test('missing headers, a non-POST and a body that is not a notification', async () => {
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, paying),
    );
    const noSerial = { ...headers };
    delete noSerial['Wechatpay-Serial'];
    expect((await notify(noSerial, body)).statusCode).toBe(401);
    expect(
      (
        await payNotify({
          httpMethod: 'GET',
          path: '/payNotify',
          headers,
          queryStringParameters: {},
          body,
          isBase64Encoded: false,
        })
      ).statusCode,
    ).toBe(405);
    const signedGarbage = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      {},
      { tamper: () => 'not json' },
    );
    expect((await notify(signedGarbage.headers, signedGarbage.body)).statusCode).toBe(401);
    await nothingChanged(paying);
  });

  test('the raw body as CloudBase passes it base64-encoded verifies the same', async () => {
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, paying),
    );
    const reply = await payNotify({
      httpMethod: 'POST',
      path: '/payNotify',
      headers,
      queryStringParameters: {},
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    });
    expect(reply.statusCode).toBe(204);
    expect((await orderDoc(deps, paying._id)).state).toBe('PAID');
  });
});

describe('credited exactly once', () => {
  beforeEach(async () => {
    await bindMerchant(deps, 6000);
  });

  test("the sandbox's notification marks the order paid and posts the payment; 204", async () => {
    routeNotificationsToPayNotify(deps);
    const paying = await payingOrder(2); // 13600 fen, fee 82
    buyerPays(deps, await pay(paying._id));
    await deliver(deps);
    expect(deps.inbox.received.map((r) => r.status)).toEqual([204]);
    const paid = await orderDoc(deps, paying._id);
    expect(paid).toMatchObject({ state: 'PAID', feeFen: 82, settlementState: 'PENDING', refundedFen: 0 });
    expect(paid.transactionId).toMatch(/^\d+$/);
    expect(await merchantBalances(deps.store, paying.appid)).toEqual({
      pendingFen: 13518,
      availableFen: 0,
      withdrawingFen: 0,
    });
    expect((await deps.store.get<BalanceDoc>('balances', Accounts.fees(paying.appid)))?.balanceFen).toBe(82);
    expect((await verifyLedger(deps.store)).ok).toBe(true);
  });

  test('duplicates, concurrent or repeated, credit once', async () => {
    const paying = await payingOrder();
    buyerPays(deps, await pay(paying._id));
    // The sandbox's delivery, captured, then sent again and again (fresh signatures, same body) like WeChat's retries.
    await deliver(deps);
    const original = deps.inbox.received[0];
    const resend = () => notify(signAgain(original.body), original.body);
    const replies = await Promise.all([resend(), resend(), resend(), resend(), resend()]);
    expect(replies.map((r) => r.statusCode)).toEqual([204, 204, 204, 204, 204]);
    expect((await resend()).statusCode).toBe(204);
    expect(await deps.store.count('journal')).toBe(1);
    expect((await merchantBalances(deps.store, paying.appid)).pendingFen).toBe(6800 - 41);
    expect((await verifyLedger(deps.store)).ok).toBe(true);
  });

  test('out of order: a query credits first, then late notifications change nothing', async () => {
    routeNotificationsToPayNotify(deps);
    deps.inbox.respond = () => 500; // the first delivery is lost
    const paying = await payingOrder();
    buyerPays(deps, await pay(paying._id));
    await deliver(deps);
    expect(deps.inbox.received.map((r) => r.status)).toEqual([500]);
    expect((await orderDoc(deps, paying._id)).state).toBe('PAYING');

    expect(
      (await ok<PaymentConfirmation>(call(checkout, buyer, 'confirmPayment', { orderId: paying._id }))).state,
    ).toBe('PAID');
    routeNotificationsToPayNotify(deps);
    deps.clock.advance(15_000); // WeChat's first retry
    await deliver(deps);
    expect(deps.inbox.received.map((r) => r.status)).toEqual([500, 204]);
    expect(await deps.store.count('journal')).toBe(1);
    expect((await verifyLedger(deps.store)).ok).toBe(true);
  });

  test('out of order: a crafted CLOSED report after the payment does not unpay it', async () => {
    routeNotificationsToPayNotify(deps);
    const paying = await payingOrder();
    buyerPays(deps, await pay(paying._id));
    await deliver(deps);
    const late = craftNotification(
      deps,
      'TRANSACTION.CLOSED',
      'transaction',
      transactionResource(deps, paying, { trade_state: 'CLOSED', trade_state_desc: '已关闭' }),
    );
    expect((await notify(late.headers, late.body)).statusCode).toBe(204);
    expect((await orderDoc(deps, paying._id)).state).toBe('PAID');
    expect(await deps.store.count('journal')).toBe(1);
  });

  test('a payment WeChat reports for an order we closed is credited and flagged for review', async () => {
    const paying = await payingOrder();
    const at = deps.clock.now().toISOString();
    await deps.store.update('orders', paying._id, { set: { state: 'CLOSED', closedAt: at, closeReason: 'expired' } });
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, paying),
    );
    expect((await notify(headers, body)).statusCode).toBe(204);
    expect((await orderDoc(deps, paying._id)).state).toBe('PAID');
    const flagged = (await deps.store.find<AnomalyDoc>('paymentAnomalies', {})).items;
    expect(flagged.map((a) => a.kind)).toEqual(['PAID_AFTER_CLOSE']);
    expect((await verifyLedger(deps.store)).ok).toBe(true);
  });
});

describe('mismatches are recorded for review, not credited', () => {
  let paying: OrderDoc;
  beforeEach(async () => {
    await bindMerchant(deps);
    paying = await payingOrder();
  });

  test.each([
    ['amount', { amount: { total: 1, payer_total: 1, currency: 'CNY' as const } }, 'amount'],
    ['mini program', { sub_appid: 'wx_someone_else_000' }, 'appid'],
    ['merchant', { sub_mchid: '1900009999' }, 'mchid'],
  ])('another %s', async (_name, overrides, field) => {
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, paying, overrides),
    );
    const reply = await notify(headers, body);
    expect(reply.statusCode).toBe(204);
    expect((await orderDoc(deps, paying._id)).state).toBe('PAYING');
    expect(await deps.store.count('journal')).toBe(0);
    const [anomaly] = (await deps.store.find<AnomalyDoc>('paymentAnomalies', {})).items;
    expect(anomaly).toMatchObject({ kind: 'PAYMENT_MISMATCH', orderId: paying._id, source: 'notify', seen: 1 });
    expect((anomaly.detail.mismatches as Array<{ field: string }>).map((m) => m.field)).toEqual([field]);

    // WeChat's retry of the same report is counted on the same record.
    const retry = signAgain(body);
    expect((await notify(retry, body)).statusCode).toBe(204);
    expect((await deps.store.find<AnomalyDoc>('paymentAnomalies', {})).items.map((a) => a.seen)).toEqual([2]);
  });

  test('a payment for an order we never issued', async () => {
    const ghost = { ...paying, _id: 'O0000000000000000000000000000000' };
    const { headers, body } = craftNotification(
      deps,
      'TRANSACTION.SUCCESS',
      'transaction',
      transactionResource(deps, ghost),
    );
    expect((await notify(headers, body)).statusCode).toBe(204);
    expect((await deps.store.find<AnomalyDoc>('paymentAnomalies', {})).items.map((a) => [a.kind, a.orderId])).toEqual([
      ['UNKNOWN_ORDER', ghost._id],
    ]);
    expect(await deps.store.count('journal')).toBe(0);
  });
});

test('a store failure while applying is a 500, so WeChat sends it again', async () => {
  await bindMerchant(deps);
  const paying = await payingOrder();
  const { headers, body } = craftNotification(
    deps,
    'TRANSACTION.SUCCESS',
    'transaction',
    transactionResource(deps, paying),
  );
  // The merchant record vanished: crediting cannot compute the fee and must not guess.
  await deps.store.remove('merchants', paying.appid);
  expect((await notify(headers, body)).statusCode).toBe(500);
  expect((await orderDoc(deps, paying._id)).state).toBe('PAYING');
  expect(await deps.store.count('journal')).toBe(0);
});

/** Fresh Wechatpay-* headers over an existing body, signed by the sandbox platform key (a WeChat retry). */
function signAgain(body: string): Record<string, string> {
  return wechatpaySignatureHeaders(
    body,
    deps.sandbox.keys.platformKeyId,
    deps.sandbox.keys.platformPrivateKey,
    deps.clock.now(),
  );
}
