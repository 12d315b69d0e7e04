// The error catalogue: every code the product can answer with, declared
// once, per area, with its category and the details it carries. The server's
// AppError accepts only these codes, the app switches on them with the
// compiler's help, and the app's messages are keyed by them.
import { adminErrors } from './admin';
import { checkoutErrors } from './checkout';
import { clientErrors, commonErrors } from './common';
import { fundsErrors } from './funds';
import { onboardingErrors } from './onboarding';
import type { ErrorCategory, ErrorSpec } from './spec';

export type { Details, ErrorCategory } from './spec';
export type { FieldProblem, FieldProblems, FieldReason } from './fields';
export { FIELD_REASONS, fieldProblem, isFieldReason } from './fields';

const serverErrors = { ...commonErrors, ...adminErrors, ...checkoutErrors, ...fundsErrors, ...onboardingErrors };

export const ERRORS = { ...serverErrors, ...clientErrors };

/** Every code. */
export type ErrorCode = keyof typeof ERRORS;
/** Codes a cloud function may answer with. */
export type ServerErrorCode = keyof typeof serverErrors;
/** The details a code carries (undefined for none). */
export type DetailsOf<C extends ErrorCode> = (typeof ERRORS)[C] extends ErrorSpec<infer D> ? D : never;

export function categoryOf(code: ErrorCode): ErrorCategory {
  return ERRORS[code].category;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, value);
}
