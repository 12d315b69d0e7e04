// The port's Update as CloudBase update data: `set` paths become $set (whole
// objects and arrays wrapped in `_.set` so they replace rather than merge, as
// applyUpdate does), `inc` paths become $inc, and a set to undefined removes
// the field (what a JSON round trip does in the SQLite adapter).
import { readPath } from '../../ports/cursor';
import type { Doc, Update } from '../../ports/store';
import { checkField, type Commands } from './filters';

/** Documents are JSON: Dates become strings and undefined fields vanish, as in SQLite. */
export function toJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

export function isEmptyUpdate(update: Update): boolean {
  return Object.keys(update.set ?? {}).length === 0 && Object.keys(update.inc ?? {}).length === 0;
}

export function toUpdateData(_: Commands, update: Update): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const paths: string[] = [];
  const claim = (path: string) => {
    checkField(path);
    if (path === '_id') throw new RangeError('_id cannot be updated');
    // MongoDB refuses two operators on one path; say so before the request.
    const clash = paths.find((p) => overlaps(p, path));
    if (clash) throw new RangeError(`update touches ${clash} and ${path} at once`);
    paths.push(path);
  };
  for (const [path, value] of Object.entries(update.set ?? {})) {
    claim(path);
    const json = toJson(value);
    if (json === undefined) data[path] = _.remove();
    else data[path] = json !== null && typeof json === 'object' ? _.set(json) : json;
  }
  for (const [path, delta] of Object.entries(update.inc ?? {})) {
    claim(path);
    data[path] = _.inc(delta);
  }
  return data;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether applying `update` to `doc` would leave it unchanged. CloudBase
 * counts modified documents (MongoDB's nModified), so an update that matched
 * but changed nothing reports 0; this tells that case apart from "no match".
 */
export function changesNothing(doc: Doc, update: Update): boolean {
  const sets = Object.entries(update.set ?? {}).every(([path, value]) => deepEqual(readPath(doc, path), toJson(value)));
  const incs = Object.entries(update.inc ?? {}).every(
    ([path, delta]) => delta === 0 && typeof readPath(doc, path) === 'number',
  );
  return sets && incs;
}
