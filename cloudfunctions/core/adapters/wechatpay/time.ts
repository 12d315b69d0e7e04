// WeChat Pay speaks Beijing time (UTC+08:00, no daylight saving): RFC 3339
// timestamps with an explicit +08:00 offset, bill dates and bill timestamps.
const OFFSET_MS = 8 * 3600_000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function beijingParts(at: Date): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const t = new Date(at.getTime() + OFFSET_MS);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
}

/** 2026-01-05T10:00:00+08:00 */
export function rfc3339(at: Date): string {
  const p = beijingParts(at);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}+08:00`;
}

/** 2026-01-05 10:00:00 (the bills' format) */
export function beijingDateTime(at: Date): string {
  return rfc3339(at).slice(0, 19).replace('T', ' ');
}

/** 2026-01-05 */
export function beijingDate(at: Date): string {
  return rfc3339(at).slice(0, 10);
}

/** yyyyMMddHHmmss, used inside WeChat's ids. */
export function beijingCompact(at: Date): string {
  return rfc3339(at).slice(0, 19).replace(/[-T:]/g, '');
}

/** The instant a Beijing calendar day starts. */
export function beijingDayStart(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`bad date ${date}`);
  const t = Date.parse(`${date}T00:00:00+08:00`);
  if (Number.isNaN(t) || beijingDate(new Date(t)) !== date) throw new RangeError(`bad date ${date}`);
  return new Date(t);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp with an offset; null when malformed. */
export function parseRfc3339(value: string): Date | null {
  if (!RFC3339.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}
