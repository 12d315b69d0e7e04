// The refund job resends a refund WeChat Pay never received. Runs overlap (a
// slow run and the next timer, two instances), so each resend is claimed
// first with a conditional update of a short lease: overlapping runs send it
// once, and a claim that lapses lets a later run try again.
import { main as jobsMain } from '../../cloudfunctions/jobs';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import { RESEND_LEASE_MS, syncOpenRefunds } from '../../cloudfunctions/core/payments/sync-refunds';
import type { PayProvider } from '../../cloudfunctions/core/ports/pay';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { Refund } from '../../typings/checkout';
import { admin, call, ok, testDeps, type TestDeps } from '../support/deps';
import { bindMerchant, checkout, key, paidOrder, seededProduct } from '../checkout/support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
  await bindMerchant(deps);
});
afterEach(async () => {
  await deps.close();
});

const run = () => jobsMain({ only: ['syncRefunds'] }).then((r) => r.syncRefunds as Record<string, number>);

/** A refund recorded while WeChat Pay was unreachable: unsent, and old enough for the job. */
async function unsentRefund(): Promise<RefundDoc> {
  const tea = await seededProduct(deps, /Longjing/);
  const paid = await paidOrder(deps, [{ productId: tea.id, quantity: 1 }]);
  const reachable = deps.pay;
  deps.pay = WechatPayProvider.fromSandboxDir(deps.sandbox.dir, 'http://127.0.0.1:9', deps.clock);
  const requested = await ok<Refund>(call(checkout, admin, 'refund', { orderId: paid.id, amountFen: 6800 }, key()));
  deps.pay = reachable;
  deps.clock.advance(61_000);
  const doc = await deps.store.get<RefundDoc>('refunds', requested.id);
  expect(doc?.submitted).toBe(false);
  return doc as RefundDoc;
}

/**
 * The real provider, except that WeChat Pay has not heard of any refund yet
 * (queries find nothing) and each refund request is counted and held until
 * `release()`.
 */
function countingProvider<P extends PayProvider>(real: P) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: string[] = [];
  const provider = new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'queryRefund') return async () => null;
      if (name === 'refund')
        return async (request: Parameters<PayProvider['refund']>[0]) => {
          calls.push(request.outRefundNo);
          await gate;
          return target.refund(request);
        };
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { provider, calls, release: () => release() };
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('two overlapping runs resend an unsent refund once', async () => {
  const refund = await unsentRefund();
  const wx = countingProvider(deps.pay);
  deps.pay = wx.provider;

  const first = run();
  await until(() => wx.calls.length === 1, 'the first run to resend');
  // The first run's request is still in flight when the second run sees the same unsent refund.
  let secondDone = false;
  const second = run().finally(() => {
    secondDone = true;
  });
  await until(() => secondDone || wx.calls.length === 2, 'the second run to finish or resend');
  wx.release();
  const results = await Promise.all([first, second]);

  expect(wx.calls).toEqual([refund._id]);
  expect(results.map((r) => r.resent).sort()).toEqual([0, 1]);
  expect(results.every((r) => r.failed === 0)).toBe(true);
  const after = await deps.store.get<RefundDoc>('refunds', refund._id);
  expect(after?.submitted).toBe(true);
  expect(deps.sandbox.ctx.state.list('refund', {})).toHaveLength(1);
  expect((await verifyLedger(deps.store)).ok).toBe(true);
});

test('many overlapping runs: still one resend', async () => {
  const refund = await unsentRefund();
  const wx = countingProvider(deps.pay);
  deps.pay = wx.provider;
  const runs = Array.from({ length: 8 }, () => syncOpenRefunds(deps));
  await until(() => wx.calls.length >= 1, 'a resend');
  await new Promise((r) => setTimeout(r, 100));
  wx.release();
  const results = await Promise.all(runs);
  expect(wx.calls).toEqual([refund._id]);
  expect(results.reduce((n, r) => n + r.resent, 0)).toBe(1);
});

test('a claim whose resend went unanswered blocks other runs only until its lease lapses', async () => {
  const refund = await unsentRefund();
  // WeChat Pay knows nothing and does not answer refund requests.
  const calls: string[] = [];
  const real = deps.pay;
  deps.pay = new Proxy(real, {
    get(target, name, receiver) {
      if (name === 'queryRefund') return async () => null;
      if (name === 'refund')
        return async (request: { outRefundNo: string }) => {
          calls.push(request.outRefundNo);
          throw new TypeError('fetch failed');
        };
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  await run();
  expect(calls).toHaveLength(1);
  const claimed = await deps.store.get<RefundDoc>('refunds', refund._id);
  expect(claimed?.submitted).toBe(false);
  expect(Date.parse(claimed?.resendingUntil ?? '')).toBe(deps.clock.now().getTime() + RESEND_LEASE_MS);

  // Within the lease another run leaves it alone.
  deps.clock.advance(RESEND_LEASE_MS - 1_000);
  await run();
  expect(calls).toHaveLength(1);

  // Once it lapses, the next run claims it again and resends.
  deps.clock.advance(2_000);
  await run();
  expect(calls).toHaveLength(2);

  // WeChat Pay is back: the next run after that lease gets it through.
  deps.pay = real;
  deps.clock.advance(RESEND_LEASE_MS + 1_000);
  expect(await run()).toMatchObject({ checked: 1, resent: 1, failed: 0 });
  expect((await deps.store.get<RefundDoc>('refunds', refund._id))?.submitted).toBe(true);
});
