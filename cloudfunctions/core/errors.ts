// Typed errors with stable codes. Handlers throw AppError; the runtime turns
// it into { ok: false, error } and turns anything else into INTERNAL with a
// correlation id (the stack goes to the log, never to the client).
import type { ApiError } from '../../typings/api';

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toApi(): ApiError {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export const Errors = {
  badInput: (fields: Record<string, string>) =>
    new AppError('INPUT.INVALID', `Please correct: ${Object.keys(fields).join(', ') || 'the request'}`, fields),
  unknownAction: (fn: string, action: string) => new AppError('INPUT.UNKNOWN_ACTION', `${fn} has no action "${action}"`),
  needsIdempotencyKey: () => new AppError('INPUT.IDEMPOTENCY_KEY_REQUIRED', 'This request needs an idempotencyKey so that it can be retried safely'),
  idempotencyMismatch: () =>
    new AppError('INPUT.IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different request'),
  unauthenticated: () => new AppError('AUTH.NO_IDENTITY', 'The caller has no WeChat identity'),
  forbidden: (action: string) => new AppError('AUTH.FORBIDDEN', `Only the mini program's merchant admin may ${action}`),
  thirdParty: () =>
    new AppError('AUTH.THIRD_PARTY_PLATFORM', 'Calls made by an authorised third-party platform are not supported by payment management'),
  unknownMiniProgram: (appid: string) => new AppError('CONFIG.UNKNOWN_MINI_PROGRAM', `Mini program ${appid} is not registered with this deployment`),
  notFound: (what: string) => new AppError('NOT_FOUND', `${what} was not found`),
};
