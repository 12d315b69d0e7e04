// Beijing time, the one copy for the app and the server (pure TypeScript: no
// `wx`, no Node). Money days are Beijing calendar days: the transaction
// filters, T+1 settlement, "one withdrawal a day", WeChat Pay's timestamps and
// daily bills. The app shows times in Beijing time too, whatever the phone's
// time zone, so a time on screen always falls in the day a filter puts it in.
// China has had no daylight saving since 1991: the offset is a constant
// +08:00, so no time zone database is needed.

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DDTHH:mm:ss.sssZ" whose fields are Beijing wall-clock time; RangeError for an invalid Date. */
function wallClock(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString();
}

/** The Beijing calendar date of an instant: 2026-01-04T16:00:00Z -> "2026-01-05". */
export function beijingDate(at: Date): string {
  return wallClock(at).slice(0, 10);
}

/** "2026-01-05 10:30:00" in Beijing time (exports, WeChat Pay's bills). */
export function beijingDateTime(at: Date): string {
  return wallClock(at).slice(0, 19).replace('T', ' ');
}

/** 2026-01-05T10:00:00+08:00, the RFC 3339 form WeChat Pay speaks. */
export function rfc3339(at: Date): string {
  return `${wallClock(at).slice(0, 19)}+08:00`;
}

/** yyyyMMddHHmmss in Beijing time, used inside WeChat's ids. */
export function beijingCompact(at: Date): string {
  return wallClock(at).slice(0, 19).replace(/[-T:]/g, '');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp with an offset; null when malformed. */
export function parseRfc3339(value: string): Date | null {
  if (!RFC3339.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Whether `text` is a real YYYY-MM-DD date (no 2026-02-30). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

function assertDate(date: string): void {
  if (!isDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
}

/** The instant Beijing day `date` begins: "2026-01-05" -> 2026-01-04T16:00:00.000Z. RangeError for a bad date. */
export function beijingMidnight(date: string): Date {
  assertDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

/** "2026-02-28" + 1 -> "2026-03-01" (calendar days; negative goes back). */
export function addDays(date: string, days: number): string {
  assertDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` ("2026-01-01", "2026-01-31" -> 30). */
export function daysBetween(a: string, b: string): number {
  assertDate(a);
  assertDate(b);
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Instants [start, end) covering Beijing days `from` through `to` inclusive, as ISO strings. */
export function dayRange(from: string, to: string): { startIso: string; endIso: string } {
  return { startIso: beijingMidnight(from).toISOString(), endIso: beijingMidnight(addDays(to, 1)).toISOString() };
}

/** Today's Beijing date. */
export function beijingToday(now: Date = new Date()): string {
  return beijingDate(now);
}

/** First and last day of the Beijing month containing `now`. */
export function beijingMonth(now: Date = new Date()): { from: string; to: string } {
  const today = beijingToday(now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${today.slice(0, 7)}-01`, to: `${today.slice(0, 7)}-${String(last).padStart(2, '0')}` };
}

// ---- display (the app) ----------------------------------------------------------------

/** Date-time text without an offset ("2025-11-27T12:05") is taken as Beijing wall-clock time, never the phone's. */
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const ISO_DAY = /^(\d{4}-\d{2}-\d{2})(T|$)/;

function instant(iso: string): Date | null {
  // Date.parse rolls 2026-02-30 over into March; an impossible day shows nothing instead.
  const day = ISO_DAY.exec(iso);
  if (day && !isDate(day[1])) return null;
  const t = Date.parse(NO_OFFSET.test(iso) ? `${iso}+08:00` : iso);
  // The second test: an instant at the very end of Date's range has no Beijing wall-clock time.
  return Number.isNaN(t) || Number.isNaN(new Date(t + OFFSET_MS).getTime()) ? null : new Date(t);
}

/** "2025-11-27T04:05:06.000Z" -> "2025-11-27" in Beijing time; "" for anything unparsable. */
export function formatDate(iso: string): string {
  const at = instant(iso);
  return at ? beijingDate(at) : '';
}

/** "2025-11-27T04:05:06.000Z" -> "2025-11-27 12:05" in Beijing time; "" for anything unparsable. */
export function formatDateTime(iso: string): string {
  const at = instant(iso);
  return at ? beijingDateTime(at).slice(0, 16) : '';
}
