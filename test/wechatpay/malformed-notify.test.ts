// End to end through payNotify: a notification that is correctly signed and
// encrypted but whose resource has another shape is answered 401 like a bad
// signature and changes nothing; the same notification well-formed is applied.
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import { testDeps, type TestDeps } from '../support/deps';
import {
  bindMerchant,
  craftNotification,
  notify,
  order,
  orderDoc,
  pay,
  seededProduct,
  transactionResource,
} from '../checkout/support';

let deps: TestDeps;
let paying: OrderDoc;

beforeEach(async () => {
  deps = await testDeps();
  await bindMerchant(deps);
  const tea = await seededProduct(deps, /Longjing/);
  const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  await pay(created.id);
  paying = await orderDoc(deps, created.id);
});
afterEach(async () => {
  await deps.close();
});

async function nothingChanged(): Promise<void> {
  expect(await orderDoc(deps, paying._id)).toEqual(paying);
  expect(await deps.store.count('journal')).toBe(0);
  expect(await deps.store.count('balances')).toBe(0);
  expect(await deps.store.count('paymentAnomalies')).toBe(0);
}

const malformed: Array<[string, (r: Record<string, unknown>) => Record<string, unknown>]> = [
  ['missing amount', ({ amount: _, ...r }) => r],
  [
    'amount as a string',
    (r) => ({ ...r, amount: { total: String(paying.totalFen), payer_total: paying.totalFen, currency: 'CNY' } }),
  ],
  ['an unknown trade_state', (r) => ({ ...r, trade_state: 'PAID' })],
  ['out_trade_no of the wrong type', (r) => ({ ...r, out_trade_no: { id: paying._id } })],
  ['transaction_id of the wrong type', (r) => ({ ...r, transaction_id: 4200000000 })],
];

test.each(malformed)(
  'a signed, encrypted payment with %s is refused (401) and changes nothing',
  async (_name, mangle) => {
    const resource = mangle({ ...transactionResource(deps, paying) });
    const { headers, body } = craftNotification(deps, 'TRANSACTION.SUCCESS', 'transaction', resource);
    const reply = await notify(headers, body);
    expect(reply.statusCode).toBe(401);
    // The reply says nothing about the resource.
    expect(reply.body).not.toContain(paying._id);
    await nothingChanged();
  },
);

test('the same payment, well-formed, is applied', async () => {
  const { headers, body } = craftNotification(
    deps,
    'TRANSACTION.SUCCESS',
    'transaction',
    transactionResource(deps, paying),
  );
  expect((await notify(headers, body)).statusCode).toBe(204);
  expect((await orderDoc(deps, paying._id)).state).toBe('PAID');
  expect(await deps.store.count('journal')).toBe(1);
});
