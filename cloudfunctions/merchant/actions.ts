// The merchant account application's actions (onboarding): who may call each
// (the merchant admin only), the input it takes, and the use case in
// core/onboarding it runs.
import { z } from 'zod';
import type { DocumentSlot, MerchantType, StepName } from '../../typings/onboarding';
import { ALL_SLOTS } from '../core/domain/onboarding/documents';
import { STEPS } from '../core/domain/onboarding/form';
import { MERCHANT_TYPES } from '../core/domain/onboarding/types';
import {
  cancelApplication,
  chooseType,
  getApplication,
  onboardingIntro,
  refreshApplication,
  saveStep,
  submitForReview,
} from '../core/onboarding/application';
import {
  prepareDocumentUpload,
  previewDocument,
  UPLOAD_EXTENSIONS,
  type UploadExtension,
  uploadDocument,
} from '../core/onboarding/documents';
import { action } from '../core/runtime/action';

const none = z.object({}).strict();
const slot = z.enum(ALL_SLOTS as [DocumentSlot, ...DocumentSlot[]]);

export const applicationActions = {
  /** Who can apply, what each type needs, and how this mini program stands. */
  onboardingIntro: action({ roles: ['admin'], input: none, handler: (_input, ctx) => onboardingIntro(ctx) }),

  /** The open application (masked), or null. */
  getApplication: action({ roles: ['admin'], input: none, handler: (_input, ctx) => getApplication(ctx) }),

  /** Opens the draft with a merchant type, or changes the type of the open draft. */
  chooseType: action({
    roles: ['admin'],
    idempotent: true,
    input: z.object({ merchantType: z.enum(MERCHANT_TYPES as [MerchantType, ...MerchantType[]]) }).strict(),
    handler: (input, ctx) => chooseType(ctx, input),
  }),

  /** Saves one step of the draft: whatever it holds must be well-formed; missing fields may wait. */
  saveStep: action({
    roles: ['admin'],
    input: z
      .object({ step: z.enum(STEPS as [StepName, ...StepName[]]), data: z.record(z.string(), z.unknown()) })
      .strict(),
    handler: (input, ctx) => saveStep(ctx, input),
  }),

  /** Submits to WeChat Pay after judging everything; lists every problem at once. */
  submitApplication: action({
    roles: ['admin'],
    idempotent: true,
    input: none,
    handler: (_input, ctx) => submitForReview(ctx),
  }),

  /** Gives up a draft or a rejected application; its personal data and documents are deleted. */
  cancelApplication: action({
    roles: ['admin'],
    idempotent: true,
    input: none,
    handler: (_input, ctx) => cancelApplication(ctx),
  }),

  /** Asks WeChat Pay for the review's progress now (the job does it every few seconds anyway). */
  refreshApplication: action({ roles: ['admin'], input: none, handler: (_input, ctx) => refreshApplication(ctx) }),

  /**
   * Where to upload a document photo for a slot (a path in cloud storage, in the caller's own
   * folder), refused early when the application cannot take that document.
   */
  prepareDocumentUpload: action({
    roles: ['admin'],
    input: z
      .object({ slot, ext: z.enum(UPLOAD_EXTENSIONS as unknown as [UploadExtension, ...UploadExtension[]]).optional() })
      .strict(),
    handler: (input, ctx) => prepareDocumentUpload(ctx, input),
  }),

  /**
   * Takes the photo the app uploaded to cloud storage (its file id, from the caller's own folder)
   * as the slot's document: JPG, PNG or BMP, at most 2 MB. The uploaded file is deleted afterwards.
   */
  uploadDocument: action({
    roles: ['admin'],
    input: z.object({ slot, fileId: z.string().min(1).max(1024) }).strict(),
    handler: (input, ctx) => uploadDocument(ctx, input),
  }),

  /** The image of a slot, for the upload page's preview after the app was reopened. */
  previewDocument: action({
    roles: ['admin'],
    input: z.object({ slot }).strict(),
    handler: (input, ctx) => previewDocument(ctx, input),
  }),
};
