// WeChat Pay's fee rounds half up to the fen (core/domain/fee.ts): 250 fen
// at 0.6% is 1.5 fen, charged as 2. Pinned on the rule itself, on either side
// of every half, against half-even and truncation, and on a real payment
// through checkout, the sandbox and the ledger.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { feeFen, refundFeeFen } from '../../cloudfunctions/core/domain/fee';
import { merchantBalances } from '../../cloudfunctions/core/ledger/book';
import type { JournalDoc } from '../../cloudfunctions/core/ledger/book';
import type { Product } from '../../typings/checkout';
import { admin, call, ok, type TestDeps, testDeps } from '../support/deps';
import { bindMerchant, checkout, key, orderDoc, paidOrder } from './support';

describe('the fee rounds half up to the fen', () => {
  test.each([
    // amount, rate (ppm), exact fee, charged
    [250, 6000, '1.5', 2],
    [249, 6000, '1.494', 1],
    [251, 6000, '1.506', 2],
    [750, 6000, '4.5', 5], // half-even would say 4
    [1250, 6000, '7.5', 8],
    [83, 6000, '0.498', 0],
    [84, 6000, '0.504', 1],
    [125, 6000, '0.75', 1],
    [1250, 2000, '2.5', 3], // half-even would say 2
    [1999, 3800, '7.5962', 8],
    [1, 6000, '0.006', 0],
    [0, 6000, '0', 0],
    [10_000_000, 6000, '60000', 60000],
  ])('%i fen at %i ppm is %s fen: %i', (amountFen, ratePpm, _exact, charged) => {
    expect(feeFen(amountFen, ratePpm)).toBe(charged);
  });

  test('a refund returns its proportional share of the fee, also rounded half up', () => {
    // A 1-fen fee on 100 fen (0.6 rounds up): refunding half returns 0.5 fen, charged back as 1.
    expect(refundFeeFen({ totalFen: 100, feeFen: 1, refundedFen: 0, feeReturnedFen: 0 }, 50)).toBe(1);
    // 250 fen, fee 2: refunding 125 returns exactly 1; refunding 63 returns 0.504 -> 1, 62 returns 0.496 -> 0.
    expect(refundFeeFen({ totalFen: 250, feeFen: 2, refundedFen: 0, feeReturnedFen: 0 }, 125)).toBe(1);
    expect(refundFeeFen({ totalFen: 250, feeFen: 2, refundedFen: 0, feeReturnedFen: 0 }, 63)).toBe(1);
    expect(refundFeeFen({ totalFen: 250, feeFen: 2, refundedFen: 0, feeReturnedFen: 0 }, 62)).toBe(0);
  });
});

describe('on a real payment', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await testDeps();
  });
  afterEach(() => deps.close());

  test('a 250-fen payment at 0.6% is charged a 2-fen fee: order, ledger and WeChat Pay agree', async () => {
    const merchant = await bindMerchant(deps, 6000);
    const product = await ok<Product>(
      call(checkout, admin, 'saveProduct', { name: 'Sample tin', priceFen: 250, active: true }, key('product')),
    );
    const paid = await paidOrder(deps, [{ productId: product.id, quantity: 1 }]);
    expect((await orderDoc(deps, paid.id)).feeFen).toBe(2);
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 248,
      availableFen: 0,
      withdrawingFen: 0,
    });
    const payment = await deps.store.get<JournalDoc>('journal', `payment:${paid.id}`);
    expect(payment?.postings.find((p) => p.account.startsWith('fees:'))?.amountFen).toBe(2);
    // What WeChat Pay (the sandbox) holds for the merchant says the same.
    expect(deps.sandbox.balance(merchant.subMchid)).toBe(248);
  });
});
