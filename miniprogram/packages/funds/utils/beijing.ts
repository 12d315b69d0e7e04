// Funds dates are Beijing calendar days (the server's filters, T+1, one
// withdrawal a day): "today" and "this month" here are Beijing's too.
const OFFSET_MS = 8 * 3600_000;

export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** First and last day of the Beijing month containing `now`. */
export function beijingMonth(now: Date = new Date()): { from: string; to: string } {
  const today = beijingToday(now);
  const [y, m] = today.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const month = String(m).padStart(2, '0');
  return { from: `${y}-${month}-01`, to: `${y}-${month}-${String(last).padStart(2, '0')}` };
}
