// Following WeChat Pay's review of one application: query the applyment,
// move the state, keep the rejection reasons (per field), the signing link
// and the account verification instructions. When it is FINISHED the new
// merchant account is bound to the mini program in the same transaction
// that finishes the application, so running this twice binds once. Binding
// also hands funds what it needs (subject type, an individual business's
// operator, the first settlement account), so funds never reads applications.
import { rejectedFields } from '../domain/onboarding/applyment';
import { bindingFacts } from '../domain/onboarding/binding';
import { industryOf } from '../domain/onboarding/industries';
import { openSteps } from '../domain/onboarding/privacy';
import { observe } from '../domain/onboarding/state';
import type { ApplymentStatus } from '../ports/pay';
import type { Deps } from '../runtime/deps';
import { recordSealedAccount, sealAccount } from '../funds/record-account';
import type { ApplicationDoc } from './application-doc';
import type { MerchantDoc } from '../merchants/merchant';

function reviewOf(deps: Deps, app: ApplicationDoc, status: ApplymentStatus, now: string): ApplicationDoc['review'] {
  const review: ApplicationDoc['review'] = { rejected: [], checkedAt: now };
  if (status.stateDesc) review.stateDesc = status.stateDesc;
  if (status.state === 'APPLYMENT_STATE_REJECTED') {
    review.rejected = rejectedFields(status.auditDetail ?? [], app.steps.contact?.contactType);
  }
  if (status.signUrl) review.signUrl = status.signUrl;
  if (status.accountValidation)
    review.accountValidation = {
      ...status.accountValidation,
      accountName: deps.sealer.seal(status.accountValidation.accountName),
    };
  return review;
}

/** Whether anything the admin sees differs (sealed values differ every time, so compare what they stand for). */
function sameReview(deps: Deps, a: ApplicationDoc['review'], b: ApplicationDoc['review']): boolean {
  const plain = (r: ApplicationDoc['review']) =>
    JSON.stringify({
      ...r,
      checkedAt: undefined,
      accountValidation: r.accountValidation
        ? { ...r.accountValidation, accountName: deps.sealer.open(r.accountValidation.accountName) }
        : undefined,
    });
  return plain(a) === plain(b);
}

export async function reviewApplication(deps: Deps, app: ApplicationDoc): Promise<ApplicationDoc> {
  const status = await deps.pay.queryApplyment(app._id);
  const now = deps.clock.now().toISOString();
  if (!status) {
    deps.log.warn({ applicationId: app._id }, 'WeChat Pay does not know this application');
    return app;
  }
  const next = observe(app.state, status.state);
  const review = reviewOf(deps, app, status, now);

  if (next === 'same' || next === 'ignored') {
    if (next === 'ignored')
      deps.log.warn(
        { applicationId: app._id, state: app.state, remote: status.state },
        'stale applyment state ignored',
      );
    // Only a change the admin can see is written: polling must not churn the document.
    if (next === 'same' && !sameReview(deps, app.review, review)) {
      await deps.store.update(
        'applications',
        app._id,
        { set: { review, updatedAt: now }, inc: { version: 1 } },
        { version: app.version },
      );
    }
    return (await deps.store.get<ApplicationDoc>('applications', app._id)) ?? app;
  }

  const set: Record<string, unknown> = { state: next, review, updatedAt: now };
  if (next === 'FINISHED') {
    if (!status.subMchid) throw new Error(`applyment ${app._id} finished without a sub_mchid`);
    await finishAndBind(deps, app, status.subMchid, set);
  } else {
    await deps.store.transaction(async (tx) => {
      const moved = await tx.update('applications', app._id, { set, inc: { version: 1 } }, { version: app.version });
      // A canceled application no longer blocks a new one.
      if (moved && next === 'CANCELED') await tx.remove('activeApplications', app.appid);
    });
  }
  const latest = (await deps.store.get<ApplicationDoc>('applications', app._id)) ?? app;
  if (latest.state === next) deps.log.info({ applicationId: app._id, from: app.state, to: next }, 'application moved');
  return latest;
}

async function finishAndBind(
  deps: Deps,
  app: ApplicationDoc,
  subMchid: string,
  set: Record<string, unknown>,
): Promise<void> {
  const steps = openSteps(app.steps, deps.sealer);
  const industry = industryOf(app.merchantType, steps.business.industry);
  if (!industry) throw new Error(`application ${app._id} has no industry to take the fee rate from`);
  const facts = bindingFacts(app.merchantType, steps);
  const boundAt = set.updatedAt as string;
  const merchant: MerchantDoc = {
    _id: app.appid,
    appid: app.appid,
    subMchid,
    // The entity's registered name (public, not personal data).
    name: steps.subject.name ?? steps.business.shortName ?? subMchid,
    feeRatePpm: industry.feeRatePpm,
    boundAt,
    applicationId: app._id,
    connection: 'DIRECT',
    settlementId: industry.settlementId,
    merchantType: app.merchantType,
    subjectType: facts.subjectType,
    ...(facts.operatorName ? { operatorNameSealed: deps.sealer.seal(facts.operatorName) } : {}),
  };
  // Sealed before the transaction: a retried body writes the same values.
  const account = facts.settlementAccount ? sealAccount(deps.sealer, facts.settlementAccount) : null;
  if (!account)
    deps.log.warn({ applicationId: app._id }, 'finished application has no complete bank account; none recorded');
  await deps.store.transaction(async (tx) => {
    const existing = await tx.get<MerchantDoc>('merchants', app.appid);
    if (existing && existing.applicationId !== app._id) {
      throw new Error(
        `mini program ${app.appid} already has merchant ${existing.subMchid} bound; application ${app._id} not bound`,
      );
    }
    const finished = await tx.update(
      'applications',
      app._id,
      { set: { ...set, subMchid, boundAt: existing?.boundAt ?? boundAt }, inc: { version: 1 } },
      { version: app.version },
    );
    // Lost the race to another run: it finished and bound; nothing to do.
    if (!finished || existing) return;
    await tx.insert<MerchantDoc>('merchants', merchant);
    if (account) await recordSealedAccount(tx, app.appid, account, boundAt);
  });
}
