// Submitting: judge everything (every problem listed at once), take the
// submission lock, upload the documents to WeChat Pay as media, send the
// applyment with personal data encrypted for WeChat Pay, then move to
// AUDITING. A failed call releases the lock and leaves the draft as it was.
import type { DocumentSlot } from '../../../typings/onboarding';
import { applymentBody } from '../domain/onboarding/applyment';
import { documentSlots, EXTENSION } from '../domain/onboarding/documents';
import { OnboardingErrors } from '../domain/onboarding/errors';
import { openSteps } from '../domain/onboarding/privacy';
import { fromWechat, transition } from '../domain/onboarding/state';
import { judge } from '../domain/onboarding/validate';
import { AppError } from '../errors';
import { PayError } from '../ports/pay';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import {
  type ApplicationDoc,
  isSubmitting,
  requireActive,
  type StoredDocument,
  today,
  uploadedSlots,
} from './application-doc';
import { readDocument } from './documents';
import { mustGet } from '../ports/store';

/** WeChat Pay media ids are reused for the same content within a day. */
const MEDIA_REUSE_MS = 24 * 3600_000;

function payFailure(err: unknown): AppError {
  if (err instanceof PayError && err.status >= 400 && err.status < 500) return OnboardingErrors.payRefused(err.message);
  return OnboardingErrors.payUnavailable();
}

async function uploadMedia(
  deps: Deps,
  app: ApplicationDoc,
  slots: DocumentSlot[],
): Promise<Partial<Record<DocumentSlot, StoredDocument>>> {
  const now = deps.clock.now();
  const out: Partial<Record<DocumentSlot, StoredDocument>> = {};
  for (const slot of slots) {
    const doc = app.documents[slot];
    if (!doc) throw new Error(`application ${app._id} has no ${slot} document to upload`);
    if (doc.mediaId && doc.mediaAt && now.getTime() - Date.parse(doc.mediaAt) < MEDIA_REUSE_MS) {
      out[slot] = doc;
      continue;
    }
    const content = await readDocument(deps, doc);
    const { mediaId } = await deps.pay.uploadImage(content, `${slot}.${EXTENSION[doc.contentType]}`);
    out[slot] = { ...doc, mediaId, mediaAt: now.toISOString() };
  }
  return out;
}

/**
 * Whether WeChat Pay already holds this submission: a call whose answer was
 * lost still created the applyment, and a retry must not fail on it.
 */
async function alreadySubmitted(deps: Deps, app: ApplicationDoc): Promise<{ applymentId: string } | null> {
  try {
    const status = await deps.pay.queryApplyment(app._id);
    const state = status ? fromWechat(status.state) : null;
    if (status && state && state !== 'REJECTED' && state !== 'CANCELED') return { applymentId: status.applymentId };
  } catch (err) {
    deps.log.warn({ err, applicationId: app._id }, 'applyment query after a failed submit failed too');
  }
  return null;
}

export async function submitApplication(ctx: CallContext): Promise<ApplicationDoc> {
  const { deps, identity, miniProgram } = ctx;
  const app = await requireActive(deps, identity.appid);
  transition(app.state, 'AUDITING', 'submit');
  if (isSubmitting(deps, app)) throw OnboardingErrors.busy();

  const steps = openSteps(app.steps, deps.sealer);
  const uploaded = uploadedSlots(app);
  const verdict = judge({ type: app.merchantType, steps, uploaded }, today(deps), miniProgram);
  if (verdict.entityMismatch) throw OnboardingErrors.entityMismatch(miniProgram.entity.name, verdict.problems);
  if (Object.keys(verdict.problems).length) throw OnboardingErrors.incomplete(verdict.problems);

  // The lock: from here until the end, edits are refused (and a concurrent submit too).
  const started = deps.clock.now().toISOString();
  const locked = await deps.store.update(
    'applications',
    app._id,
    { set: { submitting: started }, inc: { version: 1 } },
    { version: app.version },
  );
  if (!locked) throw OnboardingErrors.busy();
  const version = app.version + 1;
  const release = () =>
    deps.store.update('applications', app._id, { set: { submitting: null }, inc: { version: 1 } }, { version });

  // Optional documents go too when uploaded (the unit proof letter skips account verification).
  const slots = documentSlots(app.merchantType, steps)
    .map(({ slot }) => slot)
    .filter((slot) => uploaded.has(slot));
  let media: Partial<Record<DocumentSlot, StoredDocument>>;
  let applymentId: string;
  try {
    media = await uploadMedia(deps, app, slots);
    await deps.pay.prepareSensitive();
    const body = applymentBody({
      businessCode: app._id,
      appid: identity.appid,
      type: app.merchantType,
      steps,
      media: Object.fromEntries(slots.map((slot) => [slot, media[slot]?.mediaId])),
      encrypt: (plain) => deps.pay.encryptSensitive(plain),
    });
    try {
      ({ applymentId } = await deps.pay.submitApplyment(body));
    } catch (err) {
      const held = await alreadySubmitted(deps, app);
      if (!held) throw err;
      applymentId = held.applymentId;
    }
  } catch (err) {
    await release();
    if (err instanceof AppError) throw err;
    deps.log.warn({ err, applicationId: app._id }, 'applyment submission failed');
    throw payFailure(err);
  }

  const now = deps.clock.now().toISOString();
  const documents = { ...app.documents, ...media };
  const moved = await deps.store.update(
    'applications',
    app._id,
    {
      set: {
        state: transition(app.state, 'AUDITING', 'submit'),
        submitting: null,
        submittedAt: now,
        updatedAt: now,
        applymentId,
        documents,
        review: { rejected: [], checkedAt: now },
      },
      inc: { version: 1 },
    },
    { version },
  );
  if (!moved) throw new Error(`application ${app._id} changed while it was locked for submission`);
  deps.log.info({ applicationId: app._id, applymentId, merchantType: app.merchantType }, 'application submitted');
  return await mustGet<ApplicationDoc>(deps.store, 'applications', app._id);
}
