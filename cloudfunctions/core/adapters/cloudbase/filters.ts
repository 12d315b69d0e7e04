// The port's Filter in CloudBase terms: a where-object built from db.command
// for queries the server runs, and the same rules evaluated in code for the
// conditional updates that run inside a transaction (where the SDK can only
// address a document by id). Both follow the SQLite adapter: null equals a
// missing field, ranges never match null or a value of another type.
import { readPath } from '../../ports/cursor';
import type { Doc, Filter, Range, Scalar } from '../../ports/store';

/** The subset of `db.command` this adapter uses (the SDK's own type is loose). */
export interface Commands {
  gt(value: unknown): Cond;
  gte(value: unknown): Cond;
  lt(value: unknown): Cond;
  lte(value: unknown): Cond;
  neq(value: unknown): Cond;
  in(values: unknown[]): Cond;
  and(conditions: unknown[]): unknown;
  or(conditions: unknown[]): unknown;
  set(value: unknown): unknown;
  inc(value: number): unknown;
  remove(): unknown;
}

interface Cond {
  and(other: Cond): Cond;
}

// Same rule as the SQLite adapter, so a name one accepts the other accepts.
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function checkField(field: string): string {
  if (!FIELD.test(field)) throw new RangeError(`bad field name ${field}`);
  return field;
}

type Op = keyof Range;

/**
 * The values of a $in list that can match. As in SQL (`x IN (NULL)` is never
 * true) and so in the SQLite adapter, a null in the list matches nothing;
 * MongoDB would match missing fields with it, so it is left out of the query.
 */
function inList(value: unknown): Scalar[] {
  if (!Array.isArray(value)) throw new RangeError('$in takes a list');
  return value.filter((v): v is Scalar => v !== null);
}

function command(_: Commands, op: string, value: unknown): Cond {
  switch (op as Op) {
    case '$gt':
      return _.gt(value);
    case '$gte':
      return _.gte(value);
    case '$lt':
      return _.lt(value);
    case '$lte':
      return _.lte(value);
    case '$ne':
      return _.neq(value);
    case '$in':
      return _.in(inList(value));
    default:
      throw new RangeError(`unknown operator ${op}`);
  }
}

/** A where-object for `collection.where()`; empty when the filter is. */
export function toWhere(_: Commands, filter: Filter): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  for (const [field, cond] of Object.entries(filter)) {
    checkField(field);
    if (cond === null || typeof cond !== 'object') {
      where[field] = cond;
      continue;
    }
    const ops = Object.entries(cond).map(([op, value]) => command(_, op, value));
    // An empty range constrains nothing (as in SQL); `{}` would mean "equals {}".
    if (ops.length) where[field] = ops.reduce((all, next) => all.and(next));
  }
  return where;
}

/** Where-objects ANDed together, skipping empty ones. */
export function allOf(_: Commands, parts: unknown[]): unknown {
  const kept = parts.filter((p) => !(isPlainObject(p) && Object.keys(p).length === 0));
  if (kept.length === 0) return {};
  return kept.length === 1 ? kept[0] : _.and(kept);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function same(value: unknown, expected: Scalar): boolean {
  if (expected === null) return value === null || value === undefined;
  return value === expected;
}

/** Byte order of UTF-8, which is how both MongoDB and SQLite compare strings. */
function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

function rangeHolds(value: unknown, op: string, operand: unknown): boolean {
  if (op === '$ne') return !same(value, operand as Scalar);
  if (op === '$in') return inList(operand).some((v) => same(value, v));
  const order = compare(value, operand);
  switch (op) {
    case '$gt':
      return order !== null && order > 0;
    case '$gte':
      return order !== null && order >= 0;
    case '$lt':
      return order !== null && order < 0;
    case '$lte':
      return order !== null && order <= 0;
    default:
      throw new RangeError(`unknown operator ${op}`);
  }
}

/** Whether `doc` satisfies `filter`, evaluated in code. */
export function matches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([field, cond]) => {
    const value = readPath(doc, checkField(field));
    if (cond === null || typeof cond !== 'object') return same(value, cond);
    return Object.entries(cond).every(([op, operand]) => rangeHolds(value, op, operand));
  });
}
