// The real adapter against the real sandbox: partner JSAPI prepay, client
// parameters, the sandbox buyer, query, close and refunds, on a clock the
// test moves.
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import type { PrepayRequest } from '../../cloudfunctions/core/ports/pay';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID, payError } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;
let n = 0;

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0 });
  sub = t.sandbox.createSubMerchant({ appids: [APPID], settlement_id: '716' }).sub_mchid;
});
afterEach(async () => {
  await t.close();
});

const order = (over: Partial<PrepayRequest> = {}): PrepayRequest => ({
  subMchid: sub,
  subAppid: APPID,
  openid: OPENID,
  outTradeNo: `T${Date.now().toString(36)}${++n}`,
  description: 'Oolong tea 250g',
  totalFen: 1999,
  notifyUrl: t.inbox.url,
  expireAt: new Date(clock.now().getTime() + 30 * 60_000),
  ...over,
});

async function paid(over: Partial<PrepayRequest> = {}) {
  const o = order(over);
  const { prepayId } = await t.provider.prepay(o);
  t.sandbox.pay({ ...t.provider.clientParams(APPID, prepayId) });
  return o;
}

describe('prepay and the client parameters', () => {
  test('prepay answers a prepay_id; the client parameters are what the WeChat client accepts', async () => {
    const o = order();
    const { prepayId } = await t.provider.prepay(o);
    expect(prepayId).toMatch(/^wx\d{14}[0-9a-f]{16}0000$/);
    const params = t.provider.clientParams(APPID, prepayId);
    expect(params).toMatchObject({
      package: `prepay_id=${prepayId}`,
      signType: 'RSA',
      timeStamp: String(Math.floor(clock.now().getTime() / 1000)),
    });
    const result = t.sandbox.pay({ ...params });
    expect(result).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: o.outTradeNo });
  });

  test('the same out_trade_no with the same parameters answers the same prepay; different parameters are refused', async () => {
    const o = order();
    const first = await t.provider.prepay(o);
    expect(await t.provider.prepay(o)).toEqual(first);
    const err = await payError(t.provider.prepay({ ...o, totalFen: 2999 }));
    expect([err.status, err.code]).toEqual([403, 'OUT_TRADE_NO_USED']);
  });

  test('a prepay_id lasts two hours; after that the same order gets a new one and the old one cannot pay', async () => {
    const o = order({ expireAt: new Date(clock.now().getTime() + 5 * 3600_000) });
    const first = await t.provider.prepay(o);
    clock.advance(2 * 3600_000 + 1000);
    const second = await t.provider.prepay(o);
    expect(second.prepayId).not.toBe(first.prepayId);
    expect(() => t.sandbox.pay({ ...t.provider.clientParams(APPID, first.prepayId) })).toThrow(
      expect.objectContaining({ code: 'PREPAY_EXPIRED' }),
    );
    expect(t.sandbox.pay({ ...t.provider.clientParams(APPID, second.prepayId) }).trade_state).toBe('SUCCESS');
  });

  test('a paySign over another appid, a forged paySign or a tampered package is refused like the WeChat client does', async () => {
    const { prepayId } = await t.provider.prepay(order());
    const forOther = t.provider.clientParams('wx_another_app_00', prepayId);
    expect(() => t.sandbox.pay({ ...forOther })).toThrow(expect.objectContaining({ code: 'SIGN_ERROR' }));
    const params = t.provider.clientParams(APPID, prepayId);
    expect(() =>
      t.sandbox.pay({ ...params, paySign: params.paySign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }),
    ).toThrow(expect.objectContaining({ code: 'SIGN_ERROR' }));
    const other = await t.provider.prepay(order());
    expect(() => t.sandbox.pay({ ...params, package: `prepay_id=${other.prepayId}` })).toThrow(
      expect.objectContaining({ code: 'SIGN_ERROR' }),
    );
    expect(t.sandbox.pay({ ...params }).trade_state).toBe('SUCCESS');
  });

  test('refused: unknown sub-merchant, appid not bound to it, amount of zero, past expiry', async () => {
    expect((await payError(t.provider.prepay(order({ subMchid: '1699999999' })))).code).toBe('PARAM_ERROR');
    expect((await payError(t.provider.prepay(order({ subAppid: 'wx_not_bound_0000' })))).code).toBe('PARAM_ERROR');
    const zero = await payError(t.provider.prepay(order({ totalFen: 0 })));
    expect([zero.status, zero.code]).toEqual([400, 'PARAM_ERROR']);
    expect(zero.message).toContain('/amount/total');
    expect((await payError(t.provider.prepay(order({ expireAt: new Date(clock.now().getTime() - 1000) })))).code).toBe(
      'PARAM_ERROR',
    );
  });
});

describe('query and close', () => {
  test('query follows the order: NOTPAY, then SUCCESS with the transaction; unknown orders are null', async () => {
    const o = order();
    const { prepayId } = await t.provider.prepay(o);
    expect(await t.provider.queryTransaction(sub, o.outTradeNo)).toMatchObject({
      tradeState: 'NOTPAY',
      totalFen: 1999,
      subMchid: sub,
      subAppid: APPID,
    });
    clock.advance(60_000);
    const { transaction_id } = t.sandbox.pay({ prepay_id: prepayId });
    const tx = await t.provider.queryTransaction(sub, o.outTradeNo);
    expect(tx).toEqual({
      subMchid: sub,
      subAppid: APPID,
      outTradeNo: o.outTradeNo,
      transactionId: transaction_id,
      tradeState: 'SUCCESS',
      totalFen: 1999,
      payerTotalFen: 1999,
      openid: OPENID,
      successTime: '2026-01-05T10:01:00+08:00',
    });
    expect(await t.provider.queryTransaction(sub, 'T_unknown_order')).toBeNull();
    // Another sub-merchant's order does not exist for this one.
    const other = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
    expect(await t.provider.queryTransaction(other, o.outTradeNo)).toBeNull();
  });

  test('a failed payment leaves PAYERROR and no notification; the buyer can pay again', async () => {
    const o = order();
    const { prepayId } = await t.provider.prepay(o);
    expect(t.sandbox.pay({ prepay_id: prepayId, result: 'FAIL' }).trade_state).toBe('PAYERROR');
    expect((await t.provider.queryTransaction(sub, o.outTradeNo))?.tradeState).toBe('PAYERROR');
    expect(t.sandbox.deliveries()).toHaveLength(0);
    expect(t.sandbox.pay({ prepay_id: prepayId }).trade_state).toBe('SUCCESS');
  });

  test('close: an unpaid order closes (and cannot be paid); a paid one refuses with ORDERPAID', async () => {
    const o = order();
    const { prepayId } = await t.provider.prepay(o);
    await t.provider.closeTransaction(sub, o.outTradeNo);
    await t.provider.closeTransaction(sub, o.outTradeNo); // closing again is harmless
    expect((await t.provider.queryTransaction(sub, o.outTradeNo))?.tradeState).toBe('CLOSED');
    expect(() => t.sandbox.pay({ prepay_id: prepayId })).toThrow(expect.objectContaining({ code: 'ORDER_CLOSED' }));
    expect((await payError(t.provider.prepay(o))).code).toBe('ORDER_CLOSED');

    const p = await paid();
    const err = await payError(t.provider.closeTransaction(sub, p.outTradeNo));
    expect([err.status, err.code]).toEqual([400, 'ORDERPAID']);
    expect((await payError(t.provider.closeTransaction(sub, 'T_never_placed'))).status).toBe(404);
  });

  test('an order past its time_expire cannot be paid', async () => {
    const o = order({ expireAt: new Date(clock.now().getTime() + 60_000) });
    const { prepayId } = await t.provider.prepay(o);
    clock.advance(61_000);
    expect(() => t.sandbox.pay({ prepay_id: prepayId })).toThrow(expect.objectContaining({ code: 'ORDER_EXPIRED' }));
  });
});

describe('refunds', () => {
  const refund = (outTradeNo: string, outRefundNo: string, refundFen: number, totalFen = 1999) =>
    t.provider.refund({
      subMchid: sub,
      outTradeNo,
      outRefundNo,
      refundFen,
      totalFen,
      reason: 'customer changed mind',
      notifyUrl: t.inbox.url,
    });

  test('PROCESSING, then SUCCESS after the delay; the order turns REFUND', async () => {
    const o = await paid();
    const r = await refund(o.outTradeNo, 'R1', 500);
    expect(r).toMatchObject({
      subMchid: sub,
      outTradeNo: o.outTradeNo,
      outRefundNo: 'R1',
      status: 'PROCESSING',
      refundFen: 500,
      totalFen: 1999,
    });
    expect(r.refundId).toMatch(/^5030\d{25}$/);
    expect((await t.provider.queryRefund(sub, 'R1'))?.status).toBe('PROCESSING');
    expect((await t.provider.queryTransaction(sub, o.outTradeNo))?.tradeState).toBe('REFUND');
    clock.advance(3_000);
    const done = await t.provider.queryRefund(sub, 'R1');
    expect(done).toMatchObject({ status: 'SUCCESS', successTime: '2026-01-05T10:00:03+08:00' });
    expect(await t.provider.queryRefund(sub, 'R_unknown')).toBeNull();
  });

  test('bounded by what is left of the paid amount; the same refund number is the same refund', async () => {
    const o = await paid();
    const first = await refund(o.outTradeNo, 'R1', 1500);
    expect(await refund(o.outTradeNo, 'R1', 1500)).toEqual(first);
    const over = await payError(refund(o.outTradeNo, 'R2', 500));
    expect([over.status, over.code]).toEqual([400, 'INVALID_REQUEST']);
    await refund(o.outTradeNo, 'R2', 499);
    expect((await payError(refund(o.outTradeNo, 'R3', 1))).code).toBe('INVALID_REQUEST');
    expect((await payError(refund(o.outTradeNo, 'R1', 1000))).code).toBe('INVALID_REQUEST');
  });

  test('refused: wrong total, unpaid order, unknown order', async () => {
    const o = await paid();
    expect((await payError(refund(o.outTradeNo, 'R1', 100, 2000))).code).toBe('PARAM_ERROR');
    const unpaid = order();
    await t.provider.prepay(unpaid);
    expect((await payError(refund(unpaid.outTradeNo, 'R2', 100))).code).toBe('INVALID_REQUEST');
    const unknown = await payError(refund('T_nope_000', 'R3', 100));
    expect([unknown.status, unknown.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });

  test('forced outcomes: ABNORMAL, then CLOSED gives the amount back to refund again', async () => {
    const o = await paid();
    await refund(o.outTradeNo, 'R1', 1999);
    expect(t.sandbox.forceRefund('R1', 'ABNORMAL').status).toBe('ABNORMAL');
    // The delay passing changes nothing any more.
    clock.advance(10_000);
    await t.sandbox.flush();
    expect((await t.provider.queryRefund(sub, 'R1'))?.status).toBe('ABNORMAL');
    expect((await payError(refund(o.outTradeNo, 'R2', 1))).code).toBe('INVALID_REQUEST');
    t.sandbox.forceRefund('R1', 'CLOSED');
    expect((await t.provider.queryRefund(sub, 'R1'))?.status).toBe('CLOSED');
    expect((await refund(o.outTradeNo, 'R2', 1999)).status).toBe('PROCESSING');
    expect(() => t.sandbox.forceRefund('R1', 'SUCCESS')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });

  test('NOT_ENOUGH when the merchant no longer holds the money', async () => {
    const o = await paid();
    // 1999 received, 12 fen fee (0.6%): 1987 held. Withdraw all of it.
    expect(t.sandbox.balance(sub)).toBe(1987);
    await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 1987 });
    const err = await payError(refund(o.outTradeNo, 'R1', 1000));
    expect([err.status, err.code]).toEqual([403, 'NOT_ENOUGH']);
  });
});
