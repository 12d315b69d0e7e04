// The five merchant types of payment management, mapped onto WeChat Pay's
// applyment subject types, with the registration documents each presents
// and the document slots it has to fill.
import type { CertType, IdDocType, MerchantType } from '../../../../typings/onboarding';

export const MERCHANT_TYPES: readonly MerchantType[] = [
  'INDIVIDUAL',
  'ENTERPRISE',
  'INSTITUTION',
  'GOVERNMENT',
  'SOCIAL_ORG',
];

export const SUBJECT_TYPE: Record<MerchantType, string> = {
  INDIVIDUAL: 'SUBJECT_TYPE_INDIVIDUAL',
  ENTERPRISE: 'SUBJECT_TYPE_ENTERPRISE',
  INSTITUTION: 'SUBJECT_TYPE_INSTITUTIONS',
  GOVERNMENT: 'SUBJECT_TYPE_GOVERNMENT',
  SOCIAL_ORG: 'SUBJECT_TYPE_OTHERS',
};

export const CERT_TYPE_LABELS: Record<CertType, string> = {
  CERTIFICATE_TYPE_2388: 'Public institution legal person certificate (事业单位法人证书)',
  CERTIFICATE_TYPE_2389: 'Unified social credit code certificate (统一社会信用代码证书)',
  CERTIFICATE_TYPE_2394: 'Social group legal person registration certificate (社会团体法人登记证书)',
  CERTIFICATE_TYPE_2395: 'Private non-enterprise unit registration certificate (民办非企业单位登记证书)',
  CERTIFICATE_TYPE_2396: 'Foundation legal person registration certificate (基金会法人登记证书)',
  CERTIFICATE_TYPE_2399: 'Religious venue registration certificate (宗教活动场所登记证)',
  CERTIFICATE_TYPE_2400: 'Other valid certificate issued by a government department (政府部门下发的其他有效证明文件)',
  CERTIFICATE_TYPE_2520: 'Practising licence (执业许可证/执业证)',
  CERTIFICATE_TYPE_2521:
    'Grassroots self-governing organisation credit code certificate (基层群众性自治组织特别法人统一社会信用代码证)',
  CERTIFICATE_TYPE_2522: 'Rural collective economic organisation registration certificate (农村集体经济组织登记证)',
};

/** Which registration certificate each certificate-presenting type may use (WeChat's own table). */
export const CERT_TYPES: Record<MerchantType, readonly CertType[]> = {
  INDIVIDUAL: [],
  ENTERPRISE: [],
  INSTITUTION: ['CERTIFICATE_TYPE_2388'],
  GOVERNMENT: ['CERTIFICATE_TYPE_2389'],
  SOCIAL_ORG: [
    'CERTIFICATE_TYPE_2389',
    'CERTIFICATE_TYPE_2394',
    'CERTIFICATE_TYPE_2395',
    'CERTIFICATE_TYPE_2396',
    'CERTIFICATE_TYPE_2399',
    'CERTIFICATE_TYPE_2400',
    'CERTIFICATE_TYPE_2520',
    'CERTIFICATE_TYPE_2521',
    'CERTIFICATE_TYPE_2522',
  ],
};

/** Individual businesses and enterprises present a business licence; the others a registration certificate. */
export function presentsLicence(type: MerchantType): boolean {
  return type === 'INDIVIDUAL' || type === 'ENTERPRISE';
}

/** An individual business is run by its operator, who is its administrator too; the others may authorise someone. */
export function mayAuthoriseAdministrator(type: MerchantType): boolean {
  return type !== 'INDIVIDUAL';
}

export const ID_DOC_LABELS: Record<IdDocType, string> = {
  MAINLAND_ID: 'Mainland resident ID card (身份证)',
  PASSPORT: 'Passport (other countries and regions)',
  HK_PERMIT: 'Hong Kong resident mainland travel permit (港澳居民来往内地通行证)',
  MACAO_PERMIT: 'Macao resident mainland travel permit (港澳居民来往内地通行证)',
  TAIWAN_PERMIT: 'Taiwan resident mainland travel permit (台湾居民来往大陆通行证)',
};

export const ID_DOC_WECHAT: Record<IdDocType, string> = {
  MAINLAND_ID: 'IDENTIFICATION_TYPE_IDCARD',
  PASSPORT: 'IDENTIFICATION_TYPE_OVERSEA_PASSPORT',
  HK_PERMIT: 'IDENTIFICATION_TYPE_HONGKONG_PASSPORT',
  MACAO_PERMIT: 'IDENTIFICATION_TYPE_MACAO_PASSPORT',
  TAIWAN_PERMIT: 'IDENTIFICATION_TYPE_TAIWAN_PASSPORT',
};

/** A passport has no back page to photograph. */
export function hasBackSide(doc: IdDocType | undefined): boolean {
  return doc !== 'PASSPORT';
}

export interface TypeInfo {
  title: string;
  definition: string;
  documents: string[];
}

/** What the intro page says about each type (the seed's table). */
export const TYPE_INFO: Record<MerchantType, TypeInfo> = {
  INDIVIDUAL: {
    title: 'Individual business owner',
    definition: 'The licence names the business type "individual business" (个体工商户) or "self-employed individual".',
    documents: ['Business licence', "Operator's ID"],
  },
  ENTERPRISE: {
    title: 'Enterprise',
    definition: 'The licence names the business type "limited company" or "limited liability company".',
    documents: [
      'Business licence',
      "Legal representative's ID",
      "Administrator's ID (when not the legal representative)",
    ],
  },
  INSTITUTION: {
    title: 'Institution',
    definition:
      'Domestic public institutions (事业单位) such as hospitals, schools and other educational organisations.',
    documents: [
      'Public institution legal person certificate',
      "Legal representative's ID",
      "Administrator's ID (when not the legal representative)",
    ],
  },
  GOVERNMENT: {
    title: 'Government agency',
    definition:
      'Government agencies at every level: party committees, tax authorities, civil affairs, human resources, industry and commerce, commerce and market supervision departments.',
    documents: [
      'Unified social credit code certificate',
      "Legal representative's ID",
      "Administrator's ID (when not the legal representative)",
    ],
  },
  SOCIAL_ORG: {
    title: 'Social organisation',
    definition:
      'Non-profit groups, private foundations, grassroots self-governing organisations, rural collective economic organisations and similar.',
    documents: [
      'The organisation’s registration certificate',
      "Legal representative's ID",
      "Administrator's ID (when not the legal representative)",
    ],
  },
};
