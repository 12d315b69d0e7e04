// Errors of the merchant account application: the common requirements of
// payment management, one application per mini program, the form, the
// documents, and WeChat Pay's answers.
import { declare } from './spec';

export const onboardingErrors = {
  'ONBOARDING.OVERSEAS_ENTITY': declare('auth'),
  /** The mismatching fields travel in `fields`. */
  'ONBOARDING.ENTITY_MISMATCH': declare<{ expected: string }>('input'),
  'ONBOARDING.FEE_RATE_TOO_HIGH': declare<{ feeRatePpm: number }>('auth'),
  'ONBOARDING.NOT_DIRECT_CONNECTION': declare('auth'),
  'ONBOARDING.DUPLICATE_APPLICATION': declare<{ state: string }>('conflict'),
  'ONBOARDING.ALREADY_BOUND': declare('conflict'),
  'ONBOARDING.NO_APPLICATION': declare('not_found'),
  /** Every problem travels in `fields`. */
  'ONBOARDING.INCOMPLETE': declare<{ problems: number }>('input'),
  'ONBOARDING.NOT_EDITABLE': declare<{ state: string }>('conflict'),
  'ONBOARDING.SUBMITTING': declare('conflict'),
  'ONBOARDING.ILLEGAL_TRANSITION': declare<{ from: string; to: string }>('conflict'),
  'ONBOARDING.DOCUMENT_TYPE': declare('input'),
  'ONBOARDING.DOCUMENT_TOO_LARGE': declare<{ bytes: number; maxBytes: number }>('limit'),
  'ONBOARDING.DOCUMENT_NOT_NEEDED': declare<{ slot: string }>('input'),
  'ONBOARDING.DOCUMENT_MISSING': declare<{ slot: string }>('not_found'),
  /** The file id handed in is not an upload of the caller's (or it is gone). */
  'ONBOARDING.UPLOAD_NOT_FOUND': declare('not_found'),
  'ONBOARDING.PAY_REFUSED': declare('provider'),
  'ONBOARDING.PAY_UNAVAILABLE': declare('provider'),
} as const;
