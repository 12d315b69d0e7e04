// Typed errors with stable codes from the catalogue
// (miniprogram/shared/errors). Handlers throw AppError; the runtime turns it
// into { ok: false, error } and turns anything else into INTERNAL with a
// correlation id (the stack goes to the log, never to the client).
import type { Details, DetailsOf, FieldProblems, FieldReason, ServerErrorCode } from '../../miniprogram/shared/errors';
import type { ApiError } from '../../typings/api';

/** Per-field problems for forms: field path -> reason code and its values, never a sentence. */
export type Fields = FieldProblems;

/**
 * Options for a schema refinement whose refusal is `reason` (with `values`):
 * the message documents the rule for developers (docs/api.md), the reason is
 * what the client gets in `fields`.
 */
export function because(reason: FieldReason, message: string, values?: Details): { message: string; params: Details } {
  return { message, params: { reason, ...values } };
}

/** A code that carries details must be given them. */
type DetailArgs<C extends ServerErrorCode> =
  DetailsOf<C> extends undefined ? [fields?: Fields] : [fields: Fields | undefined, details: DetailsOf<C>];

export class AppError<C extends ServerErrorCode = ServerErrorCode> extends Error {
  readonly fields?: Fields;
  readonly details?: DetailsOf<C>;

  constructor(
    readonly code: C,
    message: string,
    ...[fields, details]: DetailArgs<C>
  ) {
    super(message);
    this.name = 'AppError';
    if (fields) this.fields = fields;
    if (details) this.details = details as DetailsOf<C>;
  }

  toApi(): ApiError {
    const error: ApiError = { code: this.code, message: this.message };
    if (this.fields) error.fields = this.fields;
    if (this.details) error.details = this.details;
    return error;
  }
}

export const Errors = {
  badInput: (fields: Fields) =>
    new AppError('INPUT.INVALID', `Please correct: ${Object.keys(fields).join(', ') || 'the request'}`, fields),
  unknownAction: (fn: string, action: string) =>
    new AppError('INPUT.UNKNOWN_ACTION', `${fn} has no action "${action}"`, undefined, { fn, action }),
  needsIdempotencyKey: () =>
    new AppError(
      'INPUT.IDEMPOTENCY_KEY_REQUIRED',
      'This request needs an idempotencyKey so that it can be retried safely',
    ),
  idempotencyMismatch: () =>
    new AppError('INPUT.IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different request'),
  unauthenticated: () => new AppError('AUTH.NO_IDENTITY', 'The caller has no WeChat identity'),
  forbidden: (action: string) =>
    new AppError('AUTH.FORBIDDEN', `Only the mini program's merchant admin may ${action}`, undefined, { action }),
  thirdParty: () =>
    new AppError(
      'AUTH.THIRD_PARTY_PLATFORM',
      'Calls made by an authorised third-party platform are not supported by payment management',
    ),
  unknownMiniProgram: (appid: string) =>
    new AppError(
      'CONFIG.UNKNOWN_MINI_PROGRAM',
      `Mini program ${appid} is not registered with this deployment`,
      undefined,
      { appid },
    ),
};
