// The form's fields as the pages show them: input kinds, which hold personal
// data (never kept on the phone), when a field applies, and their words from
// the catalogue (labels, step titles, option lists, document names). The
// backend decides what is valid; these only shape the screens.
import type { MerchantType, OnboardingIntro, RequirementStatus, StepName } from '../../../../typings/onboarding';
import { format, lang } from '../../../i18n/index';
import { formatPpm } from '../../../utils/rate';
import { type OnboardingMessages, pt } from '../i18n/index';
import { BANKS, CERT_TYPES, ID_DOC_TYPES, INDUSTRIES, isKnown, MERCHANT_TYPES, SLOTS } from './codes';

export type FieldKind = 'text' | 'select' | 'date' | 'end' | 'region';
export type OptionSource = 'certTypes' | 'idDocTypes' | 'industries' | 'banks' | 'contactType' | 'accountType';

export interface FieldDef {
  /** The field's key in its step, and its label's key in the catalogue (`fields.<step>.<key>`). */
  key: string;
  kind: FieldKind;
  /** The label's key for an individual business, whose legal representative is its operator. */
  operatorLabel?: 'operator';
  placeholder?: keyof OnboardingMessages['placeholders'];
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
  fields: FieldDef[];
}

const licence = (type: MerchantType) => type === 'INDIVIDUAL' || type === 'ENTERPRISE';
const isSuper = (v: Record<string, string>) => v.contactType === 'SUPER';

function step(name: StepName, fields: FieldDef[]): StepDef {
  return { step: name, fields };
}

export const STEP_DEFS: StepDef[] = [
  step('subject', [
    { key: 'certType', kind: 'select', options: 'certTypes', when: (_v, t) => !licence(t) },
    { key: 'creditCode', kind: 'text', maxlength: 18, placeholder: 'creditCode' },
    { key: 'name', kind: 'text', maxlength: 128 },
    { key: 'legalPerson', kind: 'text', maxlength: 64, sensitive: true, operatorLabel: 'operator' },
    { key: 'address', kind: 'text', maxlength: 128 },
    { key: 'periodBegin', kind: 'date' },
    { key: 'periodEnd', kind: 'end' },
  ]),
  step('identity', [
    { key: 'docType', kind: 'select', options: 'idDocTypes' },
    { key: 'name', kind: 'text', maxlength: 64, sensitive: true },
    { key: 'number', kind: 'text', inputType: 'idcard', maxlength: 20, sensitive: true },
    { key: 'address', kind: 'text', maxlength: 128, sensitive: true, when: (_v, t) => t === 'ENTERPRISE' },
    { key: 'periodBegin', kind: 'date' },
    { key: 'periodEnd', kind: 'end' },
  ]),
  step('contact', [
    { key: 'contactType', kind: 'select', options: 'contactType', when: (_v, t) => t !== 'INDIVIDUAL' },
    { key: 'name', kind: 'text', maxlength: 64, sensitive: true, when: isSuper },
    { key: 'docType', kind: 'select', options: 'idDocTypes', when: isSuper },
    { key: 'number', kind: 'text', inputType: 'idcard', maxlength: 20, sensitive: true, when: isSuper },
    { key: 'periodBegin', kind: 'date', when: isSuper },
    { key: 'periodEnd', kind: 'end', when: isSuper },
    { key: 'mobile', kind: 'text', inputType: 'number', maxlength: 11, sensitive: true, placeholder: 'mobile' },
    { key: 'email', kind: 'text', maxlength: 254, sensitive: true, placeholder: 'email' },
  ]),
  step('business', [
    { key: 'shortName', kind: 'text', maxlength: 64 },
    { key: 'servicePhone', kind: 'text', inputType: 'number', maxlength: 20, placeholder: 'servicePhone' },
    { key: 'industry', kind: 'select', options: 'industries' },
  ]),
  step('bank', [
    { key: 'accountType', kind: 'select', options: 'accountType' },
    { key: 'accountName', kind: 'text', maxlength: 128, sensitive: true },
    { key: 'bank', kind: 'select', options: 'banks' },
    { key: 'branchName', kind: 'text', maxlength: 128, placeholder: 'branchName', when: (v) => v.bank === 'OTHER' },
    // A GB/T 2260 division code, chosen province -> city -> district (utils/regions.ts).
    { key: 'addressCode', kind: 'region' },
    {
      key: 'accountNumber',
      kind: 'text',
      inputType: 'number',
      maxlength: 32,
      sensitive: true,
      placeholder: 'accountNumber',
    },
  ]),
];

export function stepDef(step: string): StepDef | undefined {
  return STEP_DEFS.find((s) => s.step === step);
}

/** A catalogue section's word for a code, if it has one (codes come from the backend). */
function known<T extends object>(section: T, code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(section, code) ? String(section[code as keyof T]) : undefined;
}

/**
 * A backend label written "English (中文)", for a code this app has no words
 * for yet: the part in the user's language when there is one.
 */
export function bilingual(label: string): string {
  const match = /^(.*?)\s*\(([^()]*[\u4e00-\u9fff][^()]*)\)\s*$/.exec(label);
  if (!match) return label;
  return lang() === 'zh-CN' ? match[2] : match[1];
}

/** The title of a step (or of the documents, the last step), as the step bar and summaries show it. */
export function stepTitle(step: StepName | 'documents', type?: MerchantType): string {
  const steps = pt().steps;
  return step === 'identity' && type === 'INDIVIDUAL' ? steps.operator : steps[step];
}

/** The six steps' titles: the five form steps, then the documents. */
export function stepTitles(type?: MerchantType): string[] {
  return [...STEP_DEFS.map((def) => stepTitle(def.step, type)), stepTitle('documents', type)];
}

export function stepHint(step: StepName, type?: MerchantType): string {
  const hints = pt().hints;
  return step === 'identity' && type === 'INDIVIDUAL' ? hints.operator : hints[step];
}

export function fieldLabel(step: StepName, field: FieldDef | string, type?: MerchantType): string {
  const def = typeof field === 'string' ? stepDef(step)?.fields.find((f) => f.key === field) : field;
  const key = def?.operatorLabel && type === 'INDIVIDUAL' ? def.operatorLabel : (def?.key ?? String(field));
  return known(pt().fields[step], key) ?? key;
}

export function placeholderOf(field: FieldDef): string {
  const t = pt();
  if (field.placeholder) return t.placeholders[field.placeholder];
  if (field.kind === 'text') return t.form.enter;
  if (field.kind === 'region') return t.form.regionPlaceholder;
  return field.kind === 'select' ? t.form.choose : t.form.chooseDate;
}

export function merchantTypeTitle(type: MerchantType): string {
  return isKnown(MERCHANT_TYPES, type) ? pt().merchantTypes[type] : type;
}

export function merchantTypeDefinition(type: MerchantType): string {
  return isKnown(MERCHANT_TYPES, type) ? pt().typeDefinitions[type] : '';
}

type RequiredDoc = keyof OnboardingMessages['requiredDocs'];

/** The registration document each type presents, then the IDs (the seed's table). */
const REQUIRED_DOCS: Record<MerchantType, RequiredDoc[]> = {
  INDIVIDUAL: ['licence', 'operatorId'],
  ENTERPRISE: ['licence', 'legalId', 'adminId'],
  INSTITUTION: ['institutionCertificate', 'legalId', 'adminId'],
  GOVERNMENT: ['creditCodeCertificate', 'legalId', 'adminId'],
  SOCIAL_ORG: ['registrationCertificate', 'legalId', 'adminId'],
};

/** "营业执照、经营者身份证件": what a type needs, for the intro. */
export function requiredDocuments(type: MerchantType): string {
  const t = pt();
  return (REQUIRED_DOCS[type] ?? []).map((doc) => t.requiredDocs[doc]).join(t.flow.listSeparator);
}

/** The words for a requirement; its detail may name the entity or the bound account's rate. */
export function requirementText(
  requirement: RequirementStatus,
  intro: Pick<OnboardingIntro, 'miniProgram' | 'merchant' | 'existingMerchant'>,
): { title: string; detail: string } {
  const account = intro.merchant ?? intro.existingMerchant ?? null;
  const words = pt().requirements;
  switch (requirement.code) {
    case 'SAME_ENTITY':
      return {
        title: words.SAME_ENTITY.title,
        detail: format(words.SAME_ENTITY.detail, {
          entity: intro.miniProgram.entityName,
          creditCode: intro.miniProgram.creditCode,
        }),
      };
    case 'FEE_RATE':
      return {
        title: words.FEE_RATE.title,
        detail: account
          ? format(words.FEE_RATE.detailBound, { rate: formatPpm(account.feeRatePpm) })
          : words.FEE_RATE.detail,
      };
    case 'DOMESTIC':
    case 'DIRECT_CONNECTION':
    case 'NO_THIRD_PARTY':
      return words[requirement.code];
    default:
      // A requirement newer than this app: its name in the backend's words beats no name.
      return { title: bilingual((requirement as RequirementStatus).title), detail: '' };
  }
}

export interface Option {
  value: string;
  label: string;
}

export function optionsFor(source: OptionSource, intro: OnboardingIntro, type: MerchantType): Option[] {
  const t = pt();
  switch (source) {
    case 'certTypes':
      return (intro.types.find((x) => x.type === type)?.certTypes ?? []).map((c) => ({
        value: c.value,
        label: isKnown(CERT_TYPES, c.value) ? t.certTypes[c.value] : bilingual(c.label),
      }));
    case 'industries':
      return (intro.types.find((x) => x.type === type)?.industries ?? []).map((i) => ({
        value: i.code,
        label: format(t.form.industryOption, {
          industry: isKnown(INDUSTRIES, i.code) ? t.industries[i.code] : bilingual(i.label),
          rate: formatPpm(i.feeRatePpm),
        }),
      }));
    case 'idDocTypes':
      return intro.idDocTypes.map((d) => ({
        value: d.value,
        label: isKnown(ID_DOC_TYPES, d.value) ? t.idDocTypes[d.value] : bilingual(d.label),
      }));
    case 'banks':
      return intro.banks.map((b) => ({
        value: b.code,
        label: isKnown(BANKS, b.code) ? t.banks[b.code] : bilingual(b.label),
      }));
    case 'contactType':
      return [
        { value: 'LEGAL', label: t.contactTypes.LEGAL },
        { value: 'SUPER', label: t.contactTypes.SUPER },
      ];
    case 'accountType':
      return type === 'INDIVIDUAL'
        ? [
            { value: 'PERSONAL', label: t.accountTypes.PERSONAL },
            { value: 'CORPORATE', label: t.accountTypes.CORPORATE },
          ]
        : [{ value: 'CORPORATE', label: t.accountTypes.CORPORATE }];
  }
}

/** A document's name; an individual business's legal representative is its operator. */
export function slotLabel(slot: string, type?: MerchantType): string {
  const slots = pt().slots;
  if (type === 'INDIVIDUAL' && slot === 'legalIdFront') return slots.operatorIdFront;
  if (type === 'INDIVIDUAL' && slot === 'legalIdBack') return slots.operatorIdBack;
  return isKnown(SLOTS, slot) ? slots[slot] : slot;
}

/** Label of a form path ("identity.number", "documents.licence") for problem lists. */
export function pathLabel(path: string, type?: MerchantType): string {
  const [step, key] = path.split('.');
  if (step === 'documents') return slotLabel(key, type);
  const def = stepDef(step);
  const field = def?.fields.find((f) => f.key === key);
  if (!def || !field) return path;
  return format(pt().flow.pathLabel, { step: stepTitle(def.step, type), field: fieldLabel(def.step, field, type) });
}
