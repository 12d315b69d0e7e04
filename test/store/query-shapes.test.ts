// Every query the functions make is served by a declared index, on both
// adapters. The real functions run their flows (onboarding to a bound account;
// catalogue, orders, payments, refunds; every job; balances, transactions,
// export, withdrawals, the bank account, reconciliation; the ledger's
// self-check) over a store that records each find and count with the line
// that made it. Then:
// - every find/count call site in the functions' code was exercised (so a new
//   query cannot slip past without a flow here);
// - CloudBase: each query shape, first page and every cursor segment, has a
//   declared index in collections.ts that serves it (query-shapes.ts has the rule);
// - SQLite: each statement the adapter runs for it (and for a later page,
//   with and without nulls in the cursor) is an index search with no
//   temporary sort;
// - every declared index serves some query (none is written for nothing).
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { collections } from '../../cloudfunctions/core/collections';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { FILTERS } from '../../cloudfunctions/core/domain/funds/transactions';
import { IDENTITY_CODES_FILE } from '../../cloudfunctions/core/funds/identity-check';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { encodeCursor, sortKeys } from '../../cloudfunctions/core/ports/cursor';
import type { Doc, FindOptions } from '../../cloudfunctions/core/ports/store';
import { main as funds } from '../../cloudfunctions/funds';
import { main as jobs } from '../../cloudfunctions/jobs';
import { main as merchant } from '../../cloudfunctions/merchant';
import type { Order, Product } from '../../typings/checkout';
import type { WithdrawalRequested } from '../../typings/funds';
import type { ApplicationView } from '../../typings/onboarding';
import { checkout, deliver, key, order, paidOrder, routeNotificationsToPayNotify } from '../checkout/support';
import { bindSandboxMerchant } from '../funds/real';
import { draft, key as onboardingKey } from '../onboarding/support';
import { admin, buyer, call, ok, testDeps } from '../support/deps';
import {
  describeShape,
  findShapes,
  type Recorded,
  recording,
  servesAny,
  shapeOf,
  servingIndex,
  type Shape,
} from './query-shapes';

const recorded: Recorded[] = [];

/** Lists through a page of one, then the next page by its cursor. */
async function bothPages(fn: Parameters<typeof call>[0], action: string, data: Record<string, unknown>) {
  const first = await ok<{ next?: string }>(call(fn, admin, action, { ...data, limit: 1 }));
  if (first.next) await ok(call(fn, admin, action, { ...data, limit: 1, after: first.next }));
}

async function onboardingFlow(): Promise<void> {
  const deps = await testDeps();
  deps.store = recording(deps.store, recorded);
  try {
    await draft('ENTERPRISE');
    await ok(call<ApplicationView>(merchant, admin, 'submitApplication', {}, onboardingKey()));
    await ok(call(merchant, admin, 'getStatus'));
    deps.clock.advance(6_000);
    await deps.sandbox.flush();
    await jobs({ only: ['pollApplications'] });
    await ok(call(merchant, admin, 'getStatus'));
  } finally {
    await deps.close();
  }
}

async function checkoutAndFundsFlow(): Promise<void> {
  const deps = await testDeps();
  deps.store = recording(deps.store, recorded);
  try {
    await bindSandboxMerchant(deps);
    routeNotificationsToPayNotify(deps);
    const products = (await ok<{ items: Product[] }>(call(checkout, buyer, 'listProducts', {}))).items;
    await bothPages(checkout, 'listProducts', { includeInactive: true });
    const line = [{ productId: products[0].id, quantity: 1 }];
    const paid: Order[] = [];
    for (let i = 0; i < 3; i++) paid.push(await paidOrder(deps, line));
    await order(deps, line); // left unpaid: expires, closed by the job
    await ok(call(checkout, buyer, 'getOrder', { orderId: paid[0].id }));
    await ok(call(checkout, admin, 'refund', { orderId: paid[0].id, amountFen: 100, reason: 'shapes' }, key('r')));
    // A second refund of the order first asks WeChat Pay about the open first one.
    await ok(call(checkout, admin, 'refund', { orderId: paid[0].id, amountFen: 50 }, key('r')));
    await deliver(deps);
    await ok(call(checkout, buyer, 'getOrder', { orderId: paid[0].id }));
    const first = await ok<{ next?: string }>(call(checkout, buyer, 'listOrders', { limit: 1 }));
    await ok(call(checkout, buyer, 'listOrders', { limit: 1, after: first.next }));
    for (const filter of [{}, { state: 'PAID' }, { state: 'PAID', refundStatus: 'PARTIAL' }, { refundStatus: 'NONE' }])
      await bothPages(checkout, 'listMerchantOrders', filter);

    // A day on: every job (settlement makes money available for the withdrawal).
    deps.clock.advance(2 * 86_400_000);
    await deps.sandbox.flush();
    await jobs({});
    await ok(call(funds, admin, 'getBalances'));
    await ok(call(funds, admin, 'getOverview'));
    await bothPages(funds, 'listTransactions', {});
    const day = new Date(deps.clock.now().getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
    const today = deps.clock.now().toISOString().slice(0, 10);
    for (const type of Object.keys(FILTERS)) await bothPages(funds, 'listTransactions', { type, from: day, to: today });
    await ok(call(funds, admin, 'exportTransactions', { from: day, to: today }));

    const requested = await ok<WithdrawalRequested>(
      call(funds, admin, 'requestWithdrawal', { amountFen: 100 }, key('w')),
    );
    const lines = fs.readFileSync(path.join(deps.dataDir, IDENTITY_CODES_FILE), 'utf8').trim().split('\n');
    const { code } = JSON.parse(lines[lines.length - 1]) as { code: string };
    await ok(
      call(funds, admin, 'confirmWithdrawal', { withdrawalId: requested.withdrawal.id, proof: { code } }, key('c')),
    );
    await bothPages(funds, 'listWithdrawals', {});
    await ok(
      call(
        funds,
        admin,
        'changeBankAccount',
        {
          accountType: 'CORPORATE',
          accountBank: '招商银行',
          bankAddressCode: '440300',
          accountName: 'Shenzhen Demo Tea Co., Ltd.',
          accountNumber: '6214830000005678',
        },
        key('b'),
      ),
    );
    deps.clock.advance(86_400_000);
    await deps.sandbox.flush();
    await jobs({});
    await bothPages(funds, 'listReconciliations', {});
    await verifyLedger(deps.store);
    await verifyLedger(deps.store, DEMO_APPID);
  } finally {
    await deps.close();
  }
}

/** Lines in the functions' code that call find or count on a store (directly or through findPage). */
function callSites(): string[] {
  const sites: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['adapters', 'ports', 'local', 'node_modules'].includes(entry.name)) walk(file);
      } else if (entry.name.endsWith('.ts') && !file.endsWith(path.join('runtime', 'paging.ts'))) {
        fs.readFileSync(file, 'utf8')
          .split('\n')
          .forEach((text, i) => {
            if (/\b(?:store\.(?:find|count)|findPage)\s*(?:<[^>(]*>)?\s*\(/.test(text))
              sites.push(`${path.relative(process.cwd(), file)}:${i + 1}`);
          });
      }
    }
  };
  walk(path.join(process.cwd(), 'cloudfunctions'));
  return sites.sort();
}

function shapesOf(r: Recorded): Shape[] {
  return r.kind === 'count'
    ? [shapeOf('count', r.collection, r.options.where ?? {}, [])]
    : findShapes(r.collection, r.options);
}

/** A later page of the same find: a cursor holding `fill` in every sort key but `_id`. */
function withCursor(options: FindOptions, fill: string | null): FindOptions {
  const keys = sortKeys(options);
  const last: Doc = { _id: 'id' };
  for (const [field] of keys.slice(0, -1)) last[field] = fill;
  return { ...options, after: encodeCursor(keys, last) };
}

/** What is wrong with a SQLite plan: a table scan where a filter could seek, or a temporary sort. */
function planProblem(plan: string[], filtered: boolean): string | null {
  for (const step of plan) {
    if (/USE TEMP B-TREE/.test(step)) return step;
    if (
      /^(SCAN|SEARCH) /.test(step) &&
      !/USING (COVERING )?INDEX|USING PRIMARY KEY|USING INTEGER PRIMARY KEY/.test(step)
    )
      return step;
    if (filtered && /^SCAN /.test(step)) return step;
  }
  return null;
}

beforeAll(async () => {
  await onboardingFlow();
  await checkoutAndFundsFlow();
}, 60_000);

test('the flows exercise every find and count call site in the functions', () => {
  const seen = new Set(recorded.map((r) => r.site));
  expect(callSites().filter((site) => !seen.has(site))).toEqual([]);
});

test('CloudBase: every query shape (first page and every cursor segment) has a declared index serving it', () => {
  const unserved = new Set<string>();
  for (const r of recorded) {
    for (const shape of shapesOf(r)) {
      if (!servingIndex(collections[r.collection].indexes, shape)) unserved.add(`${describeShape(shape)}  (${r.site})`);
    }
  }
  expect([...unserved].sort()).toEqual([]);
});

test('SQLite: every find is an index search with no temporary sort, on its first and its later pages', async () => {
  const store = new SqliteStore({ file: ':memory:' });
  const problems = new Set<string>();
  try {
    for (const r of recorded) {
      const filtered = Object.keys(r.options.where ?? {}).length > 0;
      if (r.kind === 'count') {
        const problem = planProblem(store.explainCount(r.collection, r.options.where), filtered);
        if (problem) problems.add(`${r.collection} count ${JSON.stringify(r.options.where)}: ${problem} (${r.site})`);
        continue;
      }
      for (const options of [r.options, withCursor(r.options, 'x'), withCursor(r.options, null)]) {
        const after = options.after !== undefined;
        for (const plan of store.explain(r.collection, options)) {
          // A later page always has a bound (the cursor), so it must seek.
          const problem = planProblem(plan, filtered || after);
          if (problem)
            problems.add(
              `${r.collection} ${JSON.stringify({ ...options, after: after ? 'cursor' : undefined })}: ${problem} (${r.site})`,
            );
        }
      }
    }
  } finally {
    await store.close();
  }
  expect([...problems].sort()).toEqual([]);
});

test('every declared index serves some query the functions make', () => {
  const shapes = recorded.flatMap(shapesOf);
  const unused: string[] = [];
  for (const [collection, spec] of Object.entries(collections)) {
    if (collection.startsWith('ct')) continue; // the contract suite's own
    for (const index of spec.indexes) {
      if (
        !servesAny(
          index,
          shapes.filter((s) => s.collection === collection),
        )
      )
        unused.push(`${collection}(${index.join(', ')})`);
    }
  }
  expect(unused).toEqual([]);
});
