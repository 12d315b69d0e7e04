// Money is integer fen everywhere; this is the one place that turns it into
// yuan text (and user-typed yuan back into fen). String arithmetic only, so
// no amount ever passes through a binary fraction.

export interface FenFormat {
  /** Prefix positive amounts with "+" (movements in a ledger list). Negatives always carry "-". */
  sign?: boolean;
  /** Group thousands with commas: ¥1,234.56. Default true. */
  grouping?: boolean;
  /** Currency symbol. Default "¥"; "" for plain numbers. */
  symbol?: string;
}

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an amount in fen: ${fen}`);
}

/** Unsigned "123.45" for |fen|, optionally grouped. */
function yuanDigits(fen: number, grouping: boolean): string {
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const whole = digits.slice(0, -2);
  const cents = digits.slice(-2);
  return `${grouping ? whole.replace(/\B(?=(\d{3})+$)/g, ',') : whole}.${cents}`;
}

/** 12345 -> "¥123.45", -5 -> "-¥0.05", 123456789 -> "¥1,234,567.89". */
export function formatFen(fen: number, options: FenFormat = {}): string {
  assertFen(fen);
  const { sign = false, grouping = true, symbol = '¥' } = options;
  const prefix = fen < 0 ? '-' : sign && fen > 0 ? '+' : '';
  return `${prefix}${symbol}${yuanDigits(fen, grouping)}`;
}

/** Plain yuan with two decimals for exports and inputs: -12345 -> "-123.45". */
export function fenToYuan(fen: number): string {
  assertFen(fen);
  return `${fen < 0 ? '-' : ''}${yuanDigits(fen, false)}`;
}

/**
 * What a person typed as yuan ("12", "12.3", "12.30", "0.05") in fen, or null
 * when it is not a non-negative amount with at most two decimals.
 */
export function yuanToFen(text: string): number | null {
  const match = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/.exec(text);
  if (!match) return null;
  const fen = Number(match[1] + (match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}
