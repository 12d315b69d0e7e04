// Cursor pagination for list actions: a cursor the client mangled is bad
// input, not a server fault.
import { z } from 'zod';
import { Errors } from '../core/errors';
import type { Doc, FindOptions, Page, Store } from '../core/ports/store';

export const pageInput = {
  after: z.string().min(1).max(512).optional(),
  limit: z.number().int().min(1).max(50).optional(),
};

export async function findPage<T extends Doc>(store: Store, collection: string, options: FindOptions): Promise<Page<T>> {
  try {
    return await store.find<T>(collection, options);
  } catch (err) {
    if (err instanceof RangeError && /cursor/.test(err.message)) throw Errors.badInput({ after: 'not a cursor from a previous page' });
    throw err;
  }
}
