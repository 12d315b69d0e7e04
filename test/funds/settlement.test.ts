// Settlement on fixed clocks: T+N counts Beijing calendar days, moves what
// the order still holds in pending (net of fee and refunds), marks the order
// SETTLED with it, and happens once per order.
import { Writable } from 'node:stream';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { contextFor } from '../../cloudfunctions/core/runtime/identity';
import { createLogger } from '../../cloudfunctions/core/runtime/log';
import { settlementCutoff, settlementDaysFrom, settlesAt } from '../../cloudfunctions/core/domain/funds/settlement';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import { type JournalDoc, merchantBalances } from '../../cloudfunctions/core/ledger/book';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { settleDueOrders } from '../../cloudfunctions/core/funds/settlement';
import { main as jobsMain } from '../../cloudfunctions/jobs';
import { jobs } from '../../cloudfunctions/jobs/registry';
import { type TestDeps, testDeps } from '../support/deps';
import { bindMerchant, paidOrder, refundOrder } from './support';

let deps: TestDeps;

beforeEach(async () => {
  deps = await testDeps();
  await bindMerchant(deps);
});
afterEach(() => deps.close());

// The calendar-day helpers themselves are tested in test/shared/beijing.test.ts.
describe('Beijing calendar days', () => {
  test('T+1: paid any time on day D, available from 00:00 of D+1', () => {
    expect(settlesAt(new Date('2026-01-05T15:59:59Z'), 1).toISOString()).toBe('2026-01-05T16:00:00.000Z'); // 23:59:59 -> next midnight
    expect(settlesAt(new Date('2026-01-05T16:00:01Z'), 1).toISOString()).toBe('2026-01-06T16:00:00.000Z'); // 00:00:01 -> a full day
    expect(settlesAt(new Date('2026-01-05T02:00:00Z'), 0).toISOString()).toBe('2026-01-04T16:00:00.000Z'); // T+0: at once
    // 01-06 11:00 Beijing, T+2: orders paid on 01-04 or before are due.
    expect(settlementCutoff(new Date('2026-01-06T03:00:00Z'), 2).toISOString()).toBe('2026-01-04T16:00:00.000Z');
  });

  test('the period comes from PMS_SETTLEMENT_DAYS, default 1, and a bad value is refused', () => {
    expect(settlementDaysFrom({})).toBe(1);
    expect(settlementDaysFrom({ PMS_SETTLEMENT_DAYS: '3' })).toBe(3);
    expect(() => settlementDaysFrom({ PMS_SETTLEMENT_DAYS: '1.5' })).toThrow(/PMS_SETTLEMENT_DAYS/);
    expect(() => settlementDaysFrom({ PMS_SETTLEMENT_DAYS: '-1' })).toThrow(/PMS_SETTLEMENT_DAYS/);
    expect(() => settlementDaysFrom({ PMS_SETTLEMENT_DAYS: '31' })).toThrow(/PMS_SETTLEMENT_DAYS/);
  });
});

describe('settlement job', () => {
  test('an order paid at 23:59 settles at midnight; one paid at 00:01 waits a full day', async () => {
    const late = await paidOrder(deps, 10000, '2026-01-05T15:59:00.000Z'); // 01-05 23:59 Beijing
    const early = await paidOrder(deps, 20000, '2026-01-05T16:01:00.000Z'); // 01-06 00:01 Beijing
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 9940 + 19880,
      availableFen: 0,
      withdrawingFen: 0,
    });

    deps.clock.set('2026-01-05T15:59:59.999Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 0, settledFen: 0, skipped: 0 });

    deps.clock.set('2026-01-05T16:00:00.000Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 1, settledFen: 9940, skipped: 0 });
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 19880,
      availableFen: 9940,
      withdrawingFen: 0,
    });
    const settled = await deps.store.get<OrderDoc>('orders', late._id);
    expect(settled).toMatchObject({ settlementState: 'SETTLED', settledAt: '2026-01-05T16:00:00.000Z' });
    expect((await deps.store.get<OrderDoc>('orders', early._id))?.settlementState).toBe('PENDING');

    deps.clock.set('2026-01-06T15:59:59.000Z');
    expect((await settleDueOrders(deps)).settled).toBe(0);
    deps.clock.set('2026-01-06T16:00:00.000Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 1, settledFen: 19880, skipped: 0 });
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 29820,
      withdrawingFen: 0,
    });
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('moves only what is still pending: paid, less the fee, less refunds taken from pending', async () => {
    const order = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z'); // fee 60, 9940 pending
    await refundOrder(deps, order._id, 'R1', 3000, '2026-01-05T03:00:00.000Z'); // fee back 18: pending -2982
    const gone = await paidOrder(deps, 500, '2026-01-05T02:30:00.000Z'); // fee 3
    await refundOrder(deps, gone._id, 'R2', 500, '2026-01-05T04:00:00.000Z'); // all of it back

    deps.clock.set('2026-01-06T01:00:00.000Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 2, settledFen: 6958, skipped: 0 });
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 6958,
      withdrawingFen: 0,
    });
    // The fully refunded order is settled with nothing to move: no zero entry.
    expect(await deps.store.get('journal', `settlement:${gone._id}`)).toBeNull();
    expect((await deps.store.get<OrderDoc>('orders', gone._id))?.settlementState).toBe('SETTLED');
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('idempotent per order: reruns, and even an order flipped back to PENDING, move the money once', async () => {
    const order = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    await settleDueOrders(deps);
    expect((await settleDueOrders(deps)).settled).toBe(0);
    await deps.store.update('orders', order._id, { set: { settlementState: 'PENDING' } });
    await settleDueOrders(deps);
    expect(await merchantBalances(deps.store, DEMO_APPID)).toEqual({
      pendingFen: 0,
      availableFen: 9940,
      withdrawingFen: 0,
    });
    expect(await deps.store.count('journal', { kind: 'settlement' })).toBe(1);
  });

  test('an order stored before revisions (no rev) still settles, once', async () => {
    const order = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z', { rev: undefined });
    expect(await deps.store.get<OrderDoc>('orders', order._id)).not.toHaveProperty('rev');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 1, settledFen: 9940, skipped: 0 });
    expect(await deps.store.get<OrderDoc>('orders', order._id)).toMatchObject({ settlementState: 'SETTLED', rev: 1 });
    expect(await settleDueOrders(deps)).toEqual({ settled: 0, settledFen: 0, skipped: 0 });
  });

  test('concurrent runs settle each order once', async () => {
    for (let i = 0; i < 5; i++) await paidOrder(deps, 1000 + i, '2026-01-05T02:00:00.000Z');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    const runs = await Promise.all([settleDueOrders(deps), settleDueOrders(deps), settleDueOrders(deps)]);
    expect(runs.reduce((n, r) => n + r.settled, 0)).toBe(5);
    expect(await deps.store.count('journal', { kind: 'settlement' })).toBe(5);
    expect((await merchantBalances(deps.store, DEMO_APPID)).pendingFen).toBe(0);
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });

  test('T+2 when configured, through the option or PMS_SETTLEMENT_DAYS', async () => {
    await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z'); // 01-05 10:00 Beijing
    deps.clock.set('2026-01-06T17:00:00.000Z'); // 01-07 01:00 Beijing
    expect((await settleDueOrders(deps, { settlementDays: 3 })).settled).toBe(0);
    process.env.PMS_SETTLEMENT_DAYS = '2';
    try {
      expect((await settleDueOrders(deps)).settled).toBe(1);
    } finally {
      delete process.env.PMS_SETTLEMENT_DAYS;
    }
  });

  test('orders that are not PAID, or already settled, are left alone', async () => {
    await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z', { state: 'CLOSED' });
    await paidOrder(deps, 700, '2026-01-05T02:00:00.000Z', { settlementState: 'SETTLED' });
    deps.clock.set('2026-01-07T01:00:00.000Z');
    expect(await settleDueOrders(deps)).toEqual({ settled: 0, settledFen: 0, skipped: 1 });
    expect(await deps.store.count('journal', { kind: 'settlement' })).toBe(0);
  });

  test('runs as the registered settle job', async () => {
    expect(jobs.settle.everyMs).toBeGreaterThan(0);
    const order = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    const results = await jobsMain({ only: ['settle'] });
    expect(results.settle).toEqual({ settled: 1, settledFen: 9940, skipped: 0 });
    const entry = await deps.store.get<JournalDoc>('journal', `settlement:${order._id}`);
    expect(entry?.postings).toEqual([
      { account: `merchant:${DEMO_APPID}:pending`, amountFen: -9940 },
      { account: `merchant:${DEMO_APPID}:available`, amountFen: 9940 },
    ]);
  });
});

describe('a failing order', () => {
  test('is logged and skipped; the orders after it still settle, and the next run settles it', async () => {
    const first = await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
    const second = await paidOrder(deps, 5000, '2026-01-05T03:00:00.000Z');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    // The first order's settlement transaction (orders go by paidAt) fails.
    const tx = jest.spyOn(deps.store, 'transaction').mockRejectedValueOnce(new Error('store unavailable'));
    expect(await settleDueOrders(deps)).toEqual({ settled: 1, settledFen: 4970, skipped: 1 });
    expect(tx).toHaveBeenCalledTimes(2);
    expect((await deps.store.get<OrderDoc>('orders', first._id))?.settlementState).toBe('PENDING');
    expect((await deps.store.get<OrderDoc>('orders', second._id))?.settlementState).toBe('SETTLED');
    tx.mockRestore();
    expect(await settleDueOrders(deps)).toEqual({ settled: 1, settledFen: 9940, skipped: 0 });
    expect((await verifyLedger(deps.store, DEMO_APPID)).ok).toBe(true);
  });
});

describe('the jobs function', () => {
  test('refuses a call that carries a WeChat identity (a mini program user), and runs nothing', async () => {
    await paidOrder(deps, 10000, '2026-01-05T02:00:00.000Z');
    deps.clock.set('2026-01-06T01:00:00.000Z');
    const run = jest.spyOn(jobs.settle, 'run');
    const refused = await jobsMain({ only: ['settle'] }, contextFor({ openid: 'o-any-user', appid: DEMO_APPID }));
    expect(refused).toEqual({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN', message: expect.any(String), details: { action: 'run background jobs' } },
    });
    expect(run).not.toHaveBeenCalled();
    run.mockRestore();
    // A timer trigger carries no identity.
    expect((await jobsMain({ only: ['settle'] }, { request_id: 'timer' })).settle).toEqual({
      settled: 1,
      settledFen: 9940,
      skipped: 0,
    });
  });

  test("a failed job reports a generic failure with a correlation id; the error's text stays in the log", async () => {
    const lines: string[] = [];
    deps.log = createLogger({
      level: 'debug',
      destination: new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const run = jest.spyOn(jobs.settle, 'run').mockRejectedValueOnce(new Error('SQLITE_BUSY at /srv/secret/path'));
    const results = await jobsMain({ only: ['settle'] });
    run.mockRestore();
    expect(results.settle).toEqual({ error: 'failed', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.stringify(results)).not.toContain('SQLITE_BUSY');
    const { correlationId } = results.settle as { correlationId: string };
    expect(lines.find((l) => l.includes(correlationId))).toContain('SQLITE_BUSY');
  });
});
