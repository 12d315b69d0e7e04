// The whole application as submit judges it: every step complete and
// well-formed today, the rules that span steps, the documents, and the
// applicant being the mini program's own entity. Every problem is listed,
// keyed by the form field to fix.
import type { DocumentSlot, MerchantType, StepData } from '../../../../typings/onboarding';
import { type FieldProblems, fieldProblem } from '../../../../miniprogram/shared/errors';
import { documentSlots } from './documents';
import { checkStep, type FormContext, missingFields, STEPS, type Values } from './form';
import { industryOf } from './industries';
import { entityProblems, normaliseEntityName } from './requirements';
import { CERT_TYPES, mayAuthoriseAdministrator } from './types';
import type { RegisteredMiniProgram } from '../mini-program';

export interface DraftForCheck {
  type: MerchantType;
  /** Opened (plain) values. */
  steps: StepData;
  /** Slots that hold an uploaded document. */
  uploaded: ReadonlySet<DocumentSlot>;
}

export interface Verdict {
  problems: FieldProblems;
  /** The applicant is not the mini program's registered entity. */
  entityMismatch: boolean;
}

const samePerson = (a: string, b: string) =>
  a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

export function judge(draft: DraftForCheck, today: string, miniProgram: RegisteredMiniProgram): Verdict {
  const ctx: FormContext = { type: draft.type, today };
  const { steps } = draft;
  const problems: FieldProblems = {};
  for (const step of STEPS) {
    const values = steps[step] as Values;
    Object.assign(problems, missingFields(step, values, ctx), checkStep(step, values, ctx));
  }

  const entity = entityProblems(steps.subject, miniProgram);
  for (const [field, reason] of Object.entries(entity)) problems[field] ??= reason;

  const { subject, identity, bank } = steps;
  if (
    subject.legalPerson &&
    identity.name &&
    !samePerson(subject.legalPerson, identity.name) &&
    !problems['identity.name']
  ) {
    problems['identity.name'] = fieldProblem(
      draft.type === 'INDIVIDUAL' ? 'mustMatchOperator' : 'mustMatchLegalPerson',
    );
  }
  if (bank.accountName && !problems['bank.accountName'] && !problems['bank.accountType']) {
    if (bank.accountType === 'PERSONAL' && identity.name && !samePerson(bank.accountName, identity.name)) {
      problems['bank.accountName'] = fieldProblem('personalAccountName');
    }
    if (
      bank.accountType === 'CORPORATE' &&
      subject.name &&
      normaliseEntityName(bank.accountName) !== normaliseEntityName(subject.name)
    ) {
      problems['bank.accountName'] = fieldProblem('corporateAccountName', { name: subject.name });
    }
  }

  for (const { slot, required } of documentSlots(draft.type, steps)) {
    if (required && !draft.uploaded.has(slot)) problems[`documents.${slot}`] = fieldProblem('documentRequired');
  }
  return { problems, entityMismatch: Object.keys(entity).length > 0 };
}

/**
 * The form after switching merchant type: values that do not apply to the
 * new type are dropped so that the draft stays well-formed.
 */
export function retype(steps: StepData, type: MerchantType): StepData {
  const next: StepData = {
    subject: { ...steps.subject },
    identity: { ...steps.identity },
    contact: { ...steps.contact },
    business: { ...steps.business },
    bank: { ...steps.bank },
  };
  if (next.subject.certType && !CERT_TYPES[type].includes(next.subject.certType)) delete next.subject.certType;
  if (!industryOf(type, next.business.industry)) delete next.business.industry;
  if (type !== 'INDIVIDUAL' && next.bank.accountType === 'PERSONAL') delete next.bank.accountType;
  if (!mayAuthoriseAdministrator(type) && next.contact.contactType === 'SUPER') {
    next.contact = {
      ...(next.contact.mobile ? { mobile: next.contact.mobile } : {}),
      ...(next.contact.email ? { email: next.contact.email } : {}),
    };
  }
  return next;
}
