// Keyset pagination shared by every Store adapter: a cursor holds the sort
// values of the last item, and the next page is "strictly after" it.
//
// "Strictly after" is split into disjoint SEGMENTS, listed in sort order, each
// a plain conjunction an index can serve as one range (equality on the keys
// before, a bound on one key). An adapter either runs them one after another
// until the page is full (SQLite) or sends them as one rooted $or (CloudBase,
// each branch its own index scan). No segment compares with null: both
// MongoDB ({$gt: null} matches nothing, type bracketing) and SQL (`x > NULL`
// is never true) would drop the rest of the list at a null group. Null and a
// missing field sort lowest in both engines, so ascending lists pass the null
// group first and descending lists end with it.
import type { Direction, Doc, Filter, FindOptions, Scalar } from './store';

export type SortKey = [field: string, direction: Direction];

export const MAX_PAGE = 100;

export function sortKeys(options: FindOptions): SortKey[] {
  const keys = (options.orderBy ?? []).filter(([field]) => field !== '_id');
  const last = options.orderBy?.find(([field]) => field === '_id')?.[1] ?? keys[keys.length - 1]?.[1] ?? 'asc';
  return [...keys, ['_id', last]];
}

export function pageLimit(options: FindOptions): number {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  return limit;
}

export function readPath(doc: Doc, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value == null ? undefined : (value as Record<string, unknown>)[key]), doc);
}

export function encodeCursor(keys: SortKey[], last: Doc): string {
  const values = keys.map(([field]) => readPath(last, field) ?? null);
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

export function decodeCursor(keys: SortKey[], cursor: string): Scalar[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('malformed cursor');
  }
  if (!Array.isArray(values) || values.length !== keys.length || !values.every(isScalar)) {
    throw new RangeError('malformed cursor');
  }
  // The last key is _id, which is never null.
  if (typeof values[values.length - 1] !== 'string') throw new RangeError('malformed cursor');
  return values;
}

/**
 * The documents strictly after the cursor, as disjoint filters in sort order
 * (to be ORed, or run in turn). For key i with the keys before it equal:
 * ascending after v is `> v` (after null: `!= null`); descending after v is
 * `< v` and then the null group (after null: nothing more on this key).
 */
export function afterCursor(keys: SortKey[], cursor: string): Filter[] {
  const values = decodeCursor(keys, cursor);
  const segments: Filter[] = [];
  // Deepest key first: "same prefix, later _id" comes before "later first key".
  for (let i = keys.length - 1; i >= 0; i--) {
    const prefix: Filter = {};
    for (let j = 0; j < i; j++) prefix[keys[j][0]] = values[j];
    const [field, direction] = keys[i];
    const value = values[i];
    if (direction === 'asc') {
      segments.push({ ...prefix, [field]: value === null ? { $ne: null } : { $gt: value } });
    } else if (value !== null) {
      segments.push({ ...prefix, [field]: { $lt: value } });
      if (field !== '_id') segments.push({ ...prefix, [field]: null });
    }
  }
  return segments;
}
