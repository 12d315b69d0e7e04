// Keyset pagination shared by every Store adapter: a cursor holds the sort
// values of the last item, and the next page is "strictly after" it, which
// each adapter expresses as an OR of ANDed filters it already knows how to run.
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

/** Filters (to be ORed) that select the documents strictly after the cursor. */
export function afterCursor(keys: SortKey[], cursor: string): Filter[] {
  let values: Scalar[];
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('malformed cursor');
  }
  if (!Array.isArray(values) || values.length !== keys.length) throw new RangeError('malformed cursor');
  return keys.map(([field, direction], i) => {
    const filter: Filter = {};
    for (let j = 0; j < i; j++) filter[keys[j][0]] = values[j];
    filter[field] = direction === 'asc' ? { $gt: values[i] } : { $lt: values[i] };
    return filter;
  });
}
