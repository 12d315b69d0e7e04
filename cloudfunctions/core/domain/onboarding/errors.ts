// Every way onboarding can refuse, each with its own stable code.
import { fieldProblem } from '../../../../miniprogram/shared/errors';
import { AppError, Errors, type Fields } from '../../errors';
import { formatRate } from '../fee';
import { MAX_DOCUMENT_BYTES } from './documents';

export const OnboardingErrors = {
  // common requirements of payment management
  overseasEntity: () =>
    new AppError(
      'ONBOARDING.OVERSEAS_ENTITY',
      'Only entities registered in mainland China can apply (legal representatives may be from abroad)',
    ),
  entityMismatch: (expected: string, fields: Fields) =>
    new AppError(
      'ONBOARDING.ENTITY_MISMATCH',
      `The applicant must be the mini program's own entity: ${expected}`,
      fields,
      { expected },
    ),
  feeRateTooHigh: (ratePpm: number) =>
    new AppError(
      'ONBOARDING.FEE_RATE_TOO_HIGH',
      `The merchant account already bound to this mini program has a fee rate of ${formatRate(ratePpm)}; payment management needs 0.6% or lower`,
      undefined,
      { feeRatePpm: ratePpm },
    ),
  notDirect: () =>
    new AppError(
      'ONBOARDING.NOT_DIRECT_CONNECTION',
      'The merchant account already bound to this mini program is connected through an acquirer; payment management needs a directly connected account',
    ),
  thirdParty: Errors.thirdParty,

  // one application per mini program
  duplicate: (state: string) =>
    new AppError(
      'ONBOARDING.DUPLICATE_APPLICATION',
      `This mini program already has an application in progress (${state}); continue or cancel that one`,
      undefined,
      { state },
    ),
  alreadyBound: () =>
    new AppError('ONBOARDING.ALREADY_BOUND', 'A merchant account is already bound to this mini program'),
  noApplication: () =>
    new AppError('ONBOARDING.NO_APPLICATION', 'There is no application in progress; start one first'),

  // the form
  invalidStep: (fields: Fields) =>
    new AppError('INPUT.INVALID', `Please correct: ${Object.keys(fields).join(', ')}`, fields),
  incomplete: (fields: Fields) =>
    new AppError(
      'ONBOARDING.INCOMPLETE',
      `The application cannot be submitted yet: ${Object.keys(fields).length} problem(s) to fix`,
      fields,
      {
        problems: Object.keys(fields).length,
      },
    ),
  notEditable: (state: string) =>
    new AppError('ONBOARDING.NOT_EDITABLE', `An application that is ${state} cannot be changed`, undefined, { state }),
  busy: () => new AppError('ONBOARDING.SUBMITTING', 'The application is being submitted; try again in a moment'),
  illegalTransition: (from: string, to: string) =>
    new AppError('ONBOARDING.ILLEGAL_TRANSITION', `An application cannot go from ${from} to ${to}`, undefined, {
      from,
      to,
    }),

  // documents
  documentType: () =>
    new AppError('ONBOARDING.DOCUMENT_TYPE', 'Upload a JPG, PNG or BMP image', {
      content: fieldProblem('imageType'),
    }),
  documentTooLarge: (bytes: number) =>
    new AppError(
      'ONBOARDING.DOCUMENT_TOO_LARGE',
      `Images can be at most 2 MB; this one is ${(bytes / 1024 / 1024).toFixed(1)} MB`,
      { content: fieldProblem('imageTooLarge', { maxBytes: MAX_DOCUMENT_BYTES }) },
      { bytes, maxBytes: MAX_DOCUMENT_BYTES },
    ),
  documentSlot: (slot: string) =>
    new AppError(
      'ONBOARDING.DOCUMENT_NOT_NEEDED',
      `This application does not take a "${slot}" document`,
      { slot: fieldProblem('documentNotNeeded') },
      { slot },
    ),
  uploadNotFound: () =>
    new AppError(
      'ONBOARDING.UPLOAD_NOT_FOUND',
      'The uploaded photo is not among your uploads (or is gone); upload it again',
    ),
  documentMissing: (slot: string) =>
    new AppError('ONBOARDING.DOCUMENT_MISSING', `No "${slot}" document has been uploaded`, undefined, { slot }),

  // WeChat Pay
  payRefused: (message: string) =>
    new AppError('ONBOARDING.PAY_REFUSED', `WeChat Pay refused the application: ${message}`),
  payUnavailable: () =>
    new AppError(
      'ONBOARDING.PAY_UNAVAILABLE',
      'WeChat Pay could not be reached; your application is saved, try again shortly',
    ),
};
