// Database round trips and latency per business operation, through the real
// functions on SQLite with the in-process WeChat Pay sandbox (the sandbox's own
// storage is not counted: it stands for WeChat's servers).
import fs from 'node:fs';
import path from 'node:path';
import { main as funds } from '../../cloudfunctions/funds';
import { IDENTITY_CODES_FILE } from '../../cloudfunctions/core/funds/identity-check';
import { settleDueOrders } from '../../cloudfunctions/core/funds/settlement';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import type { Order, Payment } from '../../typings/checkout';
import type { WithdrawalRequested } from '../../typings/funds';
import { buyerPays, checkout, deliver, key, routeNotificationsToPayNotify, seededProduct } from '../checkout/support';
import { bindSandboxMerchant } from '../funds/real';
import { admin, buyer, call, ok, testDeps } from '../support/deps';
import type { Measure } from './measure';

export async function businessOps(n: number): Promise<{ rows: Measure[]; ledgerOk: boolean }> {
  const deps = await testDeps();
  try {
    await bindSandboxMerchant(deps);
    routeNotificationsToPayNotify(deps);
    const product = await seededProduct(deps, /./);
    const rows: Measure[] = [];
    const orders: Order[] = [];
    const payments: Payment[] = [];

    /** Re-expresses a batch step (one call doing `count` things) per thing. */
    const perItem = (count: number, name?: string) => {
      const r = rows[rows.length - 1];
      const usPerOp = Math.round(r.usPerOp / count);
      rows[rows.length - 1] = {
        ...r,
        name: name ?? r.name,
        n: count,
        usPerOp,
        opsPerSec: Math.round(1e6 / usPerOp),
        roundTripsPerOp: r.roundTripsPerOp / count,
      };
    };
    const step = async (name: string, count: number, op: (i: number) => Promise<unknown>) => {
      const trips = deps.store.roundTrips;
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) await op(i);
      const ns = Number(process.hrtime.bigint() - started);
      rows.push({
        name,
        n: count,
        opsPerSec: Math.round((count * 1e9) / ns),
        usPerOp: Math.round(ns / count / 1000),
        roundTripsPerOp: (deps.store.roundTrips - trips) / count,
      });
    };

    await step('createOrder (buyer)', n, async () =>
      orders.push(
        await ok<Order>(
          call(checkout, buyer, 'createOrder', { items: [{ productId: product.id, quantity: 1 }] }, key('b')),
        ),
      ),
    );
    await step('pay: prepay + client params', n, async (i) =>
      payments.push(await ok<Payment>(call(checkout, buyer, 'pay', { orderId: orders[i].id }))),
    );
    for (const p of payments) buyerPays(deps, p);
    await step('payNotify: verify, credit, ledger', 1, () => deliver(deps));
    perItem(n, 'payNotify: verify, credit, ledger (per notification)');
    await step('getOrder (buyer)', n, (i) => ok(call(checkout, buyer, 'getOrder', { orderId: orders[i].id })));
    await step('refund 1 fen (admin)', Math.min(n, 20), (i) =>
      ok(call(checkout, admin, 'refund', { orderId: orders[i].id, amountFen: 1, reason: 'bench' }, key('r'))),
    );
    deps.clock.advance(3 * 86_400_000);
    await step('settlement job', 1, () => settleDueOrders(deps));
    perItem(n, 'settlement job (per order)');
    await step('balances (funds overview)', n, () => ok(call(funds, admin, 'getBalances', {})));
    await step('withdrawal: request + identity confirm', 1, async () => {
      const requested = await ok<WithdrawalRequested>(
        call(funds, admin, 'requestWithdrawal', { amountFen: 100 }, key('w')),
      );
      const lines = fs.readFileSync(path.join(deps.dataDir, IDENTITY_CODES_FILE), 'utf8').trim().split('\n');
      const code = (JSON.parse(lines[lines.length - 1]) as { code: string }).code;
      await ok(
        call(funds, admin, 'confirmWithdrawal', { withdrawalId: requested.withdrawal.id, proof: { code } }, key('c')),
      );
    });
    return { rows, ledgerOk: (await verifyLedger(deps.store)).ok };
  } finally {
    await deps.close();
  }
}
