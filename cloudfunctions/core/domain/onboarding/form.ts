// The application form: the fields of each step, which of them hold
// personal data, how each is normalised and checked, and when each is
// required for the merchant type. Drafts may be incomplete; whatever a
// draft holds is always well-formed.
import type { IdDocType, MerchantType, StepData, StepName } from '../../../../typings/onboarding';
import { type FieldProblem, type FieldProblems, fieldProblem } from '../../../../miniprogram/shared/errors';
import { bankOf } from './banks';
import {
  checkAccountNumber,
  checkAddressCode,
  checkCreditCode,
  checkEmail,
  checkIdNumber,
  checkMobile,
  checkPersonName,
  checkServicePhone,
} from './checks';
import { industryOf } from './industries';
import { checkIdCardPeriod, checkPeriod, LONG_TERM } from './periods';
import { CERT_TYPES, ID_DOC_LABELS, mayAuthoriseAdministrator, presentsLicence } from './types';

export const STEPS: readonly StepName[] = ['subject', 'identity', 'contact', 'business', 'bank'];

export interface FormContext {
  type: MerchantType;
  /** YYYY-MM-DD, China time. */
  today: string;
}

export type Values = Record<string, string | undefined>;

interface FieldSpec {
  /** Personal data: sealed at rest, masked in responses. */
  sensitive?: boolean;
  max: number;
  min?: number;
  normalise?: (value: string) => string;
  required: (ctx: FormContext, step: Values) => boolean;
  /** Format and in-step rules; `step` is the merged step being saved. */
  check?: (value: string, step: Values, ctx: FormContext) => FieldProblem | null;
}

const always = () => true;
const upper = (v: string) => v.toUpperCase();
const noSpaces = (v: string) => v.replace(/[\s-]/g, '');
const isSuper = (_: FormContext, step: Values) => step.contactType === 'SUPER';
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: string): FieldProblem | null =>
    (values as readonly string[]).includes(v) ? null : fieldProblem('notAChoice');
const notOnlyDigits = (v: string) => (/^[\d\p{P}\p{S}\s]+$/u.test(v) ? fieldProblem('onlyDigitsOrSymbols') : null);
const ID_DOCS = Object.keys(ID_DOC_LABELS) as IdDocType[];

function personName(v: string, docType: string | undefined): FieldProblem | null {
  return checkPersonName(v, ID_DOCS.includes(docType as IdDocType) ? (docType as IdDocType) : undefined);
}

function idNumber(v: string, docType: string | undefined, today: string): FieldProblem | null {
  return ID_DOCS.includes(docType as IdDocType) ? checkIdNumber(docType as IdDocType, v, today) : null;
}

const periodFields = (required: FieldSpec['required']): Record<'periodBegin' | 'periodEnd', FieldSpec> => ({
  periodBegin: {
    max: 10,
    required,
    check: (v, step, ctx) => checkPeriod({ begin: v, end: step.periodEnd }, ctx.today).begin ?? null,
  },
  periodEnd: {
    max: 10,
    required,
    normalise: (v) => (/^(long[-_ ]?term|长期)$/i.test(v) ? LONG_TERM : v),
    check: (v, step, ctx) =>
      checkPeriod({ begin: step.periodBegin, end: v }, ctx.today).end ??
      checkIdCardPeriod(step.docType as IdDocType, step.number, { begin: step.periodBegin, end: v }).end ??
      null,
  },
});

export const FIELDS: Record<StepName, Record<string, FieldSpec>> = {
  subject: {
    certType: {
      max: 32,
      required: (ctx) => !presentsLicence(ctx.type),
      check: (v, _s, ctx) =>
        presentsLicence(ctx.type)
          ? fieldProblem('licenceRequired')
          : (CERT_TYPES[ctx.type] as readonly string[]).includes(v)
            ? null
            : fieldProblem('certTypeNotForType'),
    },
    creditCode: { max: 18, required: always, normalise: upper, check: checkCreditCode },
    name: { min: 2, max: 128, required: always, check: notOnlyDigits },
    legalPerson: {
      sensitive: true,
      min: 2,
      max: 64,
      required: always,
      check: (v) => (/\d/.test(v) ? fieldProblem('hasDigits') : null),
    },
    address: { min: 4, max: 128, required: always, check: notOnlyDigits },
    ...periodFields(always),
  },
  identity: {
    docType: { max: 16, required: always, check: oneOf(ID_DOCS) },
    name: { sensitive: true, max: 64, required: always, check: (v, step) => personName(v, step.docType) },
    number: {
      sensitive: true,
      max: 20,
      required: always,
      normalise: upper,
      check: (v, step, ctx) => idNumber(v, step.docType, ctx.today),
    },
    // WeChat Pay requires the ID address of an enterprise's legal representative.
    address: { sensitive: true, min: 4, max: 128, required: (ctx) => ctx.type === 'ENTERPRISE', check: notOnlyDigits },
    ...periodFields(always),
  },
  contact: {
    contactType: {
      max: 8,
      required: always,
      check: (v, _s, ctx) =>
        v === 'SUPER' && !mayAuthoriseAdministrator(ctx.type)
          ? fieldProblem('operatorIsAdministrator')
          : oneOf(['LEGAL', 'SUPER'])(v),
    },
    name: { sensitive: true, max: 64, required: isSuper, check: (v, step) => personName(v, step.docType) },
    docType: { max: 16, required: isSuper, check: oneOf(ID_DOCS) },
    number: {
      sensitive: true,
      max: 20,
      required: isSuper,
      normalise: upper,
      check: (v, step, ctx) => idNumber(v, step.docType, ctx.today),
    },
    ...periodFields(isSuper),
    mobile: { sensitive: true, max: 11, required: always, normalise: noSpaces, check: checkMobile },
    email: { sensitive: true, max: 254, required: always, check: checkEmail },
  },
  business: {
    shortName: { min: 2, max: 64, required: always, check: notOnlyDigits },
    servicePhone: { max: 20, required: always, normalise: noSpaces, check: checkServicePhone },
    industry: {
      max: 32,
      required: always,
      // the industries listed for this merchant type
      check: (v, _s, ctx) => (industryOf(ctx.type, v) ? null : fieldProblem('notAChoice')),
    },
  },
  bank: {
    accountType: {
      max: 16,
      required: always,
      check: (v, _s, ctx) =>
        v === 'PERSONAL' && ctx.type !== 'INDIVIDUAL'
          ? fieldProblem('corporateAccountOnly')
          : oneOf(['CORPORATE', 'PERSONAL'])(v),
    },
    accountName: { sensitive: true, min: 2, max: 128, required: always },
    bank: { max: 16, required: always, check: (v) => (bankOf(v) ? null : fieldProblem('notAChoice')) },
    branchName: { min: 4, max: 128, required: (_c, step) => step.bank === 'OTHER' },
    addressCode: { max: 6, required: always, check: checkAddressCode },
    accountNumber: {
      sensitive: true,
      // longer than any account number, so that the digits rule (with its limits) is what refuses
      max: 64,
      required: always,
      normalise: noSpaces,
      check: checkAccountNumber,
    },
  },
};

/** Fields only an authorised administrator (SUPER) has; dropped when the legal representative administers. */
const SUPER_ONLY = ['name', 'docType', 'number', 'periodBegin', 'periodEnd'];

export function isSensitive(step: StepName, field: string): boolean {
  return FIELDS[step][field]?.sensitive === true;
}

export type StepPatch = Record<string, string | null>;

/**
 * Reads a client's patch for one step: known fields only, text or null
 * (null or empty clears). Returns the normalised patch or per-field problems.
 */
export function readPatch(
  step: StepName,
  raw: Record<string, unknown>,
): { patch: StepPatch } | { problems: FieldProblems } {
  const specs = FIELDS[step];
  const patch: StepPatch = {};
  const problems: FieldProblems = {};
  for (const [field, value] of Object.entries(raw)) {
    const spec = Object.hasOwn(specs, field) ? specs[field] : undefined;
    if (!spec) {
      problems[`${step}.${field}`] = fieldProblem('unknownField');
      continue;
    }
    if (value === null) {
      patch[field] = null;
      continue;
    }
    if (typeof value !== 'string') {
      problems[`${step}.${field}`] = fieldProblem('invalid');
      continue;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      patch[field] = null;
      continue;
    }
    const normalised = spec.normalise ? spec.normalise(trimmed) : trimmed;
    const length = [...normalised].length;
    if (length > spec.max) problems[`${step}.${field}`] = fieldProblem('tooLong', { max: spec.max });
    else if (spec.min && length < spec.min) problems[`${step}.${field}`] = fieldProblem('tooShort', { min: spec.min });
    else patch[field] = normalised;
  }
  return Object.keys(problems).length ? { problems } : { patch };
}

/** The step after applying a patch. */
export function applyPatch(step: StepName, current: Values, patch: StepPatch): Values {
  const next: Values = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  if (step === 'contact' && next.contactType === 'LEGAL') for (const field of SUPER_ONLY) delete next[field];
  return next;
}

/** Problems with the values a step holds (not counting missing ones). */
export function checkStep(step: StepName, values: Values, ctx: FormContext): FieldProblems {
  const problems: FieldProblems = {};
  for (const [field, spec] of Object.entries(FIELDS[step])) {
    const value = values[field];
    if (value === undefined || !spec.check) continue;
    const problem = spec.check(value, values, ctx);
    if (problem) problems[`${step}.${field}`] = problem;
  }
  // Values left over from a field that no longer applies (a certificate type
  // after switching to a licence type) are problems too.
  for (const field of Object.keys(values)) {
    if (!Object.hasOwn(FIELDS[step], field)) problems[`${step}.${field}`] = fieldProblem('unknownField');
  }
  return problems;
}

/** Required fields the step does not hold yet. */
export function missingFields(step: StepName, values: Values, ctx: FormContext): FieldProblems {
  const missing: FieldProblems = {};
  for (const [field, spec] of Object.entries(FIELDS[step])) {
    if (values[field] === undefined && spec.required(ctx, values))
      missing[`${step}.${field}`] = fieldProblem('required');
  }
  return missing;
}

export function emptySteps(): StepData {
  return { subject: {}, identity: {}, contact: {}, business: {}, bank: {} };
}
