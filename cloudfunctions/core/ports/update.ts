// Applies an Update to a document in memory. Used where an adapter has to
// read-modify-write (SQLite, and CloudBase inside a transaction).
import { readPath } from './cursor';
import type { Doc, Update } from './store';

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    const copy = (next && typeof next === 'object' ? { ...(next as object) } : {}) as Record<string, unknown>;
    node[key] = copy;
    node = copy;
  }
  node[keys[keys.length - 1]] = value;
}

export function applyUpdate<T extends Doc>(doc: T, update: Update): T {
  const next = { ...doc } as Record<string, unknown>;
  for (const [path, value] of Object.entries(update.set ?? {})) {
    if (path === '_id') throw new RangeError('_id cannot be updated');
    setPath(next, path, value);
  }
  for (const [path, delta] of Object.entries(update.inc ?? {})) {
    const current = readPath(next as Doc, path);
    setPath(next, path, (typeof current === 'number' ? current : 0) + delta);
  }
  return next as T;
}
