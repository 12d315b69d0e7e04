// A seeded model test: random operations across three mini programs (each
// with its own admin and bound WeChat Pay sub-merchant at its own fee rate)
// run through the real functions, the real jobs and the WeChat Pay sandbox,
// against a small model of what must follow: orders, payments (notifications
// duplicated, failed, retried, replayed out of order), refunds (partial, full,
// over the limit, closed by WeChat Pay), settlement as the clock moves,
// withdrawals (identity check, one a day, the bank failing or returning
// them) and bank account changes under review.
//
// The model predicts every call's answer and every document's state and
// amounts; the sandbox stands for the outside world (what WeChat Pay and the
// bank decided). After every step: the ledger verifies, no merchant balance is
// negative, and pending, available, withdrawing, fees and bank equal the
// model's. Every so often everything is let converge and the project must
// agree with WeChat Pay exactly. A failure prints the seed, the step and the
// steps before it. PMS_MODEL_OPS=n sets the number of steps (default 2000,
// 5000 with PMS_STRESS=1), PMS_SEED=n replays a seed, PMS_MODEL_TRAIL=n prints
// the last n steps on failure (15).
import { addDays, beijingDate } from '../../miniprogram/shared/beijing';
import { lowerCasedHeaders } from '../../cloudfunctions/core/runtime/http';
import { settlementDaysFrom } from '../../cloudfunctions/core/domain/funds/settlement';
import { RETURN_WATCH_MS } from '../../cloudfunctions/core/domain/funds/withdrawal';
import { Accounts } from '../../cloudfunctions/core/domain/ledger';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import type { BankAccountDoc, BankChangeDoc, WithdrawalDoc } from '../../cloudfunctions/core/funds/docs';
import { type BalanceDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import { main as funds } from '../../cloudfunctions/funds';
import { jobs } from '../../cloudfunctions/jobs/registry';
import type { ApiResult } from '../../typings/api';
import type {
  Order,
  OrderState,
  PayParams,
  Payment,
  PaymentConfirmation,
  Product,
  Refund,
} from '../../typings/checkout';
import type { BankAccountStatus, WithdrawalRequested, WithdrawalView } from '../../typings/funds';
import { wechatpaySignatureHeaders } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { checkout, notify } from '../checkout/support';
import { call, type TestDeps, testDeps } from '../support/deps';
import {
  agreementProblems,
  allDocs,
  identityCodes,
  journalProblems,
  ledgerProblems,
  openShops,
  type Random,
  random,
  STRESS,
  seedFrom,
  type Shop,
  sizeFrom,
} from './money-support';

const OPS = sizeFrom('PMS_MODEL_OPS', STRESS ? 5000 : 2000);
jest.setTimeout(Math.max(60_000, OPS * 400));

// ---- the model's own arithmetic (written independently of the product's) -------------------

/** WeChat Pay's fee: the rate in ppm, rounded half up to the fen. */
const feeOf = (amountFen: number, ratePpm: number) => Math.floor((amountFen * ratePpm + 500_000) / 1_000_000);

/** The fee a refund gives back: the order's fee in proportion to all refunded so far (half up), less what went back already. */
function feeShare(o: MOrder, refundFen: number): number {
  const after = o.refundedFen + refundFen;
  const left = o.feeFen - o.feeReturnedFen;
  if (after === o.totalFen) return left;
  const target = Math.floor((2 * o.feeFen * after + o.totalFen) / (2 * o.totalFen));
  return Math.min(Math.max(target - o.feeReturnedFen, 0), left);
}

const last4 = (n: string) => n.slice(-4);

// ---- the model -----------------------------------------------------------------------------------

interface MOrder {
  id: string;
  shop: Shop;
  buyer: Identity;
  totalFen: number;
  state: OrderState;
  expiresAt: number;
  /** When the prepay record was last written (a PAYING order's updatedAt). */
  prepayAt: number | null;
  params: PayParams | null;
  /** The outside world: the buyer paid at WeChat Pay (and when), WeChat Pay closed it. */
  wxPaidAt: number | null;
  wxClosed: boolean;
  feeFen: number;
  refundedFen: number;
  feeReturnedFen: number;
  paidAt: number | null;
  settled: boolean;
}

interface MRefund {
  id: string;
  order: MOrder;
  amountFen: number;
  feeReturnedFen: number;
  state: 'PROCESSING' | 'SUCCESS' | 'CLOSED';
  createdAt: number;
}

interface MWithdrawal {
  id: string;
  shop: Shop;
  admin: Identity;
  amountFen: number;
  state: WithdrawalDoc['state'];
  requestedAt: number;
  confirmedDay: string | null;
  finishedAt: number | null;
  attempts: number;
}

interface MShop {
  shop: Shop;
  buyers: Identity[];
  products: Product[];
  account: string;
  accountBank: string;
  change: { id: string; number: string; bank: string } | null;
  changesByDay: Map<string, number>;
  accountSeq: number;
}

/** What a notification said, as WeChat Pay sent it. */
interface Heard {
  kind: 'transaction' | 'refund';
  /** Order or refund id. */
  id: string;
  status: string;
  headers: Record<string, string>;
  body: string;
}

class ModelFailure extends Error {}

test(`seeded model: ${OPS} random operations across three mini programs, invariants after every step`, async () => {
  const seed = seedFrom('PMS_SEED');
  const r = random(seed);
  const started = Date.now();
  const deps = await testDeps({}, { tickMs: 0 });
  const trail: string[] = [];
  let step = 0;
  const counts: Record<string, number> = {};
  try {
    await run(
      deps,
      r,
      trail,
      counts,
      () => step,
      (n) => (step = n),
    );
  } catch (err) {
    const e = err as Error;
    e.message =
      `model test failed at step ${step} of ${OPS} with seed ${seed} (replay: PMS_SEED=${seed} PMS_MODEL_OPS=${OPS}): ${e.message}\n` +
      `last steps (PMS_MODEL_TRAIL=n shows more):\n  ${trail.slice(-sizeFrom('PMS_MODEL_TRAIL', 15)).join('\n  ')}`;
    throw e;
  } finally {
    await deps.close();
  }
  console.log(
    `model (seed ${seed}): ${OPS} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; ${JSON.stringify(
      Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    )}`,
  );
});

async function run(
  deps: TestDeps,
  r: Random,
  trail: string[],
  counts: Record<string, number>,
  stepNow: () => number,
  setStep: (n: number) => void,
): Promise<void> {
  const shops = await openShops(deps, 3);
  const model = {
    shops: new Map<string, MShop>(),
    orders: new Map<string, MOrder>(),
    refunds: new Map<string, MRefund>(),
    withdrawals: new Map<string, MWithdrawal>(),
  };
  let keys = 0;
  const key = (label: string) => `m-${label}-${String(++keys).padStart(6, '0')}`;
  const now = () => deps.clock.now().getTime();
  const today = () => beijingDate(deps.clock.now());
  const fail = (message: string): never => {
    throw new ModelFailure(message);
  };
  const count = (what: string, n = 1) => {
    counts[what] = (counts[what] ?? 0) + n;
  };

  async function expectOk<T>(what: string, p: Promise<ApiResult<T>>): Promise<T> {
    const res = await p;
    if (!res.ok) return fail(`${what}: expected ok, got ${res.error.code}: ${res.error.message}`);
    return res.data;
  }
  /** A step whose refusal the model predicted: its line in the trail. */
  const refused = (_: undefined, what: string) => `${what}: refused as predicted`;
  async function expectError(what: string, p: Promise<ApiResult<unknown>>, code: string): Promise<undefined> {
    const res = await p;
    if (res.ok) fail(`${what}: expected ${code}, got ok ${JSON.stringify(res.data).slice(0, 300)}`);
    else if (res.error.code !== code) fail(`${what}: expected ${code}, got ${res.error.code}: ${res.error.message}`);
    count(code);
    return undefined;
  }

  // ---- shops, their catalogues (with prices that exercise the fee's rounding) and buyers ----
  for (const shop of shops) {
    for (const [name, priceFen] of [
      ['Half-fen fee', 250],
      ['Odd', 83],
      ['Set', 12345],
    ] as const)
      await expectOk(
        'saveProduct',
        call(checkout, shop.admin, 'saveProduct', { name, priceFen, active: true }, key('p')),
      );
    const buyers = [1, 2, 3].map((i) => ({ openid: `o_model_buyer_${shop.appid.slice(-6)}_${i}`, appid: shop.appid }));
    const products = await expectOk<{ items: Product[] }>(
      'listProducts',
      call(checkout, buyers[0], 'listProducts', {}),
    );
    model.shops.set(shop.appid, {
      shop,
      buyers,
      products: products.items,
      account: shop.accountNumber,
      accountBank: '工商银行',
      change: null,
      changesByDay: new Map(),
      accountSeq: 0,
    });
  }
  const mshop = (shop: Shop) => model.shops.get(shop.appid) as MShop;

  // ---- the outside world through the sandbox --------------------------------------------------
  const ctx = deps.sandbox.ctx;
  const wxRefund = (ref: MRefund) => ctx.read<{ status: string }>('refund', `${ref.order.shop.subMchid}|${ref.id}`);
  const wxWithdraw = (w: MWithdrawal) =>
    ctx.read<{ status: string; withdraw_id: string }>('withdraw', `${w.shop.subMchid}|${w.id}`);

  /** Notifications reach payNotify through the inbox; some deliveries fail (500), decided per body and step. */
  let deliveryMode: 'ok' | 'fail' | 'partial' = 'ok';
  const heard: Heard[] = [];
  let delivered: Array<Heard & { statusCode: number }> = [];
  deps.inbox.respond = async (n) => {
    const parsed = await deps.pay.parseNotification(lowerCasedHeaders(n.headers), n.body);
    const h: Heard = {
      kind: parsed.kind,
      id: parsed.kind === 'transaction' ? parsed.transaction.outTradeNo : parsed.refund.outRefundNo,
      status: parsed.kind === 'transaction' ? parsed.transaction.tradeState : parsed.refund.status,
      headers: n.headers,
      body: n.body,
    };
    heard.push(h);
    const drop = deliveryMode === 'fail' || (deliveryMode === 'partial' && hash(`${n.body}|${stepNow()}`) % 10 < 4);
    if (drop) return 500;
    const reply = await notify(n.headers, n.body);
    delivered.push({ ...h, statusCode: reply.statusCode });
    return reply.statusCode;
  };

  // ---- model effects ------------------------------------------------------------------------

  function credit(o: MOrder, why: string): void {
    if (o.state === 'PAID') return;
    if (o.wxPaidAt === null) fail(`${why}: order ${o.id} would be credited but WeChat Pay never took the money`);
    o.state = 'PAID';
    o.feeFen = feeOf(o.totalFen, o.shop.ratePpm);
    o.paidAt = Math.floor((o.wxPaidAt as number) / 1000) * 1000; // success_time has whole seconds
    o.settled = false;
  }

  function refundEnds(ref: MRefund, state: 'SUCCESS' | 'CLOSED'): void {
    if (ref.state !== 'PROCESSING') return;
    ref.state = state;
    if (state === 'CLOSED') {
      ref.order.refundedFen -= ref.amountFen;
      ref.order.feeReturnedFen -= ref.feeReturnedFen;
    }
  }

  function applyHeard(h: Heard, why: string): void {
    if (h.kind === 'transaction') {
      const o = model.orders.get(h.id);
      if (!o) return fail(`${why}: a payment notification for an order the model does not know: ${h.id}`);
      if (h.status === 'SUCCESS' || h.status === 'REFUND') credit(o, why);
      return;
    }
    const ref = model.refunds.get(h.id);
    if (!ref) return fail(`${why}: a refund notification for a refund the model does not know: ${h.id}`);
    if (h.status === 'SUCCESS' || h.status === 'CLOSED') refundEnds(ref, h.status);
  }

  /** Withdrawal days: a confirmed withdrawal uses its day unless its money came back. */
  const dayUsed = (shop: Shop, day: string) =>
    [...model.withdrawals.values()].some(
      (w) => w.shop === shop && w.confirmedDay === day && (w.state === 'CREATED' || w.state === 'SUCCESS'),
    );

  const expectedBalances = (shop: Shop) => {
    let pending = 0;
    let available = 0;
    let withdrawing = 0;
    let bank = 0;
    let fees = 0;
    for (const o of model.orders.values()) {
      if (o.shop !== shop || o.state !== 'PAID') continue;
      const held = o.totalFen - o.feeFen - (o.refundedFen - o.feeReturnedFen);
      if (o.settled) available += held;
      else pending += held;
      fees += o.feeFen - o.feeReturnedFen;
    }
    for (const w of model.withdrawals.values()) {
      if (w.shop !== shop) continue;
      if (w.state === 'CREATED' || w.state === 'SUCCESS') available -= w.amountFen;
      if (w.state === 'CREATED') withdrawing += w.amountFen;
      if (w.state === 'SUCCESS') bank += w.amountFen;
    }
    return { pending, available, withdrawing, bank, fees };
  };

  // ---- the checks after every step -------------------------------------------------------------

  async function balanceOf(account: string): Promise<number> {
    return (await deps.store.get<BalanceDoc>('balances', account))?.balanceFen ?? 0;
  }

  async function check(): Promise<void> {
    const problems = await ledgerProblems(
      deps,
      shops.map((s) => s.appid),
    );
    for (const shop of shops) {
      const want = expectedBalances(shop);
      const b = await merchantBalances(deps.store, shop.appid);
      const got = {
        pending: b.pendingFen,
        available: b.availableFen,
        withdrawing: b.withdrawingFen,
        bank: await balanceOf(Accounts.bank(shop.appid)),
        fees: await balanceOf(Accounts.fees(shop.appid)),
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`${shop.appid} balances ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
      const account = await deps.store.get<BankAccountDoc>('bankAccounts', shop.appid);
      const ms = mshop(shop);
      if (!account?.current?.accountNumberMasked.endsWith(last4(ms.account)))
        problems.push(`${shop.appid} account in force ${account?.current?.accountNumberMasked}, model ${ms.account}`);
      if ((account?.pendingChangeId ?? null) !== (ms.change?.id ?? null))
        problems.push(`${shop.appid} change in review ${account?.pendingChangeId}, model ${ms.change?.id ?? null}`);
    }
    const orders = await allDocs<OrderDoc>(deps, 'orders');
    if (orders.length !== model.orders.size) problems.push(`${orders.length} orders, model ${model.orders.size}`);
    for (const d of orders) {
      const o = model.orders.get(d._id);
      if (!o) {
        problems.push(`order ${d._id} not in the model`);
        continue;
      }
      const got = {
        state: d.state,
        totalFen: d.totalFen,
        refundedFen: d.refundedFen,
        feeReturnedFen: d.feeReturnedFen,
        feeFen: d.state === 'PAID' ? d.feeFen : 0,
        settled: d.state === 'PAID' ? d.settlementState === 'SETTLED' : false,
      };
      const want = {
        state: o.state,
        totalFen: o.totalFen,
        refundedFen: o.refundedFen,
        feeReturnedFen: o.feeReturnedFen,
        feeFen: o.state === 'PAID' ? o.feeFen : 0,
        settled: o.state === 'PAID' ? o.settled : false,
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`order ${d._id} ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
    }
    const refunds = await allDocs<RefundDoc>(deps, 'refunds');
    if (refunds.length !== model.refunds.size) problems.push(`${refunds.length} refunds, model ${model.refunds.size}`);
    for (const d of refunds) {
      const m = model.refunds.get(d._id);
      const got = [d.state, d.amountFen, d.feeReturnedFen];
      const want = m ? [m.state, m.amountFen, m.feeReturnedFen] : null;
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`refund ${d._id} ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
    }
    const withdrawals = await allDocs<WithdrawalDoc>(deps, 'withdrawals');
    if (withdrawals.length !== model.withdrawals.size)
      problems.push(`${withdrawals.length} withdrawals, model ${model.withdrawals.size}`);
    for (const d of withdrawals) {
      const m = model.withdrawals.get(d._id);
      const got = [d.state, d.amountFen];
      const want = m ? [m.state, m.amountFen] : null;
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`withdrawal ${d._id} ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
    }
    if (problems.length) fail(problems.slice(0, 12).join('\n'));
  }

  // ---- operations ------------------------------------------------------------------------------

  /** The admin answers a withdrawal's identity check (rightly, wrongly) or cancels it. */
  async function confirmWithdrawal(id: string): Promise<string> {
    const w = model.withdrawals.get(id) as MWithdrawal;
    const code = identityCodes(deps.dataDir).get(w.id) as string;
    const choice = r.pick(['right', 'right', 'right', 'wrong', 'cancel'] as const);
    const what = `${w.shop.appid} ${choice === 'cancel' ? 'cancels' : `answers (${choice})`} withdrawal ${w.id}`;
    if (choice === 'cancel') {
      await expectOk(what, call(funds, w.admin, 'cancelWithdrawal', { withdrawalId: w.id }));
      w.state = 'CLOSED';
      return what;
    }
    const proof = { code: choice === 'right' ? code : code === '000000' ? '000001' : '000000' };
    const p = call<WithdrawalView>(funds, w.admin, 'confirmWithdrawal', { withdrawalId: w.id, proof }, key('wc'));
    if (now() >= w.requestedAt + 5 * 60_000) {
      await expectError(what, p, 'FUNDS.CHALLENGE_EXPIRED');
      w.state = 'CLOSED';
      return `${what}: too late`;
    }
    w.attempts++;
    if (choice === 'wrong') {
      await expectError(what, p, 'FUNDS.IDENTITY_CHECK_FAILED');
      if (w.attempts >= 3) w.state = 'CLOSED';
      return what;
    }
    if (dayUsed(w.shop, today())) {
      await expectError(what, p, 'FUNDS.WITHDRAWAL_DAILY_LIMIT');
      w.state = 'CLOSED';
      return `${what}: the day's withdrawal is taken`;
    }
    if (expectedBalances(w.shop).available < w.amountFen) {
      await expectError(what, p, 'FUNDS.INSUFFICIENT_BALANCE');
      w.state = 'CLOSED';
      return `${what}: the money went meanwhile`;
    }
    const view = await expectOk(what, p);
    if (view.state !== 'CREATED') fail(`${what}: ${view.state} ${view.reason ?? ''}`);
    if (!view.bankAccount?.endsWith(last4(mshop(w.shop).account)))
      fail(`${what}: paid to ${view.bankAccount}, model account ${mshop(w.shop).account}`);
    w.state = 'CREATED';
    w.confirmedDay = today();
    count('withdrawals confirmed');
    return what;
  }

  const ordersWhere = (pred: (o: MOrder) => boolean) => [...model.orders.values()].filter(pred);
  const someOrder = (pred: (o: MOrder) => boolean) => {
    const found = ordersWhere(pred);
    return found.length ? r.pick(found) : null;
  };

  const ops: Array<{ name: string; weight: number; run: () => Promise<string | null> }> = [
    {
      name: 'order',
      weight: 4,
      async run() {
        const shop = r.pick(shops);
        const ms = mshop(shop);
        const buyer = r.pick(ms.buyers);
        const lines = new Map<string, number>();
        for (let i = r.int(1, 2); i > 0; i--) lines.set(r.pick(ms.products).id, r.int(1, 3));
        const items = [...lines].map(([productId, quantity]) => ({ productId, quantity }));
        const totalFen = items.reduce(
          (sum, l) => sum + l.quantity * (ms.products.find((p) => p.id === l.productId)?.priceFen ?? 0),
          0,
        );
        const o = await expectOk<Order>('createOrder', call(checkout, buyer, 'createOrder', { items }, key('o')));
        if (o.totalFen !== totalFen || o.state !== 'CREATED')
          fail(`createOrder: ${o.state} ${o.totalFen}, model ${totalFen}`);
        model.orders.set(o.id, {
          id: o.id,
          shop,
          buyer,
          totalFen,
          state: 'CREATED',
          expiresAt: Date.parse(o.expiresAt),
          prepayAt: null,
          params: null,
          wxPaidAt: null,
          wxClosed: false,
          feeFen: 0,
          refundedFen: 0,
          feeReturnedFen: 0,
          paidAt: null,
          settled: false,
        });
        return `${buyer.openid} orders ${o.id} (${totalFen} fen) at ${shop.appid}`;
      },
    },
    {
      name: 'pay',
      weight: 6,
      async run() {
        const o = r.chance(0.85)
          ? someOrder((x) => x.state === 'CREATED' || x.state === 'PAYING')
          : someOrder(() => true);
        if (!o) return null;
        const what = `pay ${o.id} (${o.state})`;
        // Now and then somebody else's order: it does not exist for them.
        if (r.chance(0.05)) {
          const other = mshop(o.shop).buyers.find((b) => b.openid !== o.buyer.openid) as Identity;
          await expectError(what, call(checkout, other, 'pay', { orderId: o.id }), 'CHECKOUT.ORDER_NOT_FOUND');
          return `${what} by another buyer: not found`;
        }
        const p = call<Payment>(checkout, o.buyer, 'pay', { orderId: o.id });
        if (o.state === 'PAID') return refused(await expectError(what, p, 'CHECKOUT.ORDER_PAID'), what);
        if (o.state === 'CLOSED') return refused(await expectError(what, p, 'CHECKOUT.ORDER_CLOSED'), what);
        if (now() >= o.expiresAt) return refused(await expectError(what, p, 'CHECKOUT.ORDER_EXPIRED'), what);
        const reusable = o.prepayAt !== null && o.expiresAt - now() > 60_000;
        if (!reusable && o.wxPaidAt !== null) {
          // Asking WeChat Pay again finds it paid: credited now.
          await expectError(what, p, 'CHECKOUT.ORDER_PAID');
          credit(o, what);
          return `${what}: found paid`;
        }
        const payment = await expectOk(what, p);
        if (!reusable) o.prepayAt = now();
        o.params = payment.params;
        o.state = 'PAYING';
        return what;
      },
    },
    {
      name: 'buyer pays',
      weight: 6,
      async run() {
        const o = someOrder((x) => x.params !== null && x.wxPaidAt === null && !x.wxClosed);
        if (!o) return null;
        const what = `the buyer of ${o.id} pays at WeChat Pay`;
        const payable = now() < o.expiresAt;
        const result = r.chance(0.1) ? 'FAIL' : 'SUCCESS';
        let answer: { trade_state: string } | null = null;
        try {
          answer = deps.sandbox.pay({ appid: o.shop.appid, ...(o.params as PayParams), result });
        } catch (err) {
          if (payable) fail(`${what}: refused ${(err as Error).message}`);
          return `${what}: too late`;
        }
        if (!payable) fail(`${what}: WeChat Pay took the money of an expired order`);
        if (answer.trade_state === 'SUCCESS') o.wxPaidAt = now();
        return `${what}: ${answer.trade_state}`;
      },
    },
    {
      name: 'deliver',
      weight: 14,
      async run() {
        deliveryMode = r.pick(['ok', 'ok', 'ok', 'partial', 'fail'] as const);
        delivered = [];
        await deps.sandbox.flush();
        for (const d of delivered) {
          if (d.statusCode !== 204) fail(`payNotify answered ${d.statusCode} to ${d.kind} ${d.id} ${d.status}`);
          applyHeard(d, `notification ${d.kind} ${d.id} ${d.status}`);
        }
        count('notifications delivered', delivered.length);
        const sent = delivered.length;
        deliveryMode = 'ok';
        return `WeChat Pay delivers its due notifications (${sent} got through)`;
      },
    },
    {
      name: 'replay',
      weight: 5,
      async run() {
        if (!heard.length) return null;
        const h = r.pick(heard);
        const headers = wechatpaySignatureHeaders(
          h.body,
          deps.sandbox.keys.platformKeyId,
          deps.sandbox.keys.platformPrivateKey,
          deps.clock.now(),
        );
        const reply = await notify(headers, h.body);
        const what = `an old ${h.kind} notification (${h.id} ${h.status}) arrives again`;
        if (reply.statusCode !== 204) fail(`${what}: payNotify answered ${reply.statusCode}`);
        applyHeard(h, what);
        return what;
      },
    },
    {
      name: 'confirm',
      weight: 6,
      async run() {
        const o = someOrder(() => true);
        if (!o) return null;
        const what = `the buyer confirms ${o.id} (${o.state})`;
        const answer = await expectOk<PaymentConfirmation>(
          what,
          call(checkout, o.buyer, 'confirmPayment', { orderId: o.id }),
        );
        if (o.state === 'PAYING' && o.wxPaidAt !== null) credit(o, what);
        if (answer.state !== o.state) fail(`${what}: answered ${answer.state}, model ${o.state}`);
        return what;
      },
    },
    {
      name: 'cancel',
      weight: 2,
      async run() {
        const o = someOrder((x) => x.state !== 'PAID' || r.chance(0.1));
        if (!o) return null;
        const what = `the buyer cancels ${o.id} (${o.state})`;
        const p = call<Order>(checkout, o.buyer, 'cancelOrder', { orderId: o.id });
        if (o.state === 'PAID') return refused(await expectError(what, p, 'CHECKOUT.ORDER_PAID'), what);
        if (o.state === 'PAYING' && o.wxPaidAt !== null) {
          await expectError(what, p, 'CHECKOUT.ORDER_PAID');
          credit(o, what);
          return `${what}: it was paid`;
        }
        const answer = await expectOk(what, p);
        if (o.state === 'PAYING') o.wxClosed = true;
        o.state = 'CLOSED';
        if (answer.state !== 'CLOSED') fail(`${what}: answered ${answer.state}`);
        return what;
      },
    },
    {
      name: 'refund',
      weight: 11,
      async run() {
        const o = r.chance(0.9) ? someOrder((x) => x.state === 'PAID') : someOrder(() => true);
        if (!o) return null;
        const refundable = o.totalFen - o.refundedFen;
        const kind = r.pick(['partial', 'partial', 'full', 'over'] as const);
        const amountFen =
          kind === 'full' || refundable <= 1
            ? Math.max(1, refundable)
            : kind === 'over'
              ? refundable + r.int(1, 500)
              : r.int(1, refundable - 1);
        const what = `refund ${amountFen} of ${o.id} (${o.state}, ${refundable} refundable, ${kind})`;
        if (r.chance(0.05)) {
          const other = shops.find((s) => s !== o.shop) as Shop;
          await expectError(
            what,
            call(checkout, other.admin, 'refund', { orderId: o.id, amountFen }, key('r')),
            'CHECKOUT.ORDER_NOT_FOUND',
          );
          return `${what} by another mini program's admin: not found`;
        }
        const p = call<Refund>(checkout, o.shop.admin, 'refund', { orderId: o.id, amountFen }, key('r'));
        if (o.state !== 'PAID') return refused(await expectError(what, p, 'REFUND.ORDER_NOT_PAID'), what);
        // The server first asks WeChat Pay about the order's open refunds, so it learns of any that ended.
        for (const x of model.refunds.values()) {
          const status = x.order === o && x.state === 'PROCESSING' ? wxRefund(x)?.status : undefined;
          if (status === 'SUCCESS' || status === 'CLOSED') refundEnds(x, status);
        }
        if (amountFen > o.totalFen - o.refundedFen)
          return refused(await expectError(what, p, 'REFUND.EXCEEDS_PAID'), what);
        const share = feeShare(o, amountFen);
        if (o.settled && expectedBalances(o.shop).available < amountFen - share) {
          await expectError(what, p, 'FUNDS.INSUFFICIENT_BALANCE');
          return `${what}: not enough available`;
        }
        const refund = await expectOk(what, p);
        if (refund.state !== 'PROCESSING' || refund.amountFen !== amountFen)
          fail(`${what}: ${refund.state} ${refund.amountFen}`);
        o.refundedFen += amountFen;
        o.feeReturnedFen += share;
        model.refunds.set(refund.id, {
          id: refund.id,
          order: o,
          amountFen,
          feeReturnedFen: share,
          state: 'PROCESSING',
          createdAt: now(),
        });
        count(`refund ${kind}`);
        return what;
      },
    },
    {
      name: 'wechat closes a refund',
      weight: 4,
      async run() {
        const open = [...model.refunds.values()].filter(
          (x) => x.state === 'PROCESSING' && wxRefund(x)?.status === 'PROCESSING',
        );
        if (!open.length) return null;
        const ref = r.pick(open);
        deps.sandbox.forceRefund(ref.id, 'CLOSED', ref.order.shop.subMchid);
        return `WeChat Pay closes refund ${ref.id} (the money stays with the merchant)`;
      },
    },
    {
      name: 'withdraw',
      weight: 6,
      async run() {
        const shop = r.pick(shops);
        const { available } = expectedBalances(shop);
        const kind = available < 1 ? 'over' : r.pick(['all', 'some', 'some', 'over'] as const);
        const amountFen =
          kind === 'all' ? available : kind === 'some' ? r.int(1, available) : available + r.int(1, 1000);
        const what = `${shop.appid} asks to withdraw ${amountFen} of ${available} (${kind})`;
        const p = call<WithdrawalRequested>(funds, shop.admin, 'requestWithdrawal', { amountFen }, key('w'));
        if (amountFen > available) return refused(await expectError(what, p, 'FUNDS.INSUFFICIENT_BALANCE'), what);
        if (dayUsed(shop, today())) return refused(await expectError(what, p, 'FUNDS.WITHDRAWAL_DAILY_LIMIT'), what);
        const requested = await expectOk(what, p);
        model.withdrawals.set(requested.withdrawal.id, {
          id: requested.withdrawal.id,
          shop,
          admin: shop.admin,
          amountFen,
          state: 'AWAITING_CONFIRMATION',
          requestedAt: now(),
          confirmedDay: null,
          finishedAt: null,
          attempts: 0,
        });
        // Mostly the admin answers the check at once; otherwise it waits (and other steps come between).
        if (r.chance(0.6))
          return `${what}: ${requested.withdrawal.id}; ${await confirmWithdrawal(requested.withdrawal.id)}`;
        return `${what}: ${requested.withdrawal.id} awaits the identity check`;
      },
    },
    {
      name: 'confirm withdrawal',
      weight: 6,
      async run() {
        const waiting = [...model.withdrawals.values()].filter((w) => w.state === 'AWAITING_CONFIRMATION');
        if (!waiting.length) return null;
        return confirmWithdrawal(r.pick(waiting).id);
      },
    },
    {
      name: 'the bank',
      weight: 4,
      async run() {
        ctx.applyDue(); // what fell due is decided with the bank as it was
        const mode = r.chance(0.35) ? 'fail' : 'succeed';
        deps.sandbox.setBank(mode, '户名不符');
        // Bounced within the days the poll watches a paid withdrawal (three).
        const paid = [...model.withdrawals.values()].filter(
          (w) =>
            (w.state === 'CREATED' || (w.state === 'SUCCESS' && (w.finishedAt ?? 0) >= now() - 2 * 24 * 3600_000)) &&
            wxWithdraw(w)?.status === 'SUCCESS',
        );
        if (paid.length && r.chance(0.3)) {
          const w = r.pick(paid);
          deps.sandbox.forceWithdraw(wxWithdraw(w)?.withdraw_id as string, 'REFUND', '银行退票');
          return `the bank now ${mode}s withdrawals, and returns ${w.id}`;
        }
        return `the bank now ${mode}s withdrawals`;
      },
    },
    {
      name: 'bank change',
      weight: 4,
      async run() {
        const shop = r.pick(shops);
        const ms = mshop(shop);
        const same = r.chance(0.1);
        const number = same ? ms.account : `6214830${shops.indexOf(shop)}${String(++ms.accountSeq).padStart(8, '0')}`;
        const bank = same ? ms.accountBank : r.pick(['招商银行', '建设银行', '工商银行']);
        const what = `${shop.appid} changes its bank account to ${number}`;
        const p = call<BankAccountStatus>(
          funds,
          shop.admin,
          'changeBankAccount',
          {
            accountType: 'CORPORATE',
            accountBank: bank,
            bankAddressCode: '440300',
            accountName: shop.entityName,
            accountNumber: number,
          },
          key('b'),
        );
        if (ms.change) return refused(await expectError(what, p, 'FUNDS.BANK_CHANGE_IN_REVIEW'), what);
        if (same) return refused(await expectError(what, p, 'FUNDS.BANK_ACCOUNT_UNCHANGED'), what);
        if ((ms.changesByDay.get(today()) ?? 0) >= 5)
          return refused(await expectError(what, p, 'FUNDS.BANK_CHANGE_DAILY_LIMIT'), what);
        const status = await expectOk(what, p);
        if (status.latestChange?.state !== 'AUDITING') fail(`${what}: ${JSON.stringify(status.latestChange)}`);
        ms.change = { id: status.latestChange?.id as string, number, bank };
        ms.changesByDay.set(today(), (ms.changesByDay.get(today()) ?? 0) + 1);
        return what;
      },
    },
    {
      name: 'the reviewer',
      weight: 2,
      async run() {
        const inReview = [...model.shops.values()].filter((x) => x.change !== null);
        if (!inReview.length) return null;
        const ms = r.pick(inReview);
        if (!ms.change) return null;
        const doc = await deps.store.get<BankChangeDoc>('bankChanges', ms.change.id);
        const c = doc?.applicationNo ? ctx.read<{ verify_result: string }>('settlement', doc.applicationNo) : null;
        if (c?.verify_result !== 'AUDITING') return null;
        const result = r.chance(0.4) ? 'AUDIT_FAIL' : 'AUDIT_SUCCESS';
        deps.sandbox.forceSettlement(doc?.applicationNo as string, result, '银行账户信息有误');
        return `WeChat Pay's reviewer decides ${ms.change.id}: ${result}`;
      },
    },
    {
      name: 'time',
      weight: 9,
      async run() {
        // Whole seconds, as WeChat Pay's times are (so no instant falls between a time and its rounding).
        const ms = 1000 * r.pick([r.int(1, 20), r.int(1, 20), r.int(20, 180), r.int(20, 180), r.int(30 * 60, 40 * 60)]);
        deps.clock.advance(ms);
        return `${Math.round(ms / 1000)} s pass`;
      },
    },
    {
      name: 'a new day',
      weight: 3,
      async run() {
        // The withdrawal poll runs every few seconds: no day goes by without it (it watches paid withdrawals three days).
        await runJob('pollWithdrawals');
        deps.clock.advance(24 * 3600_000 + 1000 * r.int(0, 3 * 3600));
        // Usually the settlement timer fires soon after midnight.
        if (r.chance(0.6)) await runJob('settle');
        return `a day passes: ${beijingDate(deps.clock.now())}`;
      },
    },
    {
      name: 'job',
      weight: 12,
      async run() {
        const name = r.pick([
          'queryPaying',
          'closeExpired',
          'syncRefunds',
          'settle',
          'settle',
          'pollWithdrawals',
          'pollWithdrawals',
          'pollBankChanges',
          'reconcile',
        ] as const);
        await runJob(name);
        count(`job ${name}`);
        return `the ${name} job runs`;
      },
    },
    {
      name: 'converge',
      weight: 1,
      async run() {
        await converge();
        return 'everything converges';
      },
    },
  ];

  /** Runs a job and applies to the model what it must have done. */
  async function runJob(name: keyof typeof jobs): Promise<void> {
    const t = now();
    // What each job must find, decided before it runs.
    const expect: Array<() => void> = [];
    if (name === 'queryPaying') {
      for (const o of ordersWhere(
        (x) => x.state === 'PAYING' && (x.prepayAt ?? 0) <= t - 60_000 && x.wxPaidAt !== null,
      ))
        expect.push(() => credit(o, 'queryPaying'));
    }
    if (name === 'closeExpired') {
      for (const o of ordersWhere((x) => (x.state === 'CREATED' || x.state === 'PAYING') && x.expiresAt <= t))
        expect.push(() => {
          if (o.wxPaidAt !== null) return credit(o, 'closeExpired');
          if (o.state === 'PAYING') o.wxClosed = true;
          o.state = 'CLOSED';
        });
    }
    if (name === 'syncRefunds') {
      for (const ref of model.refunds.values())
        if (ref.state === 'PROCESSING' && ref.createdAt <= t - 60_000)
          expect.push(() => {
            const status = wxRefund(ref)?.status;
            if (status === 'SUCCESS' || status === 'CLOSED') refundEnds(ref, status);
          });
    }
    if (name === 'settle') {
      const lastDay = addDays(beijingDate(new Date(t)), -settlementDaysFrom(process.env));
      for (const o of ordersWhere((x) => x.state === 'PAID' && !x.settled))
        if (beijingDate(new Date(o.paidAt as number)) <= lastDay) expect.push(() => (o.settled = true));
    }
    if (name === 'pollWithdrawals') {
      for (const w of model.withdrawals.values()) {
        if (w.state === 'AWAITING_CONFIRMATION' && t >= w.requestedAt + 5 * 60_000)
          expect.push(() => (w.state = 'CLOSED'));
        const watched = w.state === 'CREATED' || (w.state === 'SUCCESS' && (w.finishedAt ?? 0) >= t - RETURN_WATCH_MS);
        if (!watched) continue;
        expect.push(() => {
          const status = wxWithdraw(w)?.status;
          const next =
            status === 'SUCCESS' ? 'SUCCESS' : status === 'FAIL' ? 'FAILED' : status === 'REFUND' ? 'RETURNED' : null;
          if (!next || next === w.state) return;
          if (w.state === 'SUCCESS' && next !== 'RETURNED') return;
          w.state = next;
          w.finishedAt = t;
        });
      }
    }
    await jobs[name].run(deps);
    for (const apply of expect) apply();
    if (name === 'pollBankChanges') {
      // WeChat Pay's review decision, as the job's query found it.
      for (const ms of model.shops.values()) {
        if (!ms.change) continue;
        const doc = await deps.store.get<BankChangeDoc>('bankChanges', ms.change.id);
        const decided = doc?.applicationNo
          ? ctx.read<{ verify_result: string }>('settlement', doc.applicationNo)?.verify_result
          : undefined;
        if (decided === 'AUDIT_SUCCESS') {
          ms.account = ms.change.number;
          ms.accountBank = ms.change.bank;
        }
        if (decided === 'AUDIT_SUCCESS' || decided === 'AUDIT_FAIL') ms.change = null;
      }
    }
  }

  /** Everything delivered and every job run, past every grace period: the project must then agree with WeChat Pay. */
  async function converge(): Promise<void> {
    deliveryMode = 'ok';
    for (let i = 0; i < 3; i++) {
      deps.clock.advance(i === 0 ? 61_000 : 10 * 60_000);
      delivered = [];
      await deps.sandbox.flush();
      await deps.sandbox.flush();
      for (const d of delivered) {
        if (d.statusCode !== 204) fail(`payNotify answered ${d.statusCode} to ${d.kind} ${d.id}`);
        applyHeard(d, 'converging');
      }
      for (const name of ['queryPaying', 'closeExpired', 'syncRefunds', 'pollWithdrawals', 'pollBankChanges'] as const)
        await runJob(name);
    }
    // Challenges nobody answered are closed by now (5 minutes).
    await check();
    const problems = [...(await agreementProblems(deps, shops)), ...(await journalProblems(deps))];
    if (problems.length) fail(`after converging:\n${problems.slice(0, 12).join('\n')}`);
    count('converged');
  }

  // A shopper goes through the whole checkout in one step: order, pay, the payment sheet, often the confirmation.
  const opNamed = (name: string) => ops.find((op) => op.name === name) as (typeof ops)[number];
  ops.push({
    name: 'shopper',
    weight: 16,
    async run() {
      const lines = [await opNamed('order').run()];
      const o = [...model.orders.values()].pop() as MOrder;
      const payment = await expectOk<Payment>('pay', call(checkout, o.buyer, 'pay', { orderId: o.id }));
      o.prepayAt = now();
      o.params = payment.params;
      o.state = 'PAYING';
      if (r.chance(0.85)) {
        deps.sandbox.pay({ appid: o.shop.appid, ...payment.params, result: 'SUCCESS' });
        o.wxPaidAt = now();
        lines.push('pays at WeChat Pay');
        if (r.chance(0.4)) {
          const answer = await expectOk<PaymentConfirmation>(
            'confirmPayment',
            call(checkout, o.buyer, 'confirmPayment', { orderId: o.id }),
          );
          credit(o, 'confirmPayment');
          if (answer.state !== 'PAID') fail(`confirmPayment answered ${answer.state}`);
          lines.push('confirms');
        }
      }
      return lines.join(', ');
    },
  });
  const total = ops.reduce((sum, op) => sum + op.weight, 0);
  const pick = () => {
    let roll = r.next() * total;
    for (const op of ops) {
      roll -= op.weight;
      if (roll < 0) return op;
    }
    return ops[ops.length - 1];
  };

  await check();
  for (let i = 1; i <= OPS; i++) {
    setStep(i);
    const op = pick();
    const line = await op.run();
    trail.push(`${i}. ${line ?? `(${op.name}: nothing to do)`}`);
    if (line) count(op.name);
    await check();
    if (i % 150 === 0) await converge();
  }
  await converge();
  counts.orders = model.orders.size;
  counts.paid = ordersWhere((o) => o.state === 'PAID').length;
  counts.refunds = model.refunds.size;
  counts.withdrawals = model.withdrawals.size;
}

/** A stable small hash (FNV-1a) for per-delivery decisions that do not depend on arrival order. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
