// Merchant account application: the intro, choosing the type (which opens
// the draft), saving a step, cancelling, and asking WeChat Pay for news.
// Only the mini program's merchant admin may call any of it.
import type { ApplicationView, MerchantType, OnboardingIntro, StepName } from '../../../typings/onboarding';
import { maskMchid } from '../domain/mask';
import { BANKS } from '../domain/onboarding/banks';
import { OnboardingErrors } from '../domain/onboarding/errors';
import { applyPatch, checkStep, emptySteps, readPatch, type Values } from '../domain/onboarding/form';
import { INDUSTRIES } from '../domain/onboarding/industries';
import { openSteps, sealStep, sealSteps } from '../domain/onboarding/privacy';
import { assertRequirements, entityProblems, requirementStatus } from '../domain/onboarding/requirements';
import { transition, UNDER_REVIEW } from '../domain/onboarding/state';
import {
  CERT_TYPE_LABELS,
  CERT_TYPES,
  ID_DOC_LABELS,
  MERCHANT_TYPES,
  SUBJECT_TYPE,
  TYPE_INFO,
} from '../domain/onboarding/types';
import { retype } from '../domain/onboarding/validate';
import { isDuplicate } from '../ports/store';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import {
  activeApplication,
  type ActivePointer,
  type ApplicationDoc,
  assertEditable,
  isSubmitting,
  mutateActive,
  requireActive,
  today,
  viewOf,
} from './application-doc';
import { reviewApplication } from './application-review';
import { submitApplication } from './application-submit';
import { findMerchant, type MerchantDoc } from '../merchants/merchant';

/** A bound merchant account blocks a new application (after its own requirement checks). */
function boundAccount(deps: Deps, appid: string): Promise<MerchantDoc | null> {
  return findMerchant(deps, appid);
}

async function assertMayApply(ctx: CallContext): Promise<void> {
  const bound = await boundAccount(ctx.deps, ctx.identity.appid);
  assertRequirements({
    miniProgram: ctx.miniProgram,
    identity: ctx.identity,
    bound: bound ? { feeRatePpm: bound.feeRatePpm, connection: bound.connection } : null,
  });
  if (bound) throw OnboardingErrors.alreadyBound();
}

async function openApplication(ctx: CallContext, type: ApplicationDoc['merchantType']): Promise<ApplicationDoc> {
  const { deps, identity } = ctx;
  const now = deps.clock.now().toISOString();
  const app: ApplicationDoc = {
    _id: deps.ids.next('APL'),
    appid: identity.appid,
    createdBy: identity.openid,
    merchantType: type,
    state: 'EDITING',
    version: 1,
    steps: emptySteps(),
    documents: {},
    createdAt: now,
    updatedAt: now,
    submitting: null,
    review: { rejected: [] },
  };
  try {
    // One transaction, single documents by id: the pointer's insert is the lock.
    await deps.store.transaction(async (tx) => {
      await tx.insert<ActivePointer>('activeApplications', {
        _id: identity.appid,
        applicationId: app._id,
        createdAt: now,
      });
      await tx.insert<ApplicationDoc>('applications', app);
    });
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    const existing = await activeApplication(deps, identity.appid);
    throw OnboardingErrors.duplicate(existing?.state ?? 'EDITING');
  }
  return app;
}

/** Who can apply, what each type needs, and how this mini program stands. */
export async function onboardingIntro({ deps, identity, miniProgram }: CallContext): Promise<OnboardingIntro> {
  const bound = await boundAccount(deps, identity.appid);
  const app = await activeApplication(deps, identity.appid);
  return {
    miniProgram: {
      appid: miniProgram.appid,
      name: miniProgram.name,
      entityName: miniProgram.entity.name,
      creditCode: miniProgram.entity.creditCode,
    },
    types: MERCHANT_TYPES.map((type) => ({
      type,
      subjectType: SUBJECT_TYPE[type],
      ...TYPE_INFO[type],
      certTypes: CERT_TYPES[type].map((value) => ({ value, label: CERT_TYPE_LABELS[value] })),
      industries: INDUSTRIES[type].map(({ code, label, feeRatePpm }) => ({ code, label, feeRatePpm })),
    })),
    requirements: requirementStatus({
      miniProgram,
      identity,
      bound: bound ? { feeRatePpm: bound.feeRatePpm, connection: bound.connection } : null,
    }),
    idDocTypes: Object.entries(ID_DOC_LABELS).map(([value, label]) => ({
      value: value as keyof typeof ID_DOC_LABELS,
      label,
    })),
    banks: BANKS.map(({ code, label }) => ({ code, label })),
    application: app
      ? { id: app._id, state: app.state, merchantType: app.merchantType, updatedAt: app.updatedAt }
      : null,
    merchant: bound
      ? { mchid: maskMchid(bound.subMchid), name: bound.name, feeRatePpm: bound.feeRatePpm, boundAt: bound.boundAt }
      : null,
    existingMerchant: miniProgram.existingMerchant
      ? { ...miniProgram.existingMerchant, mchid: maskMchid(miniProgram.existingMerchant.mchid) }
      : null,
  };
}

/** The open application (masked), or null. */
export async function getApplication({ deps, identity, miniProgram }: CallContext): Promise<ApplicationView | null> {
  const app = await activeApplication(deps, identity.appid);
  return app ? viewOf(deps, app, miniProgram) : null;
}

/** Opens the draft with a merchant type, or changes the type of the open draft. */
export async function chooseType(
  ctx: CallContext,
  { merchantType: type }: { merchantType: MerchantType },
): Promise<ApplicationView> {
  const { deps, identity, miniProgram } = ctx;
  await assertMayApply(ctx);
  const existing = await activeApplication(deps, identity.appid);
  let app: ApplicationDoc;
  if (!existing) {
    app = await openApplication(ctx, type);
  } else {
    if (existing.state !== 'EDITING' && existing.state !== 'REJECTED') throw OnboardingErrors.duplicate(existing.state);
    app = await mutateActive(deps, identity.appid, (current) => {
      assertEditable(deps, current);
      if (current.merchantType === type) return {};
      const steps = retype(openSteps(current.steps, deps.sealer), type);
      return { set: { merchantType: type, steps: sealSteps(steps, deps.sealer) } };
    });
  }
  return viewOf(deps, app, miniProgram);
}

/** Saves one step of the draft: whatever it holds must be well-formed; missing fields may wait. */
export async function saveStep(
  { deps, identity, miniProgram }: CallContext,
  { step, data }: { step: StepName; data: Record<string, unknown> },
): Promise<ApplicationView> {
  const read = readPatch(step, data);
  if ('problems' in read) throw OnboardingErrors.invalidStep(read.problems);
  const app = await mutateActive(deps, identity.appid, (current) => {
    assertEditable(deps, current);
    const plain = openSteps(current.steps, deps.sealer);
    const merged = applyPatch(step, plain[step] as Values, read.patch);
    const problems = checkStep(step, merged, { type: current.merchantType, today: today(deps) });
    if (Object.keys(problems).length) throw OnboardingErrors.invalidStep(problems);
    if (step === 'subject') {
      const mismatch = entityProblems(merged, miniProgram);
      if (Object.keys(mismatch).length) throw OnboardingErrors.entityMismatch(miniProgram.entity.name, mismatch);
    }
    const set: Record<string, unknown> = { [`steps.${step}`]: sealStep(step, merged, deps.sealer) };
    if (current.state === 'REJECTED') {
      // Mark the rejection reasons the admin has now addressed.
      const touched = new Set(Object.keys(read.patch).map((field) => `${step}.${field}`));
      set['review.rejected'] = current.review.rejected.map((r) =>
        r.formField && touched.has(r.formField) ? { ...r, fixed: true } : r,
      );
    }
    return { set };
  });
  return viewOf(deps, app, miniProgram);
}

/** Submits to WeChat Pay after judging everything; lists every problem at once. */
export async function submitForReview(ctx: CallContext): Promise<ApplicationView> {
  await assertMayApply(ctx);
  const app = await submitApplication(ctx);
  return viewOf(ctx.deps, app, ctx.miniProgram);
}

/** Gives up a draft or a rejected application; its personal data and documents are deleted. */
export async function cancelApplication({ deps, identity }: CallContext): Promise<{ state: 'CANCELED' }> {
  const app = await requireActive(deps, identity.appid);
  transition(app.state, 'CANCELED', 'cancel');
  if (isSubmitting(deps, app)) throw OnboardingErrors.busy();
  const now = deps.clock.now().toISOString();
  const done = await deps.store.transaction(async (tx) => {
    const ok = await tx.update(
      'applications',
      app._id,
      {
        set: { state: 'CANCELED', steps: emptySteps(), documents: {}, updatedAt: now, canceledAt: now },
        inc: { version: 1 },
      },
      { version: app.version },
    );
    if (ok) await tx.remove('activeApplications', identity.appid);
    return ok;
  });
  if (!done) throw OnboardingErrors.busy();
  for (const doc of Object.values(app.documents ?? {})) {
    if (doc)
      await deps.files
        .remove(doc.fileId)
        .catch((err) => deps.log.warn({ err, applicationId: app._id }, 'document not removed'));
  }
  return { state: 'CANCELED' };
}

/** Asks WeChat Pay for the review's progress now (the job does it every few seconds anyway). */
export async function refreshApplication({ deps, identity, miniProgram }: CallContext): Promise<ApplicationView> {
  const app = await requireActive(deps, identity.appid);
  const latest = UNDER_REVIEW.includes(app.state) ? await reviewApplication(deps, app) : app;
  return viewOf(deps, latest, miniProgram);
}
