// The local stack's one clock: real time plus an offset the console can move
// forward (never back), shared by the functions (deps.clock), the WeChat Pay
// client and the sandbox, so settlement days, order and prepay expiry, review
// and bank delays, notification retries and "yesterday's bill" all see the
// same time. The offset is kept in <dataDir>/clock-offset.json, so a restart
// does not take the stack back to before what it already recorded.
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/ports/clock';

export const CLOCK_FILE = 'clock-offset.json';

/** The longest single move (a week): enough for T+N, retries and bills, small enough to type by mistake. */
export const MAX_ADVANCE_MS = 7 * 86_400_000;

export class LocalClock implements Clock {
  private offset: number;

  private constructor(private readonly file: string | null) {
    this.offset = file ? readOffset(file) : 0;
  }

  /** The clock of the stack on `dataDir` (null: not persisted, for tests). */
  static forDataDir(dataDir: string | null): LocalClock {
    return new LocalClock(dataDir ? path.join(dataDir, CLOCK_FILE) : null);
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far ahead of real time the stack runs, in milliseconds. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward by `ms` (1 ms to a week). */
  advance(ms: number): Date {
    if (!Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_ADVANCE_MS)
      throw new RangeError(`the clock moves forward only, by 1 ms to ${MAX_ADVANCE_MS} ms; got ${ms}`);
    this.offset += ms;
    if (this.file) fs.writeFileSync(this.file, `${JSON.stringify({ offsetMs: this.offset })}\n`, { mode: 0o600 });
    return this.now();
  }
}

function readOffset(file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  const offset = (JSON.parse(text) as { offsetMs?: unknown }).offsetMs;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
    throw new Error(`${file}: offsetMs must be a non-negative whole number of milliseconds`);
  return offset;
}
