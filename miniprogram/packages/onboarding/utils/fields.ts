// The form's fields as the pages show them: labels, input kinds, which hold
// personal data (never kept on the phone), and when a field applies. The
// backend decides what is valid; these only shape the screens.
import type { MerchantType, OnboardingIntro, StepName } from '../../../../typings/onboarding';
import { formatPpm } from '../../../utils/rate';

export type FieldKind = 'text' | 'select' | 'date' | 'end';
export type OptionSource = 'certTypes' | 'idDocTypes' | 'industries' | 'banks' | 'contactType' | 'accountType';

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  placeholder?: string;
  /** t-input type: text, number, idcard, digit, nickname. */
  inputType?: string;
  maxlength?: number;
  sensitive?: boolean;
  options?: OptionSource;
  /** Whether the field applies, given the step's current values and the merchant type. */
  when?: (values: Record<string, string>, type: MerchantType) => boolean;
}

export interface StepDef {
  step: StepName;
  title: string;
  hint: string;
  fields: FieldDef[];
}

const licence = (type: MerchantType) => type === 'INDIVIDUAL' || type === 'ENTERPRISE';
const isSuper = (v: Record<string, string>) => v.contactType === 'SUPER';

export const STEP_DEFS: StepDef[] = [
  {
    step: 'subject',
    title: 'Entity',
    hint: "As printed on the licence or registration certificate. It must be the mini program's own entity.",
    fields: [
      {
        key: 'certType',
        label: 'Certificate type',
        kind: 'select',
        options: 'certTypes',
        when: (_v, t) => !licence(t),
      },
      {
        key: 'creditCode',
        label: 'Unified social credit code',
        kind: 'text',
        maxlength: 18,
        placeholder: '18 characters',
      },
      { key: 'name', label: 'Entity name', kind: 'text', maxlength: 128 },
      { key: 'legalPerson', label: 'Legal representative', kind: 'text', maxlength: 64, sensitive: true },
      { key: 'address', label: 'Registered address', kind: 'text', maxlength: 128 },
      { key: 'periodBegin', label: 'Valid from', kind: 'date' },
      { key: 'periodEnd', label: 'Valid until', kind: 'end' },
    ],
  },
  {
    step: 'identity',
    title: 'Legal representative',
    hint: 'The ID of the legal representative (the operator, for an individual business).',
    fields: [
      { key: 'docType', label: 'ID type', kind: 'select', options: 'idDocTypes' },
      { key: 'name', label: 'Name on the ID', kind: 'text', maxlength: 64, sensitive: true },
      { key: 'number', label: 'ID number', kind: 'text', inputType: 'idcard', maxlength: 20, sensitive: true },
      {
        key: 'address',
        label: 'Address on the ID',
        kind: 'text',
        maxlength: 128,
        sensitive: true,
        when: (_v, t) => t === 'ENTERPRISE',
      },
      { key: 'periodBegin', label: 'ID valid from', kind: 'date' },
      { key: 'periodEnd', label: 'ID valid until', kind: 'end' },
    ],
  },
  {
    step: 'contact',
    title: 'Administrator',
    hint: 'The administrator signs the contract and receives WeChat Pay’s messages.',
    fields: [
      {
        key: 'contactType',
        label: 'Administrator',
        kind: 'select',
        options: 'contactType',
        when: (_v, t) => t !== 'INDIVIDUAL',
      },
      { key: 'name', label: "Administrator's name", kind: 'text', maxlength: 64, sensitive: true, when: isSuper },
      { key: 'docType', label: "Administrator's ID type", kind: 'select', options: 'idDocTypes', when: isSuper },
      {
        key: 'number',
        label: "Administrator's ID number",
        kind: 'text',
        inputType: 'idcard',
        maxlength: 20,
        sensitive: true,
        when: isSuper,
      },
      { key: 'periodBegin', label: 'ID valid from', kind: 'date', when: isSuper },
      { key: 'periodEnd', label: 'ID valid until', kind: 'end', when: isSuper },
      { key: 'mobile', label: 'Mobile', kind: 'text', inputType: 'number', maxlength: 11, sensitive: true },
      { key: 'email', label: 'Email', kind: 'text', maxlength: 254, sensitive: true },
    ],
  },
  {
    step: 'business',
    title: 'Business',
    hint: 'What buyers see: the short name on the payment page and the service phone.',
    fields: [
      { key: 'shortName', label: 'Short name', kind: 'text', maxlength: 64 },
      { key: 'servicePhone', label: 'Service phone', kind: 'text', inputType: 'number', maxlength: 20 },
      { key: 'industry', label: 'Industry', kind: 'select', options: 'industries' },
    ],
  },
  {
    step: 'bank',
    title: 'Settlement account',
    hint: "Payments settle here. A corporate account must be in the entity's name.",
    fields: [
      { key: 'accountType', label: 'Account type', kind: 'select', options: 'accountType' },
      { key: 'accountName', label: 'Account name', kind: 'text', maxlength: 128, sensitive: true },
      { key: 'bank', label: 'Bank', kind: 'select', options: 'banks' },
      { key: 'branchName', label: 'Branch (full name)', kind: 'text', maxlength: 128, when: (v) => v.bank === 'OTHER' },
      {
        key: 'addressCode',
        label: 'Branch region code',
        kind: 'text',
        inputType: 'number',
        maxlength: 6,
        placeholder: 'e.g. 440300 for Shenzhen',
      },
      {
        key: 'accountNumber',
        label: 'Account number',
        kind: 'text',
        inputType: 'number',
        maxlength: 32,
        sensitive: true,
      },
    ],
  },
];

export function stepDef(step: string): StepDef | undefined {
  return STEP_DEFS.find((s) => s.step === step);
}

export interface Option {
  value: string;
  label: string;
}

export function optionsFor(source: OptionSource, intro: OnboardingIntro, type: MerchantType): Option[] {
  switch (source) {
    case 'certTypes':
      return intro.types.find((t) => t.type === type)?.certTypes ?? [];
    case 'industries':
      return (intro.types.find((t) => t.type === type)?.industries ?? []).map((i) => ({
        value: i.code,
        label: `${i.label} (${formatPpm(i.feeRatePpm)})`,
      }));
    case 'idDocTypes':
      return intro.idDocTypes;
    case 'banks':
      return intro.banks.map((b) => ({ value: b.code, label: b.label }));
    case 'contactType':
      return [
        { value: 'LEGAL', label: 'The legal representative' },
        { value: 'SUPER', label: 'Someone they authorise' },
      ];
    case 'accountType':
      return type === 'INDIVIDUAL'
        ? [
            { value: 'PERSONAL', label: "Operator's personal account" },
            { value: 'CORPORATE', label: 'Corporate account' },
          ]
        : [{ value: 'CORPORATE', label: 'Corporate account' }];
  }
}

/** Label of a form path ("identity.number", "documents.licence") for problem lists. */
export function pathLabel(path: string, slotLabels: Record<string, string> = SLOT_LABELS): string {
  const [step, key] = path.split('.');
  if (step === 'documents') return slotLabels[key] ?? key;
  const def = stepDef(step);
  const field = def?.fields.find((f) => f.key === key);
  return def && field ? `${def.title}: ${field.label}` : path;
}

export const SLOT_LABELS: Record<string, string> = {
  licence: 'Business licence',
  certificate: 'Registration certificate',
  legalIdFront: "Legal representative's ID, front",
  legalIdBack: "Legal representative's ID, back",
  contactIdFront: "Administrator's ID, front",
  contactIdBack: "Administrator's ID, back",
  authorizationLetter: 'Authorisation letter',
  unitProofLetter: 'Unit proof letter',
};

export const TYPE_TITLES: Record<MerchantType, string> = {
  INDIVIDUAL: 'Individual business owner',
  ENTERPRISE: 'Enterprise',
  INSTITUTION: 'Institution',
  GOVERNMENT: 'Government agency',
  SOCIAL_ORG: 'Social organisation',
};
