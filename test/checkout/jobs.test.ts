// The checkout jobs on a fixed clock, through the jobs function's own runner:
// missed notifications recovered by querying, expired orders closed (at
// WeChat Pay too), unanswered refunds found out and resent.
import { main as jobsMain } from '../../cloudfunctions/jobs';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import { merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { Refund } from '../../typings/checkout';
import { admin, call, ok, testDeps, type TestDeps } from '../support/deps';
import {
  bindMerchant,
  buyerPays,
  checkout,
  deliver,
  key,
  order,
  orderDoc,
  paidOrder,
  pay,
  seededProduct,
} from './support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  await bindMerchant(deps);
});
afterEach(async () => {
  await deps.close();
});

const run = (job: string) => jobsMain({ only: [job] }).then((r) => r[job] as Record<string, number>);

test('queryPaying credits a payment whose notifications never got through, after a grace period', async () => {
  deps.inbox.respond = () => 503;
  const tea = await seededProduct(deps, /Longjing/);
  const created = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  const waiting = await order(deps, [{ productId: tea.id, quantity: 2 }]);
  buyerPays(deps, await pay(created.id));
  await pay(waiting.id);
  await deliver(deps);
  expect(deps.inbox.received.map((r) => r.status)).toEqual([503]);

  // Within the grace period the notification may still come: no query yet.
  expect(await run('queryPaying')).toEqual({ checked: 0, credited: 0, failed: 0 });
  deps.clock.advance(61_000);
  expect(await run('queryPaying')).toEqual({ checked: 2, credited: 1, failed: 0 });
  expect((await orderDoc(deps, created.id)).state).toBe('PAID');
  expect((await orderDoc(deps, waiting.id)).state).toBe('PAYING');
  expect(await run('queryPaying')).toEqual({ checked: 1, credited: 0, failed: 0 });
  expect((await merchantBalances(deps.store, DEMO_APPID)).pendingFen).toBe(6800 - 41);
  expect((await verifyLedger(deps.store)).ok).toBe(true);
});

test('closeExpired closes unpaid orders past their expiry, at WeChat Pay too, and credits one paid at the last moment', async () => {
  const tea = await seededProduct(deps, /Longjing/);
  const neverPaid = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  const abandoned = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  const abandonedPayment = await pay(abandoned.id);
  const lastMinute = await order(deps, [{ productId: tea.id, quantity: 1 }]);
  deps.inbox.respond = () => 503;
  buyerPays(deps, await pay(lastMinute.id));
  deps.clock.advance(10 * 60_000);
  const fresh = await order(deps, [{ productId: tea.id, quantity: 1 }]);

  expect(await run('closeExpired')).toEqual({ closed: 0, paid: 0, failed: 0 });
  deps.clock.advance(21 * 60_000);
  expect(await run('closeExpired')).toEqual({ closed: 2, paid: 1, failed: 0 });
  expect(await orderDoc(deps, neverPaid.id)).toMatchObject({ state: 'CLOSED', closeReason: 'expired' });
  expect(await orderDoc(deps, abandoned.id)).toMatchObject({ state: 'CLOSED', closeReason: 'expired' });
  expect((await orderDoc(deps, lastMinute.id)).state).toBe('PAID');
  expect((await orderDoc(deps, fresh.id)).state).toBe('CREATED');
  // Closed at WeChat Pay: the old pay parameters no longer work.
  expect(
    (await deps.pay.queryTransaction((await orderDoc(deps, abandoned.id)).subMchid, abandoned.id))?.tradeState,
  ).toBe('CLOSED');
  expect(() => buyerPays(deps, abandonedPayment)).toThrow();
  expect(await run('closeExpired')).toEqual({ closed: 0, paid: 0, failed: 0 });
  expect((await verifyLedger(deps.store)).ok).toBe(true);
});

test('syncRefunds resends a refund WeChat Pay never received, and applies what it finds', async () => {
  const tea = await seededProduct(deps, /Longjing/);
  const paid = await paidOrder(deps, [{ productId: tea.id, quantity: 1 }]);
  // WeChat Pay unreachable while the admin refunds: the refund is recorded and the money set aside.
  const reachable = deps.pay;
  deps.pay = WechatPayProvider.fromSandboxDir(deps.sandbox.dir, 'http://127.0.0.1:9', deps.clock);
  const requested = await ok<Refund>(call(checkout, admin, 'refund', { orderId: paid.id, amountFen: 6800 }, key()));
  expect(requested.state).toBe('PROCESSING');
  expect((await deps.store.get<RefundDoc>('refunds', requested.id))?.submitted).toBe(false);
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(0);
  expect((await merchantBalances(deps.store, DEMO_APPID)).pendingFen).toBe(0);

  deps.pay = reachable;
  deps.clock.advance(61_000);
  expect(await run('syncRefunds')).toMatchObject({ checked: 1, resent: 1, failed: 0 });
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(1);
  expect((await deps.store.get<RefundDoc>('refunds', requested.id))?.submitted).toBe(true);

  // Its notifications are lost; the next runs find the outcome by querying.
  deps.inbox.respond = () => 500;
  deps.clock.advance(5_000);
  await deliver(deps);
  await deliver(deps);
  deps.clock.advance(61_000);
  expect(await run('syncRefunds')).toMatchObject({ checked: 1, changed: 1, failed: 0 });
  expect((await deps.store.get<RefundDoc>('refunds', requested.id))?.state).toBe('SUCCESS');
  expect(await run('syncRefunds')).toMatchObject({ checked: 0 });
  expect((await verifyLedger(deps.store)).ok).toBe(true);
});

test('the jobs are registered with the intervals the local stack runs them at', async () => {
  const { jobs } = await import('../../cloudfunctions/jobs/registry');
  expect(Object.keys(jobs)).toEqual(expect.arrayContaining(['queryPaying', 'closeExpired', 'syncRefunds']));
  for (const name of ['queryPaying', 'closeExpired', 'syncRefunds']) expect(jobs[name].everyMs).toBeGreaterThan(0);
});
