// Cursor pagination for list actions. A cursor the client mangled is bad
// input, not a server fault: the store rejects it with a RangeError, which
// becomes INPUT.INVALID on `after`.
import { z } from 'zod';
import { fieldProblem } from '../../../miniprogram/shared/errors';
import { Errors } from '../errors';
import type { Doc, FindOptions, Page, Store } from '../ports/store';

export const pageInput = {
  after: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(50).optional(),
};

export const cursorInput = z.object(pageInput).strict();

export type PageRequest = { after?: string; limit?: number };

export async function findPage<T extends Doc>(
  store: Store,
  collection: string,
  options: FindOptions,
): Promise<Page<T>> {
  try {
    return await store.find<T>(collection, options);
  } catch (err) {
    if (err instanceof RangeError && /cursor/.test(err.message))
      throw Errors.badInput({ after: fieldProblem('cursor') });
    throw err;
  }
}
