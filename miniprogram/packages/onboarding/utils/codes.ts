// The codes the backend sends that this package has words for, each list
// naming the keys of its catalogue section (i18n: merchantTypes, certTypes,
// idDocTypes, slots, industries, banks). Indexing a section with a listed
// code type-checks only when the section has words for every code. A code
// the backend adds later still shows, in the backend's own words, until it
// is listed here and worded there.
import type { CertType, DocumentSlot, IdDocType, MerchantType } from '../../../../typings/onboarding';

export const MERCHANT_TYPES = [
  'INDIVIDUAL',
  'ENTERPRISE',
  'INSTITUTION',
  'GOVERNMENT',
  'SOCIAL_ORG',
] as const satisfies readonly MerchantType[];

export const CERT_TYPES = [
  'CERTIFICATE_TYPE_2388',
  'CERTIFICATE_TYPE_2389',
  'CERTIFICATE_TYPE_2394',
  'CERTIFICATE_TYPE_2395',
  'CERTIFICATE_TYPE_2396',
  'CERTIFICATE_TYPE_2399',
  'CERTIFICATE_TYPE_2400',
  'CERTIFICATE_TYPE_2520',
  'CERTIFICATE_TYPE_2521',
  'CERTIFICATE_TYPE_2522',
] as const satisfies readonly CertType[];

export const ID_DOC_TYPES = [
  'MAINLAND_ID',
  'PASSPORT',
  'HK_PERMIT',
  'MACAO_PERMIT',
  'TAIWAN_PERMIT',
] as const satisfies readonly IdDocType[];

export const SLOTS = [
  'licence',
  'certificate',
  'legalIdFront',
  'legalIdBack',
  'contactIdFront',
  'contactIdBack',
  'authorizationLetter',
  'unitProofLetter',
] as const satisfies readonly DocumentSlot[];

/** The backend's industry catalogue (cloudfunctions/core/domain/onboarding/industries.ts). */
export const INDUSTRIES = [
  'IND_CATERING',
  'IND_RETAIL',
  'IND_SERVICES',
  'ENT_CATERING',
  'ENT_RETAIL',
  'ENT_SERVICES',
  'INS_SERVICES',
  'INS_PUBLIC',
  'GOV_SERVICES',
  'GOV_PUBLIC_FEES',
  'ORG_SERVICES',
  'ORG_CHARITY',
] as const;

/** The banks WeChat Pay names (cloudfunctions/core/domain/onboarding/banks.ts); OTHER needs the branch. */
export const BANKS = [
  'ICBC',
  'ABC',
  'BOC',
  'CCB',
  'BCOM',
  'PSBC',
  'CMB',
  'CMBC',
  'CITIC',
  'SPDB',
  'CIB',
  'CEB',
  'CGB',
  'PAB',
  'BOB',
  'HXB',
  'NBCB',
  'OTHER',
] as const;

/** Whether a code from the backend is one of a list's. */
export function isKnown<T extends string>(codes: readonly T[], code: string): code is T {
  return (codes as readonly string[]).includes(code);
}
