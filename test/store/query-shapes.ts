// Query shapes and the indexes that serve them.
//
// A shape is what an index has to match: the fields a query pins to one value
// (equality, null, a one-value $in), the fields with a several-value $in, the
// fields with a range, and the whole sort with its `_id` tiebreaker (see
// cloudfunctions/core/ports/cursor.ts). An index serves a find when it starts
// with the pinned and $in fields (in any order), then continues with the sort
// keys that are not pinned, in order, all one direction (or all the other: an
// ascending index is read backwards), with a range only on the first of those
// sort keys; $ne is left to filter what the index yields. That is CloudBase's
// rule for composite indexes (prefix fields, then the sort in the index's
// order or its exact reverse: docs.cloudbase.net/database/data-index,
// cloud.tencent.com/document/product/876/19371), with MongoDB's placement of
// equality before sort before range; a $in before the sort is served as one
// index range per value merged in order (MongoDB's SORT_MERGE; the SQLite
// adapter's MERGE (UNION ALL)). Every collection also has the `_id` index.
//
// A later page (a cursor) is the same filter ANDed with each segment after
// the cursor (afterCursor), so each segment is checked as a shape of its own.
import { afterCursor, encodeCursor, type SortKey, sortKeys } from '../../cloudfunctions/core/ports/cursor';
import type { Doc, Filter, FindOptions, Range, Store } from '../../cloudfunctions/core/ports/store';

export interface Shape {
  kind: 'find' | 'count';
  collection: string;
  pinned: string[];
  within: string[];
  ranged: string[];
  residual: string[];
  /** The sort with `_id` (empty for a count). */
  sort: SortKey[];
}

const RANGE_OPS: Array<keyof Range> = ['$gt', '$gte', '$lt', '$lte'];

export function shapeOf(kind: Shape['kind'], collection: string, where: Filter, sort: SortKey[]): Shape {
  const pinned = new Set<string>();
  const within = new Set<string>();
  const ranged = new Set<string>();
  const residual = new Set<string>();
  for (const [field, cond] of Object.entries(where)) {
    if (cond === null || typeof cond !== 'object') {
      pinned.add(field);
      continue;
    }
    const ops = Object.keys(cond) as Array<keyof Range>;
    if (ops.length === 1 && cond.$in?.length === 1) pinned.add(field);
    else if (cond.$in) within.add(field);
    if (ops.some((op) => RANGE_OPS.includes(op))) ranged.add(field);
    if (ops.includes('$ne')) residual.add(field);
  }
  for (const field of pinned) {
    within.delete(field);
    ranged.delete(field);
    residual.delete(field);
  }
  const sortedFields = new Set(sort.map(([f]) => f));
  // A $in on a sort key is a set of points along that key: a range.
  for (const field of within) {
    if (sortedFields.has(field)) {
      within.delete(field);
      ranged.add(field);
    }
  }
  return {
    kind,
    collection,
    pinned: [...pinned].sort(),
    within: [...within].sort(),
    ranged: [...ranged].sort(),
    residual: [...residual].sort(),
    sort,
  };
}

/** The filter of both, field by field (a field in both keeps both conditions, as the adapters AND them). */
function and(a: Filter, b: Filter): Filter {
  const out: Filter = { ...a };
  for (const [field, cond] of Object.entries(b)) {
    const mine = out[field];
    if (mine === undefined) out[field] = cond;
    else if (mine === null || typeof mine !== 'object') continue;
    else if (cond === null || typeof cond !== 'object') out[field] = cond;
    else out[field] = { ...mine, ...cond };
  }
  return out;
}

/** The shapes a find makes: its first page, and each segment of a later page (cursors with and without nulls). */
export function findShapes(collection: string, options: FindOptions): Shape[] {
  const keys = sortKeys(options);
  const where = options.where ?? {};
  const shapes = [shapeOf('find', collection, where, keys)];
  for (const fill of ['x', null]) {
    const last: Doc = { _id: 'id' };
    for (const [field] of keys.slice(0, -1)) last[field] = fill;
    for (const segment of afterCursor(keys, encodeCursor(keys, last))) {
      shapes.push(shapeOf('find', collection, and(where, segment), keys));
    }
  }
  return shapes;
}

export function describeShape(s: Shape): string {
  const parts = [
    s.pinned.length ? `= ${s.pinned.join(', ')}` : '',
    s.within.length ? `in ${s.within.join(', ')}` : '',
    s.ranged.length ? `range ${s.ranged.join(', ')}` : '',
    s.residual.length ? `!= ${s.residual.join(', ')}` : '',
    s.kind === 'find' ? `sort ${s.sort.map(([f, d]) => `${f} ${d}`).join(', ')}` : 'count',
  ];
  return `${s.collection}: ${parts.filter(Boolean).join('; ')}`;
}

/** Whether an index (its fields, ascending) serves the shape. */
export function serves(index: string[], s: Shape): boolean {
  const lead = new Set([...s.pinned, ...s.within]);
  if (lead.size > index.length) return false;
  if (!index.slice(0, lead.size).every((f) => lead.has(f))) return false;
  const rest = index.slice(lead.size);
  if (s.kind === 'count') {
    if (s.ranged.length > 1) return false;
    return s.ranged.length === 0 || rest[0] === s.ranged[0];
  }
  const order = s.sort.filter(([f]) => !s.pinned.includes(f));
  if (new Set(order.map(([, d]) => d)).size > 1) return false;
  if (order.some(([f], i) => rest[i] !== f)) return false;
  return s.ranged.every((f) => f === order[0]?.[0]);
}

/** The declared index (or the built-in `_id` index) serving the shape, if any. */
export function servingIndex(declared: string[][], s: Shape): string[] | undefined {
  return [...declared, ['_id']].find((index) => serves(index, s));
}

export interface Recorded {
  kind: 'find' | 'count';
  collection: string;
  options: FindOptions;
  /** The use case's line that made the call (path:line, from the repository root). */
  site: string;
}

const ROOT = `${process.cwd()}/`;

/** The first frame in the functions' code that is not the store itself, a port or the paging helper. */
export function callSite(stack = new Error().stack ?? ''): string {
  for (const line of stack.split('\n')) {
    const m = /\(?([^\s()]+\/cloudfunctions\/[^\s():]+\.ts):(\d+):\d+\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1].startsWith(ROOT) ? m[1].slice(ROOT.length) : m[1];
    if (/cloudfunctions\/core\/(adapters|ports)\/|cloudfunctions\/core\/runtime\/paging\.ts$/.test(file)) continue;
    return `${file}:${m[2]}`;
  }
  return 'unknown';
}

/** The store, recording each find and count it is asked for. */
export function recording(store: Store, out: Recorded[]): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'find' || prop === 'count') {
        return (collection: string, arg?: FindOptions | Filter) => {
          const options: FindOptions = prop === 'find' ? { ...((arg as FindOptions) ?? {}) } : { where: arg as Filter };
          out.push({ kind: prop, collection, options: structuredClone(options), site: callSite() });
          return prop === 'find'
            ? target.find(collection, arg as FindOptions)
            : target.count(collection, arg as Filter);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function servesAny(index: string[], shapes: Shape[]): boolean {
  return shapes.some((s) => serves(index, s));
}
