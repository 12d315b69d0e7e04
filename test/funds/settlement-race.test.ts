// Settlement against a refund that lands between its read of an order and its
// conditional write, at the very same clock instant (a manual clock, or two
// writes in one millisecond): `updatedAt` is then unchanged, so only the
// order's revision can tell settlement that its amount is stale.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import { merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { Store } from '../../cloudfunctions/core/ports/store';
import { settleDueOrders } from '../../cloudfunctions/core/funds/settlement';
import type { Refund } from '../../typings/checkout';
import { checkout, key } from '../checkout/support';
import { admin, call, ok, type TestDeps, testDeps } from '../support/deps';
import { bindSandboxMerchant, OOLONG_NET_FEN, realPaidOrders } from './real';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  await bindSandboxMerchant(deps);
});
afterEach(() => deps.close());

/** The store settlement sees: `between` runs once, right after settlement read an order's journal (its amount), before it writes. */
function raceAfterAmountRead(store: Store, between: () => Promise<void>): Store {
  let fired = false;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'find') {
        return async (collection: string, options: Parameters<Store['find']>[1]) => {
          const page = await target.find(collection, options);
          if (collection === 'journal' && !fired) {
            fired = true;
            await between();
          }
          return page;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

test('a refund in the same instant between read and write: skipped, then the net settles on the next run', async () => {
  const [paid] = await realPaidOrders(deps, 1);
  const read = await deps.store.get<OrderDoc>('orders', paid.id);
  // The clock stands still from here: payment, refund and settlement share one instant (T+0).
  expect(read!.updatedAt).toBe(deps.clock.now().toISOString());

  let refundId = '';
  const racing = {
    ...deps,
    store: raceAfterAmountRead(deps.store, async () => {
      refundId = (
        await ok(call<Refund>(checkout, admin, 'refund', { orderId: paid.id, amountFen: 3000 }, key('refund')))
      ).id;
    }),
  };
  expect(await settleDueOrders(racing, { settlementDays: 0 })).toEqual({ settled: 0, settledFen: 0, skipped: 1 });

  const refunded = (await deps.store.get<OrderDoc>('orders', paid.id))!;
  // What made the old updatedAt check miss it: the refund left updatedAt as settlement read it.
  expect(refunded.updatedAt).toBe(read!.updatedAt);
  expect(refunded).toMatchObject({ settlementState: 'PENDING', refundedFen: 3000, rev: read!.rev + 1 });
  const { feeReturnedFen } = (await deps.store.get<RefundDoc>('refunds', refundId))!;
  const net = OOLONG_NET_FEN - 3000 + feeReturnedFen;
  expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
    pendingFen: net,
    availableFen: 0,
    withdrawingFen: 0,
  });

  expect(await settleDueOrders(deps, { settlementDays: 0 })).toEqual({ settled: 1, settledFen: net, skipped: 0 });
  expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
    pendingFen: 0,
    availableFen: net,
    withdrawingFen: 0,
  });
  expect((await deps.store.get<OrderDoc>('orders', paid.id))?.settlementState).toBe('SETTLED');
  const ledger = await verifyLedger(deps.store);
  expect(ledger.differences).toEqual([]);
  expect(ledger.ok).toBe(true);
});
