// Cursor input shared by the list actions, and the typed error for a cursor
// that did not come from the list (the store rejects it as malformed).
import { z } from 'zod';
import { AppError } from '../core/errors';

export const cursorInput = z
  .object({
    after: z.string().min(1).max(1024).optional(),
    limit: z.number().int().min(1).max(50).optional(),
  })
  .strict();

export function badCursor(err: unknown): never {
  if (err instanceof RangeError && /cursor/.test(err.message)) {
    throw new AppError('INPUT.INVALID', 'Please correct: after', { after: 'is not a cursor from this list' });
  }
  throw err;
}
