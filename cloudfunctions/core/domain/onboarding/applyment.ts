// The application as WeChat Pay's applyment4sub request body, and WeChat
// Pay's rejection reasons mapped back onto our form. Personal data goes out
// encrypted with the platform public key (the `encrypt` passed in is
// PayProvider.encryptSensitive), never in plain text.
import type {
  DocumentSlot,
  IdDocType,
  MerchantType,
  RejectedField,
  StepData,
  StepName,
} from '../../../../typings/onboarding';
import { bankOf } from './banks';
import { industryOf } from './industries';
import { LONG_TERM } from './periods';
import { hasBackSide, ID_DOC_WECHAT, presentsLicence, SUBJECT_TYPE } from './types';

export interface ApplymentInput {
  businessCode: string;
  /** The mini program the merchant account is for (sales scene and binding). */
  appid: string;
  type: MerchantType;
  /** Plain values, already judged complete and valid. */
  steps: StepData;
  /** WeChat Pay media ids of the uploaded documents. */
  media: Partial<Record<DocumentSlot, string>>;
  encrypt: (plain: string) => string;
}

const wechatDate = (value: string | undefined) => (value === LONG_TERM ? '长期' : value);

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null || value === '')
    throw new Error(`applyment body: ${what} is missing (judge the application first)`);
  return value;
}

/** Drops undefined members so the body carries only what applies. */
function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export function applymentBody(input: ApplymentInput): Record<string, unknown> {
  const { steps, media, encrypt, type } = input;
  const { subject, identity, contact, business, bank } = steps;
  const enc = (value: string | undefined, what: string) => encrypt(need(value, what));
  const idDoc = need(identity.docType, 'identity.docType') as IdDocType;

  const identityInfo =
    idDoc === 'MAINLAND_ID'
      ? {
          id_holder_type: 'LEGAL',
          id_doc_type: ID_DOC_WECHAT[idDoc],
          id_card_info: compact({
            id_card_copy: need(media.legalIdFront, 'legalIdFront'),
            id_card_national: need(media.legalIdBack, 'legalIdBack'),
            id_card_name: enc(identity.name, 'identity.name'),
            id_card_number: enc(identity.number, 'identity.number'),
            id_card_address: identity.address ? encrypt(identity.address) : undefined,
            card_period_begin: need(identity.periodBegin, 'identity.periodBegin'),
            card_period_end: wechatDate(need(identity.periodEnd, 'identity.periodEnd')),
          }),
        }
      : {
          id_holder_type: 'LEGAL',
          id_doc_type: ID_DOC_WECHAT[idDoc],
          id_doc_info: compact({
            id_doc_copy: need(media.legalIdFront, 'legalIdFront'),
            id_doc_copy_back: hasBackSide(idDoc) ? need(media.legalIdBack, 'legalIdBack') : undefined,
            id_doc_name: enc(identity.name, 'identity.name'),
            id_doc_number: enc(identity.number, 'identity.number'),
            id_doc_address: identity.address ? encrypt(identity.address) : undefined,
            doc_period_begin: need(identity.periodBegin, 'identity.periodBegin'),
            doc_period_end: wechatDate(need(identity.periodEnd, 'identity.periodEnd')),
          }),
        };
  // An enterprise declares its beneficial owners; this form declares the
  // legal representative as the (sole) beneficial owner.
  if (type === 'ENTERPRISE') Object.assign(identityInfo, { owner: true });

  const registration = presentsLicence(type)
    ? {
        business_license_info: {
          license_copy: need(media.licence, 'licence'),
          license_number: need(subject.creditCode, 'subject.creditCode'),
          merchant_name: need(subject.name, 'subject.name'),
          legal_person: need(subject.legalPerson, 'subject.legalPerson'),
          license_address: need(subject.address, 'subject.address'),
          period_begin: need(subject.periodBegin, 'subject.periodBegin'),
          period_end: wechatDate(need(subject.periodEnd, 'subject.periodEnd')),
        },
      }
    : compact({
        certificate_info: {
          cert_copy: need(media.certificate, 'certificate'),
          cert_type: need(subject.certType, 'subject.certType'),
          cert_number: need(subject.creditCode, 'subject.creditCode'),
          merchant_name: need(subject.name, 'subject.name'),
          company_address: need(subject.address, 'subject.address'),
          legal_person: need(subject.legalPerson, 'subject.legalPerson'),
          period_begin: need(subject.periodBegin, 'subject.periodBegin'),
          period_end: wechatDate(need(subject.periodEnd, 'subject.periodEnd')),
        },
        certificate_letter_copy: media.unitProofLetter,
      });

  const administrator =
    contact.contactType === 'SUPER'
      ? compact({
          contact_type: 'SUPER',
          contact_name: enc(contact.name, 'contact.name'),
          contact_id_doc_type: ID_DOC_WECHAT[need(contact.docType, 'contact.docType') as IdDocType],
          contact_id_number: enc(contact.number, 'contact.number'),
          contact_id_doc_copy: need(media.contactIdFront, 'contactIdFront'),
          contact_id_doc_copy_back: hasBackSide(contact.docType as IdDocType)
            ? need(media.contactIdBack, 'contactIdBack')
            : undefined,
          contact_period_begin: need(contact.periodBegin, 'contact.periodBegin'),
          contact_period_end: wechatDate(need(contact.periodEnd, 'contact.periodEnd')),
          business_authorization_letter: need(media.authorizationLetter, 'authorizationLetter'),
        })
      : {
          contact_type: 'LEGAL',
          contact_name: enc(identity.name, 'identity.name'),
          contact_id_doc_type: ID_DOC_WECHAT[idDoc],
          contact_id_number: enc(identity.number, 'identity.number'),
        };

  const industry = need(industryOf(type, business.industry), 'business.industry');
  const bankInfo = need(bankOf(bank.bank), 'bank.bank');

  return {
    business_code: input.businessCode,
    contact_info: {
      ...administrator,
      mobile_phone: enc(contact.mobile, 'contact.mobile'),
      contact_email: enc(contact.email, 'contact.email'),
    },
    subject_info: {
      subject_type: SUBJECT_TYPE[type],
      finance_institution: false,
      ...registration,
      identity_info: identityInfo,
    },
    business_info: {
      merchant_shortname: need(business.shortName, 'business.shortName'),
      service_phone: need(business.servicePhone, 'business.servicePhone'),
      sales_info: {
        sales_scenes_type: ['SALES_SCENES_MINI_PROGRAM'],
        mini_program_info: { mini_program_sub_appid: input.appid },
      },
    },
    settlement_info: { settlement_id: industry.settlementId, qualification_type: industry.qualificationType },
    bank_account_info: compact({
      bank_account_type: bank.accountType === 'PERSONAL' ? 'BANK_ACCOUNT_TYPE_PERSONAL' : 'BANK_ACCOUNT_TYPE_CORPORATE',
      account_name: enc(bank.accountName, 'bank.accountName'),
      account_bank: bankInfo.wechatName,
      bank_address_code: need(bank.addressCode, 'bank.addressCode'),
      bank_name: bank.branchName,
      account_number: enc(bank.accountNumber, 'bank.accountNumber'),
    }),
  };
}

// ---- rejection reasons back onto the form -----------------------------------------
const FIELD_OF: Record<string, string> = {
  license_copy: 'documents.licence',
  cert_copy: 'documents.certificate',
  certificate_letter_copy: 'documents.unitProofLetter',
  license_number: 'subject.creditCode',
  cert_number: 'subject.creditCode',
  cert_type: 'subject.certType',
  merchant_name: 'subject.name',
  legal_person: 'subject.legalPerson',
  license_address: 'subject.address',
  company_address: 'subject.address',
  period_begin: 'subject.periodBegin',
  period_end: 'subject.periodEnd',
  id_doc_type: 'identity.docType',
  id_card_copy: 'documents.legalIdFront',
  id_doc_copy: 'documents.legalIdFront',
  id_card_national: 'documents.legalIdBack',
  id_doc_copy_back: 'documents.legalIdBack',
  id_card_name: 'identity.name',
  id_doc_name: 'identity.name',
  id_card_number: 'identity.number',
  id_doc_number: 'identity.number',
  id_card_address: 'identity.address',
  id_doc_address: 'identity.address',
  card_period_begin: 'identity.periodBegin',
  doc_period_begin: 'identity.periodBegin',
  card_period_end: 'identity.periodEnd',
  doc_period_end: 'identity.periodEnd',
  contact_type: 'contact.contactType',
  contact_name: 'contact.name',
  contact_id_doc_type: 'contact.docType',
  contact_id_number: 'contact.number',
  contact_id_doc_copy: 'documents.contactIdFront',
  contact_id_doc_copy_back: 'documents.contactIdBack',
  contact_period_begin: 'contact.periodBegin',
  contact_period_end: 'contact.periodEnd',
  business_authorization_letter: 'documents.authorizationLetter',
  mobile_phone: 'contact.mobile',
  contact_email: 'contact.email',
  merchant_shortname: 'business.shortName',
  service_phone: 'business.servicePhone',
  settlement_id: 'business.industry',
  qualification_type: 'business.industry',
  bank_account_type: 'bank.accountType',
  account_name: 'bank.accountName',
  account_bank: 'bank.bank',
  bank_address_code: 'bank.addressCode',
  bank_branch_id: 'bank.branchName',
  bank_name: 'bank.branchName',
  account_number: 'bank.accountNumber',
};

/** When the legal representative administers, the contact's name and ID are the identity step's. */
const LEGAL_CONTACT: Record<string, string> = {
  contact_name: 'identity.name',
  contact_id_number: 'identity.number',
  contact_id_doc_type: 'identity.docType',
};

/**
 * Where a rejected WeChat Pay field is fixed in our form. WeChat names the
 * field bare (`id_card_number`) or by path (`subject_info.identity_info...`);
 * the last segment decides.
 */
export function formFieldOf(wechatField: string, contactType?: string): string | null {
  const last = wechatField.split('.').pop() ?? wechatField;
  if (contactType === 'LEGAL' && Object.hasOwn(LEGAL_CONTACT, last)) return LEGAL_CONTACT[last];
  return Object.hasOwn(FIELD_OF, last) ? FIELD_OF[last] : null;
}

export function rejectedFields(
  detail: Array<{ field: string; fieldName: string; rejectReason: string }>,
  contactType?: string,
): RejectedField[] {
  return detail.map((d) => {
    const formField = formFieldOf(d.field, contactType);
    return {
      wechatField: d.field,
      label: d.fieldName,
      reason: d.rejectReason,
      formField,
      step: formField ? (formField.split('.')[0] as StepName | 'documents') : null,
    };
  });
}
