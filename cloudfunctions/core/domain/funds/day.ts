// Calendar days as the merchant lives them: Asia/Shanghai. "One withdrawal a
// day", "5 bank changes a day", T+1 settlement and WeChat's daily bills all
// count days from Beijing midnight, whatever the server's time zone. China
// has had no daylight saving since 1991, so the offset is a constant.

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Shanghai calendar date of an instant: 2026-01-04T16:00:00Z -> "2026-01-05". */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
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

/** The instant Shanghai day `date` begins: "2026-01-05" -> 2026-01-04T16:00:00.000Z. */
export function shanghaiMidnight(date: string): Date {
  assertDate(date);
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

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

/** Instants [start, end) covering Shanghai days `from` through `to` inclusive, as ISO strings. */
export function dayRange(from: string, to: string): { startIso: string; endIso: string } {
  return { startIso: shanghaiMidnight(from).toISOString(), endIso: shanghaiMidnight(addDays(to, 1)).toISOString() };
}

/** "2026-01-05 10:30:00" in Shanghai time, for exports. */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
