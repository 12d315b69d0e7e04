// Crash: the built local stack (gateway, WeChat Pay sandbox and job timers in
// one process, as `npm start` runs them) is killed with SIGKILL while buyers
// are ordering, paying through the sandbox's buyer endpoint and confirming,
// then started again on the same data folder (taking over the stale lock).
// Once it has converged (jobs and the sandbox sped up), every payment the
// sandbox acknowledged is credited exactly once, the ledger verifies, and
// the sandbox and the project agree on what was paid and on the balance.
// The kill moments come from a seed, printed on failure (PMS_SEED=n replays
// it); PMS_CRASH_KILLS=n (default 3, 10 with PMS_STRESS=1) sets the rounds.
import Database from 'better-sqlite3';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { feeFen } from '../../cloudfunctions/core/domain/fee';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import { type JournalDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { ApiResult, MerchantStatus } from '../../typings/api';
import type { Order, OrderPage, Payment, Product } from '../../typings/checkout';
import type { Balances } from '../../typings/funds';
import { freePort } from '../e2e/stack';
import { jpeg, requiredSlots, validSteps } from '../onboarding/fixtures';
import { LOCK_FILE } from '../../cloudfunctions/local/lock';
import { type CrashableStack, copyOf, launch } from './crash-support';
import { uploadPhoto } from '../support/upload';
import { allDocs, journalProblems, ledgerProblems, random, STRESS, seedFrom, sizeFrom } from './money-support';

const KILLS = sizeFrom('PMS_CRASH_KILLS', STRESS ? 10 : 3);
jest.setTimeout(90_000 + KILLS * 20_000);

const SETUP_CODE = '864213';
const admin: Identity = { openid: 'o_crash_admin_000000000001', appid: DEMO_APPID };
const BUYERS: Identity[] = [1, 2, 3, 4].map((i) => ({ openid: `o_crash_buyer_00000000000${i}`, appid: DEMO_APPID }));
const ENV = {
  PMS_SETUP_CODE: SETUP_CODE,
  // Timers 200x (settlement every 300 ms, so the kills land in it too; the fastest timers at their 50 ms floor),
  // the sandbox 100x (notification retries after 150 ms), money available at the next settlement run.
  JOB_TIME_SCALE: '200',
  SANDBOX_TIME_SCALE: '0.01',
  PMS_SETTLEMENT_DAYS: '0',
};

let stack: CrashableStack | undefined;
afterAll(async () => {
  await stack?.stop();
});

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read().catch((err: Error) => err);
    if (!(value instanceof Error) && done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; last: ${String(value instanceof Error ? value.message : JSON.stringify(value))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

let n = 0;
const key = (label: string) => `crash-${label}-${Date.now().toString(36)}-${++n}`;

/** The merchant admin claims the role and gets an account through onboarding (the sandbox reviews it). */
async function bindThroughOnboarding(s: CrashableStack): Promise<MerchantStatus> {
  await data(s.call('merchant', 'claimAdmin', { code: SETUP_CODE }, admin));
  const steps = validSteps('ENTERPRISE');
  await data(s.call('merchant', 'chooseType', { merchantType: 'ENTERPRISE' }, admin, key('type')));
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const)
    await data(s.call('merchant', 'saveStep', { step, data: steps[step] }, admin));
  for (const slot of requiredSlots('ENTERPRISE')) await data(uploadPhoto(s, admin, slot, jpeg(slot)));
  await data(s.call('merchant', 'submitApplication', {}, admin, key('submit')));
  return eventually(
    () => data<MerchantStatus>(s.call('merchant', 'getStatus', {}, admin)),
    (st) => st.merchant !== null,
    'the merchant account to be bound',
  );
}

interface Load {
  /** Orders created, by id. */
  created: Set<string>;
  /** Orders the sandbox answered 200 SUCCESS to the buyer's payment for. */
  acknowledged: Set<string>;
  /** Answers that must never come, whatever was killed: INTERNAL and the like. */
  faults: string[];
  /** Requests cut off by the kill. */
  cut: number;
}

/** One buyer ordering, paying in the sandbox and confirming, until `over()`; a request cut off ends the loop. */
async function buyerLoop(s: CrashableStack, who: Identity, products: Product[], load: Load, over: () => boolean) {
  const r = random(who.openid.length + load.created.size);
  while (!over()) {
    try {
      const product = r.pick(products);
      const created = await s.call<Order>(
        'checkout',
        'createOrder',
        { items: [{ productId: product.id, quantity: r.int(1, 3) }] },
        who,
        key('order'),
      );
      if (!created.ok) {
        load.faults.push(`createOrder: ${created.error.code}`);
        continue;
      }
      load.created.add(created.data.id);
      const payment = await s.call<Payment>('checkout', 'pay', { orderId: created.data.id }, who);
      if (!payment.ok) {
        load.faults.push(`pay: ${payment.error.code}`);
        continue;
      }
      const paid = await s.sandbox<{ trade_state?: string }>('POST', '/sandbox/pay', {
        appid: DEMO_APPID,
        ...payment.data.params,
        result: 'SUCCESS',
      });
      if (paid.status === 200 && paid.body.trade_state === 'SUCCESS') load.acknowledged.add(created.data.id);
      else load.faults.push(`sandbox pay: ${paid.status} ${JSON.stringify(paid.body)}`);
      const confirmed = await s.call('checkout', 'confirmPayment', { orderId: created.data.id }, who);
      if (!confirmed.ok) load.faults.push(`confirmPayment: ${confirmed.error.code}`);
    } catch {
      // The process died under this request (or it had been told to stop).
      load.cut++;
      return;
    }
  }
}

async function paidOrderIds(s: CrashableStack): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | undefined;
  do {
    const page = await data<OrderPage>(
      s.call('checkout', 'listMerchantOrders', { state: 'PAID', limit: 50, ...(after ? { after } : {}) }, admin),
    );
    for (const o of page.items) ids.add(o.id);
    after = page.next;
  } while (after);
  return ids;
}

/** The sub-merchant the stack bound (the app only shows it masked), read from its database read-only. */
function boundSubMchid(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'pms.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT doc FROM merchants WHERE id = ?').get(DEMO_APPID) as { doc: string } | undefined;
    if (!row) throw new Error('no merchant bound');
    return (JSON.parse(row.doc) as MerchantDoc).subMchid;
  } finally {
    db.close();
  }
}

interface SandboxOrderRow {
  out_trade_no: string;
  trade_state: string;
  amount_total: number;
}

test(`SIGKILL under paid-order load, ${KILLS} times, restarted on the same data: every acknowledged payment credited once, ledger verifies, sandbox agrees`, async () => {
  const seed = seedFrom('PMS_SEED');
  const r = random(seed);
  const killedAfter: number[] = [];
  const started = Date.now();
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-crash-'));
    const ports = { dataDir, port: await freePort(), sandboxPort: await freePort(), env: ENV };
    stack = await launch(ports);
    const status = await bindThroughOnboarding(stack);
    const rate = status.merchant?.feeRatePpm ?? 0;
    const subMchid = boundSubMchid(dataDir);
    const products = (await data<{ items: Product[] }>(stack.call('checkout', 'listProducts', {}, BUYERS[0]))).items;
    const load: Load = { created: new Set(), acknowledged: new Set(), faults: [], cut: 0 };

    for (let kill = 0; kill < KILLS; kill++) {
      // Let the load build up, then kill at a moment the seed picks (mid-request, mid-notification, mid-job).
      const delay = r.int(250, 1500);
      killedAfter.push(delay);
      let over = false;
      const running = stack;
      const loops = BUYERS.map((who) => buyerLoop(running, who, products, load, () => over));
      await new Promise((resolve) => setTimeout(resolve, delay));
      over = true;
      await running.kill();
      await Promise.all(loops);
      // The killed stack left its lock behind (nothing ran on the way out) ...
      const lock = path.join(dataDir, LOCK_FILE);
      expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(running.pid));
      // ... and the same folder and ports, like `npm start` again, take the stale lock over.
      stack = await launch(ports);
      expect(fs.readFileSync(lock, 'utf8').trim()).toBe(String(stack.pid));
    }
    // One last stretch of business on the restarted stack, stopped cleanly.
    {
      let over = false;
      const running = stack;
      const loops = BUYERS.map((who) => buyerLoop(running, who, products, load, () => over));
      await new Promise((resolve) => setTimeout(resolve, 500));
      over = true;
      await Promise.all(loops);
    }
    expect(load.faults).toEqual([]);
    expect(load.acknowledged.size).toBeGreaterThan(0);

    // Converged: every acknowledged payment paid here, and WeChat Pay's balance is the merchant's.
    const running = stack;
    await eventually(
      async () => {
        const paid = await paidOrderIds(running);
        const ours = await data<Balances>(running.call('funds', 'getBalances', {}, admin));
        const theirs = await running.sandbox<{ balance: number }>('GET', `/sandbox/sub-merchants/${subMchid}`);
        return {
          missing: [...load.acknowledged].filter((id) => !paid.has(id)).length,
          ours: ours.pendingFen + ours.availableFen,
          theirs: theirs.body.balance,
        };
      },
      (v) => v.missing === 0 && v.ours === v.theirs,
      'every acknowledged payment to be credited and the balances to agree',
      60_000,
    );
    await running.stop();
    stack = undefined;
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // a clean stop lets go of it

    // ---- after the stop, on copies of its files ------------------------------------------
    const copies = [copyOf(path.join(dataDir, 'pms.sqlite')), copyOf(path.join(dataDir, 'sandbox', 'sandbox.sqlite'))];
    const store = new SqliteStore({ file: copies[0] });
    const sandboxDb = new Database(copies[1], { readonly: true });
    try {
      const merchant = (await store.get<MerchantDoc>('merchants', DEMO_APPID)) as MerchantDoc;
      const wxOrders = (
        sandboxDb
          .prepare("SELECT doc FROM docs WHERE kind = 'order' AND json_extract(doc, '$.merchant') = ?")
          .all(merchant.subMchid) as Array<{ doc: string }>
      ).map((row) => JSON.parse(row.doc) as SandboxOrderRow);
      const paidThere = wxOrders.filter((o) => o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND');
      const orders = await allDocs<OrderDoc>({ store }, 'orders');
      const paidHere = orders.filter((o) => o.state === 'PAID');

      // The sandbox kept every payment it acknowledged; we credited exactly what it holds as paid.
      expect([...load.acknowledged].filter((id) => !paidThere.some((o) => o.out_trade_no === id))).toEqual([]);
      expect(paidHere.map((o) => o._id).sort()).toEqual(paidThere.map((o) => o.out_trade_no).sort());
      const payments = await allDocs<JournalDoc>({ store }, 'journal', { kind: 'payment' });
      expect(payments.map((e) => e.ref.orderId).sort()).toEqual(paidHere.map((o) => o._id).sort());

      // The ledger verifies, nothing is posted twice or missing, and the money is what WeChat Pay holds.
      expect(await verifyLedger(store)).toMatchObject({ ok: true, unbalancedEntries: [], differences: [] });
      expect(await ledgerProblems({ store }, [DEMO_APPID])).toEqual([]);
      expect(await journalProblems({ store })).toEqual([]);
      const b = await merchantBalances(store, DEMO_APPID);
      const netThere = paidThere.reduce((sum, o) => sum + o.amount_total - feeFen(o.amount_total, rate), 0);
      expect(b.pendingFen + b.availableFen).toBe(netThere);
      expect(b.withdrawingFen).toBe(0);
      expect(await store.count('paymentAnomalies')).toBe(0);

      console.log(
        `crash (seed ${seed}): ${KILLS} SIGKILLs after ${killedAfter.join(', ')} ms of load; ` +
          `${load.created.size} orders, ${load.acknowledged.size} acknowledged paid, ${paidThere.length} paid at the sandbox ` +
          `(${paidThere.length - load.acknowledged.size} whose answer the kill cut off), ${paidHere.length} credited, ` +
          `${orders.filter((o) => o.settlementState === 'SETTLED').length} settled, ${load.cut} requests cut off; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      sandboxDb.close();
      await store.close();
    }
    // Passed: nothing to look at afterwards (a failure leaves the folders for inspection).
    for (const dir of [dataDir, ...copies.map((c) => path.dirname(c))])
      fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    const e = err as Error;
    e.message =
      `crash test failed with seed ${seed} (replay: PMS_SEED=${seed}; kills after ${killedAfter.join(', ')} ms): ${e.message}` +
      (stack ? `\n--- stack output (tail) ---\n${stack.output().slice(-3000)}` : '');
    throw e;
  }
});
