// Hardening of refunds (issue 12, item 4): an idempotency key names one refund
// of an order. Only the same admin asking the same amount with the same reason
// gets that refund back; anyone or anything else is refused with
// INPUT.IDEMPOTENCY_KEY_REUSED instead of silently getting another's refund.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { Refund } from '../../typings/checkout';
import { admin, call, errorOf, ok, testDeps, type TestDeps } from '../support/deps';
import { bindMerchant, checkout, key, orderDoc, paidOrder } from './support';

const ADMIN_B: Identity = { openid: 'o_admin_0000000000000000002', appid: DEMO_APPID };

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  deps.config.miniPrograms[DEMO_APPID].admins.push(ADMIN_B.openid);
  await bindMerchant(deps, 6000);
});
afterEach(async () => {
  await deps.close();
});

async function paid10000(): Promise<string> {
  const p = await ok<{ id: string }>(
    call(checkout, admin, 'saveProduct', { name: 'Teapot', priceFen: 10000, active: true }, key('product')),
  );
  return (await paidOrder(deps, [{ productId: p.id, quantity: 1 }])).id;
}

const refund = (who: Identity, orderId: string, amountFen: number, k: string, reason?: string) =>
  call<Refund>(checkout, who, 'refund', { orderId, amountFen, ...(reason ? { reason } : {}) }, k);

/** Forgets the router's replay records, so a call reaches the refund use case itself. */
async function forgetReplays(): Promise<void> {
  for (const rec of (await deps.store.find('idempotency', {})).items) await deps.store.remove('idempotency', rec._id);
}

async function nothingMoreThan(orderId: string, refundedFen: number, refunds: number): Promise<void> {
  expect((await orderDoc(deps, orderId)).refundedFen).toBe(refundedFen);
  expect(await deps.store.count('refunds')).toBe(refunds);
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(refunds);
  expect((await verifyLedger(deps.store)).ok).toBe(true);
}

test("admin B reusing admin A's key on the same order is refused, not handed A's refund", async () => {
  const orderId = await paid10000();
  const k = key('shared');
  const first = await ok(refund(admin, orderId, 100, k));
  expect(first).toMatchObject({ amountFen: 100, state: 'PROCESSING' });

  // Another amount: before the fix B got ok and A's 100-fen refund, and B's 300 was dropped.
  const other = await errorOf(refund(ADMIN_B, orderId, 300, k));
  expect(other.code).toBe('INPUT.IDEMPOTENCY_KEY_REUSED');
  // Even the very same request from another admin is not a retry of A's.
  expect((await errorOf(refund(ADMIN_B, orderId, 100, k))).code).toBe('INPUT.IDEMPOTENCY_KEY_REUSED');
  await nothingMoreThan(orderId, 100, 1);

  // A's true retry still gets the first result, through the replay record and without it.
  expect((await ok(refund(admin, orderId, 100, k))).id).toBe(first.id);
  await forgetReplays();
  expect((await ok(refund(admin, orderId, 100, k))).id).toBe(first.id);
  // B with a key of its own refunds normally.
  expect(await ok(refund(ADMIN_B, orderId, 300, key('b')))).toMatchObject({ amountFen: 300 });
  await nothingMoreThan(orderId, 400, 2);
  const docs = (await deps.store.find<RefundDoc>('refunds', { orderBy: [['amountFen', 'asc']] })).items;
  expect(docs.map((d) => [d.amountFen, d.requestedBy])).toEqual([
    [100, admin.openid],
    [300, ADMIN_B.openid],
  ]);
});

test('the same admin reusing a key for another amount or reason is refused at the refund too', async () => {
  const orderId = await paid10000();
  const k = key('mine');
  const first = await ok(refund(admin, orderId, 100, k, 'damaged'));
  // With the router's replay record gone (it is removed when a call fails, and expires), the refund decides.
  await forgetReplays();
  expect((await errorOf(refund(admin, orderId, 300, k, 'damaged'))).code).toBe('INPUT.IDEMPOTENCY_KEY_REUSED');
  await forgetReplays();
  expect((await errorOf(refund(admin, orderId, 100, k, 'late'))).code).toBe('INPUT.IDEMPOTENCY_KEY_REUSED');
  await forgetReplays();
  expect((await errorOf(refund(admin, orderId, 100, k))).code).toBe('INPUT.IDEMPOTENCY_KEY_REUSED');
  await forgetReplays();
  expect((await ok(refund(admin, orderId, 100, k, 'damaged'))).id).toBe(first.id);
  await nothingMoreThan(orderId, 100, 1);
});

test('two admins racing with one key: one refund, the other refused (never INTERNAL)', async () => {
  const orderId = await paid10000();
  const k = key('race');
  const [a, b] = await Promise.all([refund(admin, orderId, 100, k), refund(ADMIN_B, orderId, 300, k)]);
  const outcomes = [a, b].map((r) => (r.ok ? `ok ${r.data.amountFen}` : r.error.code)).sort();
  expect(outcomes).toHaveLength(2);
  expect(outcomes.filter((o) => o.startsWith('ok'))).toHaveLength(1);
  expect(outcomes.filter((o) => o === 'INPUT.IDEMPOTENCY_KEY_REUSED')).toHaveLength(1);
  const [doc] = (await deps.store.find<RefundDoc>('refunds', {})).items;
  await nothingMoreThan(orderId, doc.amountFen, 1);
});
