// Order and refund rules, pure: pricing from the catalogue, prepay reuse,
// notification checks, and the fee a refund gives back.
import type { ProductDoc } from '../../cloudfunctions/core/domain/catalogue';
import { Accounts } from '../../cloudfunctions/core/domain/ledger';
import {
  assertPayable,
  describe as describeItems,
  MAX_ORDER_FEN,
  type OrderDoc,
  orderIdFor,
  paidAtFrom,
  prepayExpiry,
  priceOrder,
  refundedWrite,
  refundStatusOf,
  reusablePrepay,
  transactionMismatches,
} from '../../cloudfunctions/core/domain/order';
import { feeToReturn, type RefundDoc, refundIdFor, refundReturnedEntry } from '../../cloudfunctions/core/domain/refund';
import { feeFen } from '../../cloudfunctions/core/domain/fee';

const appid = 'wx_domain';
const at = '2026-01-05T02:00:00.000Z';
const product = (id: string, priceFen: number, extra: Partial<ProductDoc> = {}): ProductDoc => ({
  _id: id,
  appid,
  name: `Product ${id}`,
  priceFen,
  active: true,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

function order(extra: Partial<OrderDoc> = {}): OrderDoc {
  return {
    _id: 'O0123456789abcdef0123456789abcde',
    appid,
    buyerOpenid: 'o_buyer',
    subMchid: '1900000109',
    state: 'CREATED',
    items: [],
    totalFen: 10000,
    description: 'x',
    refundedFen: 0,
    feeReturnedFen: 0,
    expiresAt: '2026-01-05T02:30:00.000Z',
    createdAt: at,
    updatedAt: at,
    rev: 0,
    ...extra,
  };
}

describe('pricing', () => {
  const catalogue = new Map([
    ['a', product('a', 1250)],
    ['b', product('b', 99)],
    ['off', product('off', 500, { active: false })],
    ['foreign', product('foreign', 500, { appid: 'wx_other' })],
  ]);

  test('amounts come from the catalogue: unit price times quantity, summed', () => {
    const priced = priceOrder(
      [
        { productId: 'a', quantity: 3 },
        { productId: 'b', quantity: 1 },
      ],
      catalogue,
      appid,
    );
    expect(priced.totalFen).toBe(3849);
    expect(priced.items).toEqual([
      { productId: 'a', name: 'Product a', unitPriceFen: 1250, quantity: 3, amountFen: 3750 },
      { productId: 'b', name: 'Product b', unitPriceFen: 99, quantity: 1, amountFen: 99 },
    ]);
  });

  test("unknown, inactive and other mini programs' products are refused line by line", () => {
    expect(() =>
      priceOrder(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'off', quantity: 1 },
          { productId: 'foreign', quantity: 1 },
          { productId: 'nope', quantity: 1 },
        ],
        catalogue,
        appid,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'CHECKOUT.PRODUCT_UNAVAILABLE',
        fields: {
          'items.1.productId': { reason: 'notForSale' },
          'items.2.productId': { reason: 'notForSale' },
          'items.3.productId': { reason: 'notForSale' },
        },
      }),
    );
  });

  test('an order above the cap is refused', () => {
    const big = new Map([['big', product('big', MAX_ORDER_FEN / 2 + 1)]]);
    expect(() => priceOrder([{ productId: 'big', quantity: 2 }], big, appid)).toThrow(
      expect.objectContaining({ code: 'CHECKOUT.AMOUNT_TOO_LARGE' }),
    );
  });

  test("descriptions name the first item and the count in Chinese, and fit WeChat Pay's 127 characters", () => {
    expect(describeItems([{ productId: 'a', name: 'Tea', unitPriceFen: 1, quantity: 1, amountFen: 1 }])).toBe('Tea');
    expect(
      describeItems([
        { productId: 'a', name: 'Tea', unitPriceFen: 1, quantity: 1, amountFen: 1 },
        { productId: 'b', name: 'Cup', unitPriceFen: 1, quantity: 1, amountFen: 1 },
      ]),
    ).toBe('Tea 等2件商品');
    expect(describeItems([{ productId: 'a', name: 'Tea', unitPriceFen: 1, quantity: 3, amountFen: 3 }])).toBe(
      'Tea 等3件商品',
    );
    expect([
      ...describeItems([{ productId: 'a', name: '茶'.repeat(200), unitPriceFen: 1, quantity: 1, amountFen: 1 }]),
    ]).toHaveLength(127);
    const long = describeItems([
      { productId: 'a', name: '茶'.repeat(200), unitPriceFen: 1, quantity: 2, amountFen: 2 },
    ]);
    expect([...long]).toHaveLength(127);
    expect(long.endsWith(' 等2件商品')).toBe(true);
  });
});

test('order and refund numbers are stable per key and valid WeChat Pay numbers', () => {
  const id = orderIdFor(appid, 'o1', 'key-1');
  expect(id).toBe(orderIdFor(appid, 'o1', 'key-1'));
  expect(id).not.toBe(orderIdFor(appid, 'o2', 'key-1'));
  expect(id).toMatch(/^[A-Za-z0-9_|*-]{6,32}$/);
  const refundNo = refundIdFor(appid, id, 'key-1');
  expect(refundNo).toMatch(/^[A-Za-z0-9_|*@-]{1,64}$/);
  expect(refundNo).not.toBe(refundIdFor(appid, id, 'key-2'));
});

describe('paying', () => {
  const now = new Date('2026-01-05T02:10:00Z');
  test('paid, closed and expired orders cannot be paid', () => {
    expect(() => assertPayable(order({ state: 'PAID' }), now)).toThrow(
      expect.objectContaining({ code: 'CHECKOUT.ORDER_PAID' }),
    );
    expect(() => assertPayable(order({ state: 'CLOSED' }), now)).toThrow(
      expect.objectContaining({ code: 'CHECKOUT.ORDER_CLOSED' }),
    );
    expect(() => assertPayable(order({ expiresAt: '2026-01-05T02:10:00.000Z' }), now)).toThrow(
      expect.objectContaining({ code: 'CHECKOUT.ORDER_EXPIRED' }),
    );
    expect(() => assertPayable(order({ state: 'PAYING' }), now)).not.toThrow();
  });

  test('a prepay is reused until a minute before it expires, and expires with the order', () => {
    const prepay = { prepayId: 'wx1', createdAt: at, expiresAt: '2026-01-05T02:30:00.000Z' };
    expect(reusablePrepay(order({ prepay }), now)).toEqual(prepay);
    expect(reusablePrepay(order({ prepay }), new Date('2026-01-05T02:29:00Z'))).toBeNull();
    expect(reusablePrepay(order(), now)).toBeNull();
    expect(prepayExpiry(order(), now).toISOString()).toBe('2026-01-05T02:30:00.000Z');
    // An order living longer than WeChat keeps a prepay_id: two hours at most.
    expect(prepayExpiry(order({ expiresAt: '2026-01-06T00:00:00.000Z' }), now).toISOString()).toBe(
      '2026-01-05T04:10:00.000Z',
    );
  });

  test("a reported payment must match the order's mini program, merchant and amount", () => {
    const good = {
      subMchid: '1900000109',
      subAppid: appid,
      outTradeNo: 'x',
      tradeState: 'SUCCESS' as const,
      totalFen: 10000,
    };
    expect(transactionMismatches(order(), good)).toEqual([]);
    expect(transactionMismatches(order(), { ...good, totalFen: 1, subAppid: 'wx_else', subMchid: '1' })).toEqual([
      { field: 'appid', expected: appid, received: 'wx_else' },
      { field: 'mchid', expected: '1900000109', received: '1' },
      { field: 'amount', expected: 10000, received: 1 },
    ]);
  });

  test('success_time in Beijing time becomes an ISO instant', () => {
    expect(paidAtFrom('2026-01-05T10:00:00+08:00', now)).toBe('2026-01-05T02:00:00.000Z');
    expect(paidAtFrom(undefined, now)).toBe(now.toISOString());
    expect(paidAtFrom('garbage', now)).toBe(now.toISOString());
  });
});

describe('how much of an order was refunded', () => {
  test('none, part or all of it, from the money refunds took (refundedFen) against the total', () => {
    const of = (refundedFen: number) => refundStatusOf({ totalFen: 6800, refundedFen });
    expect([of(0), of(1), of(3400), of(6799), of(6800)]).toEqual(['NONE', 'PARTIAL', 'PARTIAL', 'PARTIAL', 'FULL']);
    expect(refundStatusOf({ totalFen: 1, refundedFen: 1 })).toBe('FULL');
  });

  test("a refund's write to the order moves its totals and sets the status they lead to, in one update", () => {
    const paid = order({ state: 'PAID', totalFen: 6800, feeFen: 41, refundedFen: 800, feeReturnedFen: 5 });
    expect(refundedWrite(paid, 6000, 36, at)).toEqual({
      inc: { refundedFen: 6000, feeReturnedFen: 36, rev: 1 },
      set: { refundStatus: 'FULL', updatedAt: at },
    });
    expect(refundedWrite(paid, 100, 1, at).set).toEqual({ refundStatus: 'PARTIAL', updatedAt: at });
    // A closed refund gives its money back: negative amounts, and the status goes back with them.
    expect(refundedWrite(paid, -800, -5, at)).toEqual({
      inc: { refundedFen: -800, feeReturnedFen: -5, rev: 1 },
      set: { refundStatus: 'NONE', updatedAt: at },
    });
    expect(refundedWrite({ totalFen: 6800, refundedFen: 6800 }, -800, -5, at).set).toEqual({
      refundStatus: 'PARTIAL',
      updatedAt: at,
    });
  });
});

describe('the fee a refund returns', () => {
  const paid = (totalFen: number, ratePpm = 6000) =>
    order({ state: 'PAID', totalFen, feeFen: feeFen(totalFen, ratePpm) });

  test('a full refund returns the whole fee', () => {
    expect(feeToReturn(paid(10000), 10000)).toBe(60);
    expect(feeToReturn(paid(1), 1)).toBe(0);
  });

  test('partial refunds return the fee in proportion, and the last returns exactly what is left', () => {
    const o = paid(10001); // fee 60
    let returned = 0;
    let refunded = 0;
    for (const part of [3333, 3333, 3335]) {
      const fee = feeToReturn({ ...o, refundedFen: refunded, feeReturnedFen: returned }, part);
      returned += fee;
      refunded += part;
    }
    expect(refunded).toBe(10001);
    expect(returned).toBe(o.feeFen);
  });

  test('many small refunds do not drift from the proportional fee', () => {
    const o = paid(100000); // fee 600
    let returned = 0;
    for (let refunded = 0; refunded < 50000; refunded += 7) {
      const part = Math.min(7, 50000 - refunded);
      returned += feeToReturn({ ...o, refundedFen: refunded, feeReturnedFen: returned }, part);
    }
    expect(returned).toBe(300);
  });

  test('refunding more than is left is a programming error', () => {
    // 0.6% of 100 fen is a 1-fen fee: half refunded returns it (0.5 rounds up), the rest returns nothing more.
    const hundred = { ...paid(100), feeFen: 1 };
    expect(feeToReturn(hundred, 50)).toBe(1);
    expect(feeToReturn({ ...hundred, refundedFen: 50, feeReturnedFen: 1 }, 50)).toBe(0);
    expect(() => feeToReturn({ ...paid(100), refundedFen: 60 }, 41)).toThrow(RangeError);
    expect(() => feeToReturn(paid(100), 0)).toThrow(RangeError);
  });
});

test("a closed refund gives the merchant its share back where the order's money now is", () => {
  const refund: RefundDoc = {
    _id: 'R1',
    appid,
    orderId: 'O1',
    subMchid: '1',
    amountFen: 5000,
    feeReturnedFen: 30,
    from: 'pending',
    state: 'CLOSED',
    requestedBy: 'o_admin',
    submitted: true,
    createdAt: at,
    updatedAt: at,
  };
  const back = refundReturnedEntry(refund, 'available');
  expect(back).toMatchObject({
    id: 'reversal:refund:R1',
    kind: 'reversal',
    ref: { orderId: 'O1', refundId: 'R1', reverses: 'refund:R1' },
  });
  expect(back.postings).toEqual([
    { account: Accounts.buyerClearing(appid), amountFen: -5000 },
    { account: Accounts.available(appid), amountFen: 4970 },
    { account: Accounts.fees(appid), amountFen: 30 },
  ]);
  expect(refundReturnedEntry({ ...refund, feeReturnedFen: 0 }, 'pending').postings).toHaveLength(2);
});
