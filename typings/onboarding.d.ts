// Merchant onboarding DTOs shared by the mini program and the `merchant`
// function. Type-only: the app imports it with `import type`.
import type { FieldProblems } from '../miniprogram/shared/errors';

/** The five merchant types of payment management (WeChat Pay subject types in brackets). */
export type MerchantType =
  | 'INDIVIDUAL' // SUBJECT_TYPE_INDIVIDUAL: individual business owner
  | 'ENTERPRISE' // SUBJECT_TYPE_ENTERPRISE
  | 'INSTITUTION' // SUBJECT_TYPE_INSTITUTIONS
  | 'GOVERNMENT' // SUBJECT_TYPE_GOVERNMENT
  | 'SOCIAL_ORG'; // SUBJECT_TYPE_OTHERS: social organisations

/** WeChat Pay's applyment states without the APPLYMENT_STATE_ prefix. */
export type ApplicationState =
  | 'EDITING'
  | 'AUDITING'
  | 'REJECTED'
  | 'TO_BE_CONFIRMED'
  | 'TO_BE_SIGNED'
  | 'SIGNING'
  | 'FINISHED'
  | 'CANCELED';

/** Form steps after the type choice, in order. */
export type StepName = 'subject' | 'identity' | 'contact' | 'business' | 'bank';

export type DocumentSlot =
  | 'licence' // business licence (individual business, enterprise)
  | 'certificate' // registration certificate (institution, government, social organisation)
  | 'legalIdFront' // legal representative's / operator's ID, portrait side
  | 'legalIdBack' // ... national emblem side (not for passports)
  | 'contactIdFront' // administrator's ID when the administrator is not the legal representative
  | 'contactIdBack'
  | 'authorizationLetter' // letter authorising that administrator
  | 'unitProofLetter'; // optional proof letter (institution, government): skips the account verification

export type IdDocType = 'MAINLAND_ID' | 'PASSPORT' | 'HK_PERMIT' | 'MACAO_PERMIT' | 'TAIWAN_PERMIT';

export type CertType =
  | 'CERTIFICATE_TYPE_2388'
  | 'CERTIFICATE_TYPE_2389'
  | 'CERTIFICATE_TYPE_2394'
  | 'CERTIFICATE_TYPE_2395'
  | 'CERTIFICATE_TYPE_2396'
  | 'CERTIFICATE_TYPE_2399'
  | 'CERTIFICATE_TYPE_2400'
  | 'CERTIFICATE_TYPE_2520'
  | 'CERTIFICATE_TYPE_2521'
  | 'CERTIFICATE_TYPE_2522';

/** Dates are YYYY-MM-DD; a period end may be LONG_TERM. */
export interface SubjectStep {
  /** Only for institution, government and social organisation. */
  certType?: CertType;
  /** 18-character unified social credit code. */
  creditCode?: string;
  /** Entity name exactly as on the licence or certificate. */
  name?: string;
  /** Legal representative (or operator) as on the licence. */
  legalPerson?: string;
  address?: string;
  periodBegin?: string;
  periodEnd?: string;
}

export interface IdentityStep {
  docType?: IdDocType;
  name?: string;
  number?: string;
  address?: string;
  periodBegin?: string;
  periodEnd?: string;
}

export interface ContactStep {
  /** LEGAL: the legal representative / operator is the administrator; SUPER: someone they authorise. */
  contactType?: 'LEGAL' | 'SUPER';
  name?: string;
  docType?: IdDocType;
  number?: string;
  periodBegin?: string;
  periodEnd?: string;
  mobile?: string;
  email?: string;
}

export interface BusinessStep {
  /** Shown to buyers on the payment result page. */
  shortName?: string;
  servicePhone?: string;
  /** An industry code from the catalogue of this merchant type. */
  industry?: string;
}

export interface BankStep {
  accountType?: 'CORPORATE' | 'PERSONAL';
  accountName?: string;
  /** Bank code from the catalogue (OTHER needs branchName). */
  bank?: string;
  branchName?: string;
  /** 6-digit province/city code of the opening branch. */
  addressCode?: string;
  accountNumber?: string;
}

export interface StepData {
  subject: SubjectStep;
  identity: IdentityStep;
  contact: ContactStep;
  business: BusinessStep;
  bank: BankStep;
}

export interface DocumentInfo {
  contentType: 'image/jpeg' | 'image/png' | 'image/bmp';
  bytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface RejectedField {
  /** WeChat Pay's field name, e.g. id_card_number. */
  wechatField: string;
  /** WeChat Pay's label for it. */
  label: string;
  reason: string;
  /** Where to fix it in our form: `subject.creditCode`, `documents.licence`; null when it maps to no field. */
  formField: string | null;
  step: StepName | 'documents' | null;
  /** The admin has changed that field since the rejection. */
  fixed?: boolean;
}

export interface ApplicationView {
  id: string;
  merchantType: MerchantType;
  state: ApplicationState;
  /** True while the admin may still edit (draft or rejected). */
  editable: boolean;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  /** Values as saved; personal data masked (re-enter a masked field to change it). */
  steps: StepData;
  /** Which steps hold every field they need. */
  complete: Record<StepName | 'documents', boolean>;
  /** The documents this type needs now, and the optional ones. */
  documentSlots: Array<{ slot: DocumentSlot; required: boolean }>;
  documents: Partial<Record<DocumentSlot, DocumentInfo>>;
  /** Everything submit would refuse right now: field path -> reason code and values (empty when ready). */
  problems: FieldProblems;
  review: {
    stateDesc?: string;
    rejected: RejectedField[];
    signUrl?: string;
    accountValidation?: {
      accountName: string;
      payAmountFen: number;
      destinationAccountNumber: string;
      deadline: string;
    };
    checkedAt?: string;
  };
  /** The merchant account bound to the mini program, once FINISHED. */
  merchant: null | { mchid: string; name: string; feeRatePpm: number; boundAt: string };
}

export interface MerchantTypeInfo {
  type: MerchantType;
  subjectType: string;
  title: string;
  definition: string;
  /** Document names, for the intro page. */
  documents: string[];
  certTypes: Array<{ value: CertType; label: string }>;
  industries: Array<{ code: string; label: string; feeRatePpm: number }>;
}

export interface RequirementStatus {
  code: 'DOMESTIC' | 'SAME_ENTITY' | 'FEE_RATE' | 'DIRECT_CONNECTION' | 'NO_THIRD_PARTY';
  title: string;
  detail: string;
  /** How this mini program stands against it. */
  met: boolean;
}

export interface OnboardingIntro {
  miniProgram: { appid: string; name: string; entityName: string; creditCode: string };
  types: MerchantTypeInfo[];
  requirements: RequirementStatus[];
  idDocTypes: Array<{ value: IdDocType; label: string }>;
  banks: Array<{ code: string; label: string }>;
  /** The open (or finished) application, if any. */
  application: null | { id: string; state: ApplicationState; merchantType: MerchantType; updatedAt: string };
  merchant: null | { mchid: string; name: string; feeRatePpm: number; boundAt: string };
  /** A merchant account the registration record declares the mini program already has (masked mchid). */
  existingMerchant?: null | { mchid: string; feeRatePpm: number; connection: 'DIRECT' | 'INDIRECT' };
}
