// How an error is declared: its category (what kind of refusal it is, so
// callers and logs can treat a whole class alike) and, as a type only, the
// details it carries to the client. The app turns a code and its details
// into a message in the user's language; the server's English message is
// for logs and developers.

export type ErrorCategory = 'input' | 'auth' | 'not_found' | 'conflict' | 'limit' | 'provider' | 'internal';

/** Machine-readable details: flat, so any message can use them as placeholders. */
export type Details = Record<string, string | number>;

export interface ErrorSpec<D extends Details | undefined = undefined> {
  readonly category: ErrorCategory;
  /** Never set: carries the details' type. */
  readonly details?: D;
}

export function declare<D extends Details | undefined = undefined>(category: ErrorCategory): ErrorSpec<D> {
  return { category };
}
