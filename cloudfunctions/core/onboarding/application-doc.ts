// The stored application and what the admin sees of it. Personal data is
// sealed in the document and masked in the view. Every write is a
// conditional update on `version`, so two writers never silently overwrite
// each other; the `activeApplications/<appid>` pointer keeps one open
// application per mini program.
import type {
  ApplicationState,
  ApplicationView,
  DocumentInfo,
  DocumentSlot,
  MerchantType,
  RejectedField,
  StepData,
  StepName,
} from '../../../typings/onboarding';
import type { MiniProgramRecord } from '../config';
import { maskMchid, maskName } from '../domain/mask';
import { beijingDate } from '../../../miniprogram/shared/beijing';
import { documentSlots } from '../domain/onboarding/documents';
import { OnboardingErrors } from '../domain/onboarding/errors';
import { checkStep, type FormContext, missingFields, STEPS, type Values } from '../domain/onboarding/form';
import { maskSteps, openSteps } from '../domain/onboarding/privacy';
import { isEditable } from '../domain/onboarding/state';
import { judge } from '../domain/onboarding/validate';
import { type Update, mustGet } from '../ports/store';
import type { Deps } from '../runtime/deps';
import type { MerchantDoc } from '../merchants/merchant';

export interface StoredDocument extends DocumentInfo {
  fileId: string;
  /** WeChat Pay media id of this exact content, and when it was uploaded there. */
  mediaId?: string;
  mediaAt?: string;
}

export interface ApplicationDoc {
  /** Also WeChat Pay's business_code: a resubmission after rejection replaces the applyment. */
  _id: string;
  appid: string;
  createdBy: string;
  merchantType: MerchantType;
  state: ApplicationState;
  version: number;
  /** Sensitive values sealed (see privacy.ts). */
  steps: StepData;
  documents: Partial<Record<DocumentSlot, StoredDocument>>;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  /** Set while a submission is uploading and calling WeChat Pay; edits wait. */
  submitting?: string | null;
  applymentId?: string;
  review: {
    stateDesc?: string;
    rejected: RejectedField[];
    signUrl?: string;
    /** accountName sealed. */
    accountValidation?: {
      accountName: string;
      payAmountFen: number;
      destinationAccountNumber: string;
      deadline: string;
    };
    checkedAt?: string;
  };
  subMchid?: string;
  boundAt?: string;
  [field: string]: unknown;
}

export interface ActivePointer {
  _id: string; // appid
  applicationId: string;
  createdAt: string;
  [field: string]: unknown;
}

/** A submission older than this was interrupted (a crashed call); it no longer blocks edits. */
export const SUBMIT_STALE_MS = 5 * 60_000;

export function today(deps: Deps): string {
  return beijingDate(deps.clock.now());
}

export async function activeApplication(deps: Deps, appid: string): Promise<ApplicationDoc | null> {
  const pointer = await deps.store.get<ActivePointer>('activeApplications', appid);
  return pointer ? deps.store.get<ApplicationDoc>('applications', pointer.applicationId) : null;
}

export async function requireActive(deps: Deps, appid: string): Promise<ApplicationDoc> {
  const app = await activeApplication(deps, appid);
  if (!app) throw OnboardingErrors.noApplication();
  return app;
}

export function isSubmitting(deps: Deps, app: ApplicationDoc): boolean {
  return !!app.submitting && deps.clock.now().getTime() - Date.parse(app.submitting) < SUBMIT_STALE_MS;
}

/** The application as the admin may change it right now, or the reason why not. */
export function assertEditable(deps: Deps, app: ApplicationDoc): void {
  if (!isEditable(app.state)) throw OnboardingErrors.notEditable(app.state);
  if (isSubmitting(deps, app)) throw OnboardingErrors.busy();
}

/**
 * Applies `change` to the latest version of the active application: reads,
 * lets `change` decide (it may throw to refuse), writes conditionally, and
 * starts over if someone else wrote in between.
 */
export async function mutateActive(
  deps: Deps,
  appid: string,
  change: (app: ApplicationDoc) => Promise<Update> | Update,
): Promise<ApplicationDoc> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const app = await requireActive(deps, appid);
    const update = await change(app);
    const set = { ...update.set, updatedAt: deps.clock.now().toISOString() };
    const ok = await deps.store.update(
      'applications',
      app._id,
      { set, inc: { ...update.inc, version: 1 } },
      { version: app.version },
    );
    if (ok) return await mustGet<ApplicationDoc>(deps.store, 'applications', app._id);
  }
  throw OnboardingErrors.busy();
}

export function uploadedSlots(app: ApplicationDoc): Set<DocumentSlot> {
  return new Set(Object.keys(app.documents ?? {}) as DocumentSlot[]);
}

function documentView(doc: StoredDocument): DocumentInfo {
  return { contentType: doc.contentType, bytes: doc.bytes, sha256: doc.sha256, uploadedAt: doc.uploadedAt };
}

export async function viewOf(
  deps: Deps,
  app: ApplicationDoc,
  miniProgram: MiniProgramRecord,
): Promise<ApplicationView> {
  const plain = openSteps(app.steps, deps.sealer);
  const ctx: FormContext = { type: app.merchantType, today: today(deps) };
  const complete = {} as ApplicationView['complete'];
  for (const step of STEPS as StepName[]) {
    const values = plain[step] as Values;
    complete[step] =
      Object.keys(missingFields(step, values, ctx)).length === 0 &&
      Object.keys(checkStep(step, values, ctx)).length === 0;
  }
  const slots = documentSlots(app.merchantType, plain);
  const uploaded = uploadedSlots(app);
  complete.documents = slots.every(({ slot, required }) => !required || uploaded.has(slot));

  const documents: ApplicationView['documents'] = {};
  for (const [slot, doc] of Object.entries(app.documents ?? {}))
    if (doc) documents[slot as DocumentSlot] = documentView(doc);

  const review: ApplicationView['review'] = { rejected: app.review?.rejected ?? [] };
  if (app.review?.stateDesc) review.stateDesc = app.review.stateDesc;
  if (app.review?.signUrl) review.signUrl = app.review.signUrl;
  if (app.review?.checkedAt) review.checkedAt = app.review.checkedAt;
  if (app.review?.accountValidation) {
    const v = app.review.accountValidation;
    const name = deps.sealer.open(v.accountName);
    review.accountValidation = { ...v, accountName: plain.bank.accountType === 'PERSONAL' ? maskName(name) : name };
  }

  let merchant: ApplicationView['merchant'] = null;
  if (app.state === 'FINISHED') {
    const bound = await deps.store.get<MerchantDoc>('merchants', app.appid);
    if (bound)
      merchant = {
        mchid: maskMchid(bound.subMchid),
        name: bound.name,
        feeRatePpm: bound.feeRatePpm,
        boundAt: bound.boundAt,
      };
  }

  return {
    id: app._id,
    merchantType: app.merchantType,
    state: app.state,
    editable: isEditable(app.state),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
    ...(app.submittedAt ? { submittedAt: app.submittedAt } : {}),
    steps: maskSteps(plain),
    complete,
    documentSlots: slots,
    documents,
    problems: isEditable(app.state)
      ? judge({ type: app.merchantType, steps: plain, uploaded }, ctx.today, miniProgram).problems
      : {},
    review,
    merchant,
  };
}
