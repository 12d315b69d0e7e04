// Shared by the concurrency and model suites: a seeded generator, shops
// (registered mini programs with their own admin and a sandbox sub-merchant
// bound the way onboarding leaves it), the local identity codes, and the
// ledger invariants every money test checks.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_APPID, demoMiniProgram } from '../../cloudfunctions/core/config';
import { recordBankAccount } from '../../cloudfunctions/core/funds/record-account';
import { IDENTITY_CODES_FILE } from '../../cloudfunctions/core/funds/identity-check';
import { postedFen } from '../../cloudfunctions/core/domain/ledger';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import type { RefundDoc } from '../../cloudfunctions/core/domain/refund';
import type { WithdrawalDoc } from '../../cloudfunctions/core/funds/docs';
import { type JournalDoc, merchantBalances, type MerchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { Doc, Filter, Store } from '../../cloudfunctions/core/ports/store';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import { ADMIN_OPENID, type TestDeps } from '../support/deps';
import { OTHER_ADMIN, OTHER_APPID, registerOtherMiniProgram } from './support';

/** Anything with a store: test deps, or a copy of a stopped stack's database. */
export type HasStore = { store: Store };

// ---- seeds ------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `name` in the environment, or a fresh one (printed by the caller on failure). */
export function seedFrom(name: string): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const seed = Number(raw);
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`${name} must be a non-negative integer`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** A positive integer from the environment, or `fallback`. */
export function sizeFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer`);
  return n;
}

/** PMS_STRESS=1 multiplies the default sizes (the default keeps `npm test` short). */
export const STRESS = process.env.PMS_STRESS === '1' || process.env.PMS_STRESS === 'true';

export interface Random {
  seed: number;
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function random(seed: number): Random {
  const next = rng(seed);
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from nothing');
      return items[Math.floor(next() * items.length)];
    },
    chance: (p) => next() < p,
  };
}

// ---- shops: mini programs with a bound sandbox merchant ------------------------------------

export const THIRD_APPID = 'wxc0c0c0c0c0c0c0c0';
export const THIRD_ADMIN = 'o_admin_of_third_000000000001';

export interface Shop {
  appid: string;
  admin: Identity;
  entityName: string;
  ratePpm: number;
  subMchid: string;
  /** The bank account number the sub-merchant was created with (the first one on file). */
  accountNumber: string;
}

interface ShopSpec {
  appid: string;
  admin: string;
  entityName: string;
  ratePpm: number;
  accountNumber: string;
}

/** A: the demo (0.6%), B: the lead's second mini program (0.38%), C: a third with its own entity (0.2%). */
export const SHOP_SPECS: ShopSpec[] = [
  {
    appid: DEMO_APPID,
    admin: ADMIN_OPENID,
    entityName: demoMiniProgram.entity.name,
    ratePpm: 6000,
    accountNumber: '6222000000000000',
  },
  {
    appid: OTHER_APPID,
    admin: OTHER_ADMIN,
    entityName: demoMiniProgram.entity.name,
    ratePpm: 3800,
    accountNumber: '6222000000000011',
  },
  {
    appid: THIRD_APPID,
    admin: THIRD_ADMIN,
    entityName: 'Hangzhou Third Tea Co., Ltd.',
    ratePpm: 2000,
    accountNumber: '6222000000000022',
  },
];

/** Registers the first `count` shops (A is always registered) and binds each to its own sandbox sub-merchant. */
export async function openShops(deps: TestDeps, count: number): Promise<Shop[]> {
  const shops: Shop[] = [];
  for (const spec of SHOP_SPECS.slice(0, count)) {
    if (spec.appid === OTHER_APPID) registerOtherMiniProgram(deps);
    if (spec.appid === THIRD_APPID) {
      deps.config.miniPrograms[THIRD_APPID] = {
        ...structuredClone(demoMiniProgram),
        appid: THIRD_APPID,
        name: 'Third Tea Shop',
        entity: { name: spec.entityName, creditCode: '91330100MA2B3C4D5E', domestic: true },
        admins: [THIRD_ADMIN],
      };
    }
    shops.push(await bindShop(deps, spec));
  }
  return shops;
}

async function bindShop(deps: TestDeps, spec: ShopSpec): Promise<Shop> {
  const sub = deps.sandbox.createSubMerchant({
    appids: [spec.appid],
    rate_ppm: spec.ratePpm,
    merchant_name: spec.entityName,
    account: {
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      account_bank: '工商银行',
      account_name: spec.entityName,
      account_number: spec.accountNumber,
    },
  });
  await deps.store.insert<MerchantDoc>('merchants', {
    _id: spec.appid,
    appid: spec.appid,
    subMchid: sub.sub_mchid,
    name: sub.merchant_name,
    feeRatePpm: spec.ratePpm,
    boundAt: deps.clock.now().toISOString(),
    subjectType: 'SUBJECT_TYPE_ENTERPRISE',
  });
  await recordBankAccount(deps, spec.appid, {
    accountType: 'CORPORATE',
    accountBank: '工商银行',
    bankAddressCode: '440300',
    accountName: spec.entityName,
    accountNumber: spec.accountNumber,
  });
  return {
    appid: spec.appid,
    admin: { openid: spec.admin, appid: spec.appid },
    entityName: spec.entityName,
    ratePpm: spec.ratePpm,
    subMchid: sub.sub_mchid,
    accountNumber: spec.accountNumber,
  };
}

// ---- the local identity check ---------------------------------------------------------------

/** Every code the local identity check delivered so far, by withdrawal id (the latest wins). */
export function identityCodes(dataDir: string): Map<string, string> {
  const file = path.join(dataDir, IDENTITY_CODES_FILE);
  const codes = new Map<string, string>();
  if (!fs.existsSync(file)) return codes;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { withdrawalId, code } = JSON.parse(line) as { withdrawalId: string; code: string };
    codes.set(withdrawalId, code);
  }
  return codes;
}

// ---- invariants -------------------------------------------------------------------------------

/**
 * What must hold after every step: the ledger verifies (every balance equals
 * its postings, every entry balances) and no merchant balance is negative.
 * Returns the problems found (empty when sound).
 */
export async function ledgerProblems(deps: HasStore, appids: string[]): Promise<string[]> {
  const problems: string[] = [];
  const check = await verifyLedger(deps.store);
  if (!check.ok)
    problems.push(
      `verifyLedger: ${JSON.stringify({ unbalanced: check.unbalancedEntries, differences: check.differences })}`,
    );
  for (const appid of appids) {
    const b = await merchantBalances(deps.store, appid);
    for (const [name, fen] of Object.entries(b)) if (fen < 0) problems.push(`${appid} ${name} is ${fen}`);
  }
  return problems;
}

export async function balancesOf(deps: HasStore, appid: string): Promise<MerchantBalances> {
  return merchantBalances(deps.store, appid);
}

// ---- the whole picture: the journal against the documents, the project against the sandbox ----

/** Every document of a collection (paged). */
export async function allDocs<T extends Doc>(deps: HasStore, collection: string, where: Filter = {}): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await deps.store.find<T>(collection, { where, limit: 100, after });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}

const LIVE_WITHDRAWAL = new Set(['CREATED', 'SUCCESS', 'FAILED', 'RETURNED']);

/**
 * Nothing posted twice, nothing missing: the journal holds exactly the
 * entries the documents call for (a payment per paid order, a settlement per
 * settled order with money left, a refund per refund and its reversal when
 * closed, a withdrawal per confirmed withdrawal and its outcome), and each
 * paid order's money in the merchant's accounts is its net less its refunds.
 */
export async function journalProblems(deps: HasStore): Promise<string[]> {
  const problems: string[] = [];
  const journal = await allDocs<JournalDoc>(deps, 'journal');
  const ids = new Set(journal.map((e) => e._id));
  const expected = new Set<string>();
  const want = (id: string, why: string) => {
    expected.add(id);
    if (!ids.has(id)) problems.push(`missing journal entry ${id} (${why})`);
  };
  const orders = await allDocs<OrderDoc>(deps, 'orders');
  const refunds = await allDocs<RefundDoc>(deps, 'refunds');
  const withdrawals = await allDocs<WithdrawalDoc>(deps, 'withdrawals');
  const byOrder = new Map<string, JournalDoc[]>();
  for (const e of journal) {
    const orderId = e.ref.orderId;
    if (orderId) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), e]);
  }
  for (const o of orders) {
    if (o.state !== 'PAID') continue;
    want(`payment:${o._id}`, `order ${o._id} is paid`);
    const fee = o.feeFen ?? 0;
    const held = o.totalFen - fee - (o.refundedFen - o.feeReturnedFen);
    let pending = 0;
    let merchant = 0;
    for (const e of byOrder.get(o._id) ?? []) {
      pending += postedFen(e.postings, o.appid, 'pending');
      merchant += postedFen(e.postings, o.appid, 'pending') + postedFen(e.postings, o.appid, 'available');
    }
    if (merchant !== held)
      problems.push(`order ${o._id}: the merchant holds ${merchant} of it in the journal, not ${held}`);
    if (o.settlementState === 'SETTLED') {
      if (pending !== 0) problems.push(`order ${o._id} is settled yet ${pending} of it is still pending`);
      if (ids.has(`settlement:${o._id}`)) expected.add(`settlement:${o._id}`);
    } else if (ids.has(`settlement:${o._id}`)) {
      problems.push(`order ${o._id} is not settled but has a settlement entry`);
    }
  }
  for (const r of refunds) {
    want(`refund:${r._id}`, `refund ${r._id} was recorded`);
    if (r.state === 'CLOSED') want(`reversal:refund:${r._id}`, `refund ${r._id} is closed`);
  }
  for (const w of withdrawals) {
    if (!LIVE_WITHDRAWAL.has(w.state)) continue;
    want(`withdrawal:${w._id}`, `withdrawal ${w._id} is ${w.state}`);
    if (w.state === 'SUCCESS') want(`withdrawal_paid:${w._id}`, `${w._id} was paid`);
    if (w.state === 'FAILED' || w.state === 'RETURNED') want(`withdrawal_returned:${w._id}`, `${w._id} came back`);
    // Returned: seen paid first (then the payout is reversed), or seen only once already bounced.
    if (
      w.state === 'RETURNED' &&
      (ids.has(`withdrawal_paid:${w._id}`) || ids.has(`reversal:withdrawal_paid:${w._id}`))
    ) {
      want(`withdrawal_paid:${w._id}`, `${w._id} was paid`);
      want(`reversal:withdrawal_paid:${w._id}`, `${w._id} bounced after it was recorded paid`);
    }
  }
  for (const e of journal) if (!expected.has(e._id)) problems.push(`unexpected journal entry ${e._id}`);
  return problems;
}

type SandboxOrder = { out_trade_no: string; trade_state: string; amount_total: number };
type SandboxRefund = { out_refund_no: string; status: string; amount_refund: number };
type SandboxWithdraw = { out_request_no: string; status: string; amount: number; account: { account_number: string } };

/** The sandbox's (WeChat Pay's) records of one sub-merchant, with due transitions applied first. */
export function sandboxView(deps: TestDeps, subMchid: string) {
  const ctx = deps.sandbox.ctx;
  ctx.applyDue();
  const orders = new Map(
    ctx.state.list<SandboxOrder>('order', { merchant: subMchid }).map((o) => [o.out_trade_no, o] as const),
  );
  const refunds = new Map(
    ctx.state.list<SandboxRefund>('refund', { merchant: subMchid }).map((r) => [r.out_refund_no, r] as const),
  );
  const withdrawals = new Map(
    ctx.state.list<SandboxWithdraw>('withdraw', { merchant: subMchid }).map((w) => [w.out_request_no, w] as const),
  );
  return { orders, refunds, withdrawals, balance: deps.sandbox.balance(subMchid) };
}

const WITHDRAW_STATUS: Record<string, string> = {
  CREATED: 'CREATE_SUCCESS',
  SUCCESS: 'SUCCESS',
  FAILED: 'FAIL',
  RETURNED: 'REFUND',
};

/**
 * The project and WeChat Pay (the sandbox) agree, once everything has
 * converged: the same orders paid, every refund and withdrawal in the same
 * state, and the merchant's pending + available equal to what WeChat Pay holds.
 */
export async function agreementProblems(deps: TestDeps, shops: Shop[]): Promise<string[]> {
  const problems: string[] = [];
  for (const shop of shops) {
    const wx = sandboxView(deps, shop.subMchid);
    const orders = await allDocs<OrderDoc>(deps, 'orders', { appid: shop.appid });
    const ours = new Set<string>();
    for (const o of orders) {
      const theirs = wx.orders.get(o._id);
      const paidThere = theirs?.trade_state === 'SUCCESS' || theirs?.trade_state === 'REFUND';
      if (o.state === 'PAID') ours.add(o._id);
      if ((o.state === 'PAID') !== paidThere)
        problems.push(`${shop.appid} order ${o._id}: ours ${o.state}, WeChat Pay ${theirs?.trade_state ?? 'none'}`);
    }
    for (const [no, o] of wx.orders)
      if (
        (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND') &&
        !ours.has(no) &&
        !orders.some((x) => x._id === no)
      )
        problems.push(`${shop.appid}: WeChat Pay has a paid order ${no} we do not know`);

    for (const r of await allDocs<RefundDoc>(deps, 'refunds', { appid: shop.appid })) {
      const theirs = wx.refunds.get(r._id);
      if (!theirs) {
        if (!(r.state === 'CLOSED' && r.failure && r.failure.code !== 'CLOSED'))
          problems.push(`${shop.appid} refund ${r._id}: ours ${r.state}, unknown to WeChat Pay`);
      } else if (theirs.status !== r.state || theirs.amount_refund !== r.amountFen) {
        problems.push(
          `${shop.appid} refund ${r._id}: ours ${r.state} ${r.amountFen}, WeChat Pay ${theirs.status} ${theirs.amount_refund}`,
        );
      }
    }
    const known = new Set<string>();
    for (const w of await allDocs<WithdrawalDoc>(deps, 'withdrawals', { appid: shop.appid })) {
      known.add(w._id);
      const theirs = wx.withdrawals.get(w._id);
      if (!LIVE_WITHDRAWAL.has(w.state)) {
        if (theirs) problems.push(`${shop.appid} withdrawal ${w._id}: ours ${w.state}, WeChat Pay ${theirs.status}`);
        continue;
      }
      if (!theirs) {
        if (!(w.state === 'FAILED' && /refused/.test(w.reason ?? '')))
          problems.push(`${shop.appid} withdrawal ${w._id}: ours ${w.state}, unknown to WeChat Pay`);
      } else if (WITHDRAW_STATUS[w.state] !== theirs.status || theirs.amount !== w.amountFen) {
        problems.push(
          `${shop.appid} withdrawal ${w._id}: ours ${w.state} ${w.amountFen}, WeChat Pay ${theirs.status} ${theirs.amount}`,
        );
      }
    }
    for (const no of wx.withdrawals.keys())
      if (!known.has(no)) problems.push(`${shop.appid}: WeChat Pay has a withdrawal ${no} we do not know`);

    const b = await merchantBalances(deps.store, shop.appid);
    if (b.pendingFen + b.availableFen !== wx.balance)
      problems.push(
        `${shop.appid}: pending ${b.pendingFen} + available ${b.availableFen} is not WeChat Pay's balance ${wx.balance}`,
      );
  }
  return problems;
}
