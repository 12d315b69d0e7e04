// Tiny measuring helpers for `npm run bench`: wall time and store round trips
// of one operation repeated n times, reported together so ratios come from
// one run on one machine.
import type { Store } from '../../cloudfunctions/core/ports/store';

export interface Measure {
  name: string;
  n: number;
  opsPerSec: number;
  usPerOp: number;
  roundTripsPerOp: number;
}

export async function measure(
  name: string,
  store: Store,
  n: number,
  op: (i: number) => Promise<unknown>,
): Promise<Measure> {
  const trips = store.roundTrips;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const ns = Number(process.hrtime.bigint() - started);
  return {
    name,
    n,
    opsPerSec: Math.round((n * 1e9) / ns),
    usPerOp: Math.round(ns / n / 1000),
    roundTripsPerOp: (store.roundTrips - trips) / n,
  };
}

export function table(rows: Measure[]): string {
  const header = ['operation', 'n', 'ops/s', 'µs/op', 'db round trips/op'];
  const lines = rows.map((r) => [
    r.name,
    String(r.n),
    String(r.opsPerSec),
    String(r.usPerOp),
    r.roundTripsPerOp.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
