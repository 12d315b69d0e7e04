// Concurrency: many callers at once against one balance, one payment, one
// order, and every background job overlapping itself while business goes on.
// Whatever the interleaving, money moves once: one withdrawal of the whole
// balance, one credit for a payment however often it is notified, refunds
// never beyond what was paid, no job posting anything twice; the ledger
// verifies and no merchant balance goes negative. Sizes grow with PMS_STRESS=1;
// the seeded parts print their seed on failure (PMS_SEED=n replays one).
import { wechatpaySignatureHeaders } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import type { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { Accounts } from '../../cloudfunctions/core/domain/ledger';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import type { WithdrawalDoc } from '../../cloudfunctions/core/funds/docs';
import { pollWithdrawals } from '../../cloudfunctions/core/funds/withdrawals';
import { type BalanceDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { AnomalyDoc } from '../../cloudfunctions/core/payments/anomalies';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import { main as funds } from '../../cloudfunctions/funds';
import { jobs } from '../../cloudfunctions/jobs/registry';
import type { ApiResult } from '../../typings/api';
import type { Order, Payment, PaymentConfirmation, Product, Refund } from '../../typings/checkout';
import type { BankAccountStatus, WithdrawalRequested, WithdrawalView } from '../../typings/funds';
import {
  bindMerchant,
  buyerPays,
  checkout,
  deliver,
  key,
  notify,
  order,
  orderDoc,
  paidOrder,
  pay,
  routeNotificationsToPayNotify,
  seededProduct,
} from '../checkout/support';
import { availableMoney, bindSandboxMerchant } from '../funds/real';
import { admin, buyer, call, ok, type TestDeps, testDeps } from '../support/deps';
import {
  agreementProblems,
  allDocs,
  identityCodes,
  journalProblems,
  ledgerProblems,
  openShops,
  random,
  type Random,
  STRESS,
  seedFrom,
  type Shop,
} from './money-support';

jest.setTimeout(STRESS ? 600_000 : 60_000);

let deps: TestDeps;
afterEach(async () => {
  await deps?.close();
});

const SCALE = STRESS ? 5 : 1;

/** Fails with the seed, so the run can be replayed with PMS_SEED. */
async function seeded<T>(seed: number, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as Error;
    e.message = `${what} failed with seed ${seed} (replay: PMS_SEED=${seed}): ${e.message}`;
    throw e;
  }
}

async function ledgerSound(appids: string[]): Promise<void> {
  expect(await ledgerProblems(deps, appids)).toEqual([]);
  expect(await journalProblems(deps)).toEqual([]);
}

// ---- 1. simultaneous withdrawals of the whole balance ---------------------------------------

/**
 * A way of running the race. Today one withdrawal a day decides it; a variant
 * with the daily limit lifted (so that only the balance guard decides) adds
 * itself here with its own `prepare` and the refusals it allows.
 */
interface WithdrawalRace {
  name: string;
  /** Runs after the merchant has its available money, before the requests. */
  prepare?: (deps: TestDeps) => void | Promise<void>;
  /** The codes the losers may get. */
  refusals: string[];
}

const RACES: WithdrawalRace[] = [
  {
    name: 'one withdrawal a day decides',
    refusals: ['FUNDS.WITHDRAWAL_DAILY_LIMIT', 'FUNDS.INSUFFICIENT_BALANCE'],
  },
  {
    // PMS_WITHDRAWAL_DAILY_LIMIT=off: only the ledger's balance guard stands between 200 confirmations and the money.
    name: 'the daily limit lifted, the balance guard decides',
    prepare: (d) => {
      d.config.oneWithdrawalADay = false;
    },
    refusals: ['FUNDS.INSUFFICIENT_BALANCE'],
  },
];

const WITHDRAWERS = 200 * SCALE;

describe.each(RACES)(`${WITHDRAWERS} simultaneous full-balance withdrawals: $name`, (race) => {
  test('exactly one moves money, at our end and at WeChat Pay', async () => {
    deps = await testDeps();
    const merchant = await bindSandboxMerchant(deps);
    const available = await availableMoney(deps, 2);
    await race.prepare?.(deps);
    const requested = await Promise.all(
      Array.from({ length: WITHDRAWERS }, (_, i) =>
        call<WithdrawalRequested>(
          funds,
          admin,
          'requestWithdrawal',
          { amountFen: available },
          `race-req-${String(i).padStart(5, '0')}`,
        ),
      ),
    );
    // Asking moves nothing, so every request is accepted.
    const ids = requested.map((r) => {
      if (!r.ok) throw new Error(`a request was refused: ${r.error.code}`);
      return r.data.withdrawal.id;
    });
    const codes = identityCodes(deps.dataDir);
    const results = await Promise.all(
      ids.map((withdrawalId, i) =>
        call<WithdrawalView>(
          funds,
          admin,
          'confirmWithdrawal',
          { withdrawalId, proof: { code: codes.get(withdrawalId) } },
          `race-cfm-${String(i).padStart(5, '0')}`,
        ),
      ),
    );
    const winners = results.filter((r): r is Extract<ApiResult<WithdrawalView>, { ok: true }> => r.ok);
    expect(winners).toHaveLength(1);
    const refusals = new Map<string, number>();
    for (const r of results) if (!r.ok) refusals.set(r.error.code, (refusals.get(r.error.code) ?? 0) + 1);
    expect([...refusals.keys()].filter((code) => !race.refusals.includes(code))).toEqual([]);

    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 0,
      withdrawingFen: available,
    });
    expect(await deps.store.count('journal', { kind: 'withdrawal' })).toBe(1);
    const states = (await allDocs<WithdrawalDoc>(deps, 'withdrawals')).map((w) => w.state);
    expect(states.filter((s) => s === 'CREATED')).toHaveLength(1);
    // No loser is left waiting for a confirmation it can never get.
    expect(states.filter((s) => s === 'AWAITING_CONFIRMATION')).toEqual([]);
    // WeChat Pay got one withdrawal, of the whole balance.
    const atWeChat = deps.sandbox.ctx.state.list<{ amount: number; out_request_no: string }>('withdraw', {
      merchant: merchant.subMchid,
    });
    expect(atWeChat.map((w) => [w.out_request_no, w.amount])).toEqual([[winners[0].data.id, available]]);
    expect(deps.sandbox.balance(merchant.subMchid)).toBe(0);
    await ledgerSound([DEMO_APPID]);

    // The bank pays it: the money has left, once.
    deps.clock.advance(6_000);
    expect(await pollWithdrawals(deps)).toMatchObject({ paid: 1, failed: 0 });
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 0,
      withdrawingFen: 0,
    });
    expect((await deps.store.get<BalanceDoc>('balances', Accounts.bank(DEMO_APPID)))?.balanceFen).toBe(available);
    expect(await agreementProblems(deps, [shopOf(merchant)])).toEqual([]);
    await ledgerSound([DEMO_APPID]);
  });
});

function shopOf(m: MerchantDoc): Shop {
  return {
    appid: m.appid,
    admin,
    entityName: m.name,
    ratePpm: m.feeRatePpm,
    subMchid: m.subMchid,
    accountNumber: '6222000000000000',
  };
}

// ---- 2. one payment notified again and again, all at once -----------------------------------

const DUPLICATES = 100 * SCALE;

test(`${DUPLICATES} concurrent duplicates of a payment notification (with confirmations and queries racing them): one credit`, async () => {
  deps = await testDeps({}, { tickMs: 0 });
  const merchant = await bindMerchant(deps, 6000);
  const tea = await seededProduct(deps, /Longjing/);
  const created = await order(deps, [{ productId: tea.id, quantity: 2 }]); // 13600 fen, fee 82
  const payment = await pay(created.id);
  // The sandbox's own delivery is captured and answered 503, so nothing is credited before the race.
  deps.inbox.respond = () => 503;
  buyerPays(deps, payment);
  await deliver(deps);
  const [original] = deps.inbox.received;
  expect((await orderDoc(deps, created.id)).state).toBe('PAYING');

  // Past the query job's grace period, so it races too; every copy signed afresh, like WeChat's retries.
  deps.clock.advance(61_000);
  const resend = () =>
    notify(
      wechatpaySignatureHeaders(
        original.body,
        deps.sandbox.keys.platformKeyId,
        deps.sandbox.keys.platformPrivateKey,
        deps.clock.now(),
      ),
      original.body,
    );
  const racers: Array<Promise<unknown>> = Array.from({ length: DUPLICATES }, resend);
  const confirmations: Array<Promise<ApiResult<PaymentConfirmation>>> = [];
  for (let i = 0; i < 10; i++) {
    const confirmation = call<PaymentConfirmation>(checkout, buyer, 'confirmPayment', { orderId: created.id });
    confirmations.push(confirmation);
    racers.splice(i * 10, 0, confirmation, jobs.queryPaying.run(deps));
  }
  const replies = (await Promise.all(racers)).filter(
    (r): r is { statusCode: number } => typeof r === 'object' && r !== null && 'statusCode' in r,
  );
  expect(replies).toHaveLength(DUPLICATES);
  expect(new Set(replies.map((r) => r.statusCode))).toEqual(new Set([204]));
  for (const c of await Promise.all(confirmations)) expect(c).toMatchObject({ ok: true, data: { state: 'PAID' } });

  const doc = await orderDoc(deps, created.id);
  expect(doc).toMatchObject({ state: 'PAID', feeFen: 82, settlementState: 'PENDING', refundedFen: 0 });
  expect(await deps.store.count('journal')).toBe(1);
  expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
    pendingFen: 13600 - 82,
    availableFen: 0,
    withdrawingFen: 0,
  });
  expect((await deps.store.get<BalanceDoc>('balances', Accounts.fees(DEMO_APPID)))?.balanceFen).toBe(82);
  expect(await allDocs<AnomalyDoc>(deps, 'paymentAnomalies')).toEqual([]);
  await ledgerSound([DEMO_APPID]);
  expect(await agreementProblems(deps, [shopOf(merchant)])).toEqual([]);
});

// ---- 3. refunds racing for one order ---------------------------------------------------------

const REFUNDERS = 20 * SCALE;

describe(`${REFUNDERS} concurrent refunds that together exceed the paid amount`, () => {
  /** A paid order of 10000 fen (fee 60) through the real checkout and the sandbox. */
  async function paid10000(): Promise<string> {
    const p = await ok<Product>(
      call(checkout, admin, 'saveProduct', { name: 'Teapot', priceFen: 10000, active: true }, key('product')),
    );
    return (await paidOrder(deps, [{ productId: p.id, quantity: 1 }])).id;
  }

  /** Amounts that add up to well over 10000: 20 refunds of 500-1500 fen, a few of them large. */
  function amounts(r: Random): number[] {
    return Array.from({ length: REFUNDERS }, (_, i) => (i % 7 === 3 ? r.int(3000, 9000) : r.int(500, 1500)));
  }

  test.each([
    ['before settlement: from pending', false],
    ['after settlement, racing a withdrawal of the whole balance: from available', true],
  ])('%s', async (_name, settled) => {
    const seed = seedFrom('PMS_SEED');
    await seeded(seed, 'refund race', async () => {
      const r = random(seed);
      deps = await testDeps();
      const merchant = await bindSandboxMerchant(deps);
      const orderId = await paid10000();
      const net = 10000 - 60;
      let withdrawal: Promise<ApiResult<WithdrawalView>> | null = null;
      if (settled) {
        deps.clock.advance(24 * 3600_000);
        expect(await jobs.settle.run(deps)).toMatchObject({ settled: 1 });
        const requested = await ok(
          call<WithdrawalRequested>(funds, admin, 'requestWithdrawal', { amountFen: net }, key('wd')),
        );
        const code = identityCodes(deps.dataDir).get(requested.withdrawal.id);
        withdrawal = call<WithdrawalView>(
          funds,
          admin,
          'confirmWithdrawal',
          { withdrawalId: requested.withdrawal.id, proof: { code } },
          key('wdc'),
        );
      }
      const asked = amounts(r);
      expect(asked.reduce((a, b) => a + b, 0)).toBeGreaterThan(10000);
      const racing = asked.map((amountFen) =>
        call<Refund>(checkout, admin, 'refund', { orderId, amountFen }, key('refund')),
      );
      // The withdrawal joins the race in the middle.
      const [results, withdrawn] = await Promise.all([Promise.all(racing), withdrawal]);
      const accepted = results.flatMap((x) => (x.ok ? [x.data.amountFen] : [])).reduce((a, b) => a + b, 0);
      const allowed = settled ? ['REFUND.EXCEEDS_PAID', 'FUNDS.INSUFFICIENT_BALANCE'] : ['REFUND.EXCEEDS_PAID'];
      expect(results.flatMap((x) => (x.ok ? [] : [x.error.code])).filter((c) => !allowed.includes(c))).toEqual([]);
      expect(accepted).toBeLessThanOrEqual(10000);

      const doc = await orderDoc(deps, orderId);
      expect(doc.refundedFen).toBe(accepted);
      // Each refund refused as too much was too much even for what was left at the end.
      results.forEach((x, i) => {
        if (!x.ok && x.error.code === 'REFUND.EXCEEDS_PAID') expect(asked[i]).toBeGreaterThan(10000 - accepted);
      });
      const docs = await allDocs<RefundDoc>(deps, 'refunds');
      expect(docs.filter((d) => d.state !== 'CLOSED').reduce((a, d) => a + d.amountFen, 0)).toBe(accepted);
      const feeBack = docs.filter((d) => d.state !== 'CLOSED').reduce((a, d) => a + d.feeReturnedFen, 0);
      expect(feeBack).toBe(doc.feeReturnedFen);
      expect(feeBack).toBeLessThanOrEqual(60);
      if (accepted === 10000) expect(feeBack).toBe(60);

      const taken = accepted - feeBack;
      const withdrawnFen = withdrawn?.ok ? net : 0;
      if (withdrawn && !withdrawn.ok) expect(withdrawn.error.code).toBe('FUNDS.INSUFFICIENT_BALANCE');
      expect(taken + withdrawnFen).toBeLessThanOrEqual(net);
      expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual(
        settled
          ? { pendingFen: 0, availableFen: net - taken - withdrawnFen, withdrawingFen: withdrawnFen }
          : { pendingFen: net - taken, availableFen: 0, withdrawingFen: 0 },
      );
      // WeChat Pay received exactly the accepted refunds.
      const atWeChat = deps.sandbox.ctx.state.list<{ amount_refund: number }>('refund', {
        merchant: merchant.subMchid,
      });
      expect(atWeChat.reduce((a, x) => a + x.amount_refund, 0)).toBe(accepted);
      await ledgerSound([DEMO_APPID]);

      // They all complete; the money stays where it went.
      deps.clock.advance(6_000);
      routeNotificationsToPayNotify(deps);
      await deliver(deps);
      await deliver(deps);
      await pollWithdrawals(deps);
      expect((await allDocs<RefundDoc>(deps, 'refunds')).every((d) => d.state === 'SUCCESS')).toBe(true);
      expect(await agreementProblems(deps, [shopOf(merchant)])).toEqual([]);
      await ledgerSound([DEMO_APPID]);
    });
  });
});

// ---- 4. every job overlapping itself, during business -------------------------------------

const ROUNDS = 8 * SCALE;

interface Losses {
  /** Whether requests and answers are being lost (off while converging). */
  on: boolean;
  refund: number;
  withdraw: number;
  /** Refund requests sent, and lost before WeChat Pay got them, by refund number. */
  refundsSent: Map<string, { sent: number; lostBefore: number }>;
}

/** The real provider, but some refund and withdrawal requests or answers are lost (before or after WeChat Pay got them). */
function lossyPay(real: WechatPayProvider, r: Random, losses: Losses): WechatPayProvider {
  return new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (prop !== 'refund' && prop !== 'withdraw') return method.bind(target);
      return async (...args: unknown[]) => {
        let tally = { sent: 0, lostBefore: 0 };
        if (prop === 'refund') {
          const no = (args[0] as { outRefundNo: string }).outRefundNo;
          tally = losses.refundsSent.get(no) ?? tally;
          losses.refundsSent.set(no, tally);
          tally.sent++;
        }
        const roll = losses.on ? r.next() : 1;
        if (roll < 0.1) {
          losses[prop]++;
          tally.lostBefore++;
          throw new Error(`socket hang up (the ${prop} request was lost on its way)`);
        }
        const answer = await method.apply(target, args);
        if (roll < 0.2) {
          losses[prop]++;
          throw new Error(`socket hang up (the ${prop} answer was lost)`);
        }
        return answer;
      };
    },
  });
}

test(`every job run twice at once, ${ROUNDS} rounds, during orders, payments, refunds, withdrawals and bank changes`, async () => {
  const seed = seedFrom('PMS_SEED');
  await seeded(seed, 'overlapping jobs', async () => {
    const r = random(seed);
    deps = await testDeps();
    const shops = await openShops(deps, 2);
    const appids = shops.map((s) => s.appid);
    const lost: Losses = { on: true, refund: 0, withdraw: 0, refundsSent: new Map() };
    deps.pay = lossyPay(deps.pay, r, lost);
    // Notifications reach payNotify, but one in five is answered 503 (WeChat retries; the query job recovers).
    deps.inbox.respond = async (n) => (r.chance(0.2) ? 503 : (await notify(n.headers, n.body)).statusCode);

    const buyers = (shop: Shop): Identity[] =>
      [1, 2, 3].map((i) => ({ openid: `o_buyer_overlap_${shop.appid.slice(-4)}_${i}`, appid: shop.appid }));
    const catalogue = new Map<string, Product[]>();
    for (const shop of shops)
      catalogue.set(
        shop.appid,
        (await ok<{ items: Product[] }>(call(checkout, buyers(shop)[0], 'listProducts', {}))).items,
      );

    const internal: string[] = [];
    const watch = async <T>(what: string, p: Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
      const res = await p;
      if (!res.ok && res.error.code === 'INTERNAL') internal.push(`${what}: INTERNAL`);
      return res;
    };
    const jobFailures: string[] = [];
    const jobRuns: Record<string, number> = {};
    const overlapping = () =>
      Object.entries(jobs).flatMap(([name, job]) =>
        [0, 1].map(async () => {
          jobRuns[name] = (jobRuns[name] ?? 0) + 1;
          try {
            await job.run(deps);
          } catch (err) {
            jobFailures.push(`${name}: ${(err as Error).message}`);
          }
        }),
      );

    /** One buyer's purchase: order, prepay, and (mostly) the payment. */
    const purchase = async (shop: Shop) => {
      const who = r.pick(buyers(shop));
      const product = r.pick(catalogue.get(shop.appid) ?? []);
      const created = await watch(
        'createOrder',
        call<Order>(
          checkout,
          who,
          'createOrder',
          { items: [{ productId: product.id, quantity: r.int(1, 3) }] },
          key('o'),
        ),
      );
      if (!created.ok) return;
      const payment = await watch('pay', call<Payment>(checkout, who, 'pay', { orderId: created.data.id }));
      if (!payment.ok || r.chance(0.15)) return; // some buyers walk away: the order expires
      deps.sandbox.pay({ appid: shop.appid, ...payment.data.params, result: 'SUCCESS' });
      if (r.chance(0.5))
        await watch('confirmPayment', call(checkout, who, 'confirmPayment', { orderId: created.data.id }));
    };

    // Orders with a refund WeChat Pay closed get no more refunds: one asked for before we hear of the close gets a
    // fee share counted with the closed one, a fen off WeChat Pay's (a known bug, reported; see model.test.ts).
    const closedAtWeChat = new Set<string>();
    const refundSome = async (shop: Shop) => {
      const paid = (await allDocs<OrderDoc>(deps, 'orders', { appid: shop.appid, state: 'PAID' })).filter(
        (o) => !closedAtWeChat.has(o._id),
      );
      if (!paid.length) return;
      const o = r.pick(paid);
      const left = o.totalFen - o.refundedFen;
      const amountFen = r.chance(0.3) ? Math.max(1, left) : r.int(1, Math.max(1, Math.floor(o.totalFen / 2)));
      await watch('refund', call(checkout, shop.admin, 'refund', { orderId: o._id, amountFen }, key('rf')));
    };

    const withdrawSome = async (shop: Shop) => {
      const { availableFen } = await merchantBalances(deps.store, shop.appid);
      if (availableFen < 1) return;
      const requested = await watch(
        'requestWithdrawal',
        call<WithdrawalRequested>(
          funds,
          shop.admin,
          'requestWithdrawal',
          { amountFen: r.int(1, availableFen) },
          key('w'),
        ),
      );
      if (!requested.ok) return;
      const id = requested.data.withdrawal.id;
      await watch(
        'confirmWithdrawal',
        call(
          funds,
          shop.admin,
          'confirmWithdrawal',
          { withdrawalId: id, proof: { code: identityCodes(deps.dataDir).get(id) } },
          key('wc'),
        ),
      );
    };

    let accountSeq = 100;
    const changeBank = async (shop: Shop) => {
      await watch(
        'changeBankAccount',
        call<BankAccountStatus>(
          funds,
          shop.admin,
          'changeBankAccount',
          {
            accountType: 'CORPORATE',
            accountBank: '招商银行',
            bankAddressCode: '440300',
            accountName: shop.entityName,
            accountNumber: `62148300${String(++accountSeq).padStart(8, '0')}`,
          },
          key('bank'),
        ),
      );
    };

    /** WeChat Pay's own moves: a refund closed, the bank failing or returning a withdrawal. */
    const wechatActs = async (shop: Shop) => {
      deps.sandbox.ctx.applyDue();
      const open = deps.sandbox.ctx.state
        .list<{ out_refund_no: string; out_trade_no: string; status: string }>('refund', { merchant: shop.subMchid })
        .filter((x) => x.status === 'PROCESSING');
      if (open.length && r.chance(0.5)) {
        const closing = r.pick(open);
        closedAtWeChat.add(closing.out_trade_no);
        deps.sandbox.forceRefund(closing.out_refund_no, 'CLOSED', shop.subMchid);
      }
      // A bank bounces a payout within the days the poll watches paid withdrawals (three; two here).
      const watched = new Set(
        (await allDocs<WithdrawalDoc>(deps, 'withdrawals', { appid: shop.appid }))
          .filter(
            (w) =>
              w.state === 'CREATED' ||
              (w.state === 'SUCCESS' && Date.parse(w.updatedAt) >= deps.clock.now().getTime() - 2 * 24 * 3600_000),
          )
          .map((w) => w._id),
      );
      const paidOut = deps.sandbox.ctx.state
        .list<{ withdraw_id: string; out_request_no: string; status: string }>('withdraw', { merchant: shop.subMchid })
        .filter((x) => x.status === 'SUCCESS' && watched.has(x.out_request_no));
      if (paidOut.length && r.chance(0.3))
        deps.sandbox.forceWithdraw(r.pick(paidOut).withdraw_id, 'REFUND', '银行退票');
    };

    for (let round = 0; round < ROUNDS; round++) {
      deps.sandbox.setBank(r.chance(0.3) ? 'fail' : 'succeed', '户名不符');
      for (let wave = 0; wave < 3; wave++) {
        // WeChat Pay's own moves first, so no refund of this wave is already on its way for an order it closes one of.
        if (wave === 0) for (const shop of shops) await wechatActs(shop);
        const activity: Array<Promise<unknown>> = [];
        for (const shop of shops) {
          for (let i = 0; i < 3; i++) activity.push(purchase(shop));
          activity.push(refundSome(shop), refundSome(shop));
          if (wave === 0) activity.push(withdrawSome(shop));
          if (wave === 1 && r.chance(0.4)) activity.push(changeBank(shop));
        }
        activity.push(deps.sandbox.flush());
        await Promise.all([...activity, ...overlapping()]);
      }
      expect({ round, problems: await ledgerProblems(deps, appids) }).toEqual({ round, problems: [] });
      // Time passes: seconds to minutes, and every third round a day (settlement, a new withdrawal day).
      deps.clock.advance(round % 3 === 2 ? 24 * 3600_000 : r.int(5_000, 120_000));
    }

    // Converge: nothing lost any more, time for every retry, every job until quiet.
    lost.on = false;
    deps.inbox.respond = async (n) => (await notify(n.headers, n.body)).statusCode;
    deps.sandbox.setBank('succeed');
    for (let i = 0; i < 6; i++) {
      deps.clock.advance(i === 3 ? 24 * 3600_000 : 10 * 60_000);
      await deps.sandbox.flush();
      await deps.sandbox.flush();
      await Promise.all(overlapping());
    }

    expect(jobFailures).toEqual([]);
    expect(internal).toEqual([]);
    // A refund is sent again only when WeChat Pay never got it: overlapping refund syncs resend it once, not once each.
    const resentTooOften = [...lost.refundsSent].filter(([, t]) => t.sent > 1 + t.lostBefore);
    expect(resentTooOften).toEqual([]);
    const resent = [...lost.refundsSent.values()].reduce((sum, t) => sum + t.sent - 1, 0);
    await ledgerSound(appids);
    expect(await agreementProblems(deps, shops)).toEqual([]);
    // The business really happened.
    const counts = {
      paid: (await allDocs<OrderDoc>(deps, 'orders', { state: 'PAID' })).length,
      closed: (await allDocs<OrderDoc>(deps, 'orders', { state: 'CLOSED' })).length,
      refunds: (await allDocs<RefundDoc>(deps, 'refunds')).length,
      withdrawals: (await allDocs<WithdrawalDoc>(deps, 'withdrawals', { state: 'SUCCESS' })).length,
      journal: await deps.store.count('journal'),
    };
    expect(counts.paid).toBeGreaterThan(10);
    expect(counts.refunds).toBeGreaterThan(5);
    console.log(
      `overlapping jobs (seed ${seed}): ${ROUNDS} rounds, job runs ${JSON.stringify(jobRuns)}, ${JSON.stringify(counts)}, lost ${lost.refund} refund and ${lost.withdraw} withdrawal requests or answers, ${resent} refund requests resent`,
    );
  });
});
