// The fields the console's reviewer can reject, as WeChat Pay names them in
// audit_detail: a dotted path into the applyment4sub body and WeChat's own
// (Chinese) field_name. The app maps each back onto its form by the path's
// last segment (core/domain/onboarding/applyment.ts).
import type { MerchantType } from '../../../typings/onboarding';
import { presentsLicence } from '../../core/domain/onboarding/types';

export interface ReviewField {
  path: string;
  /** WeChat Pay's field_name. */
  zh: string;
  en: string;
}

const LICENCE = 'subject_info.business_license_info';
const CERTIFICATE = 'subject_info.certificate_info';
const ID_CARD = 'subject_info.identity_info.id_card_info';

/** The fields offered for an application of `type`, most often rejected first. */
export function reviewFields(type: MerchantType): ReviewField[] {
  const registration = presentsLicence(type)
    ? [
        { path: `${LICENCE}.license_copy`, zh: '营业执照照片', en: 'Business licence photo' },
        { path: `${LICENCE}.license_number`, zh: '统一社会信用代码', en: 'Credit code' },
        { path: `${LICENCE}.merchant_name`, zh: '商户名称', en: 'Merchant name' },
      ]
    : [
        { path: `${CERTIFICATE}.cert_copy`, zh: '登记证书照片', en: 'Registration certificate photo' },
        { path: `${CERTIFICATE}.cert_number`, zh: '证书号', en: 'Certificate number' },
        { path: `${CERTIFICATE}.merchant_name`, zh: '商户名称', en: 'Merchant name' },
      ];
  return [
    { path: 'business_info.merchant_shortname', zh: '商户简称', en: 'Short name' },
    ...registration,
    { path: `${ID_CARD}.id_card_copy`, zh: '身份证人像面照片', en: 'ID card, portrait side' },
    { path: `${ID_CARD}.id_card_number`, zh: '身份证号码', en: 'ID number' },
    { path: 'contact_info.mobile_phone', zh: '联系手机', en: 'Contact mobile' },
    { path: 'contact_info.contact_email', zh: '联系邮箱', en: 'Contact email' },
    { path: 'business_info.service_phone', zh: '客服电话', en: 'Service phone' },
    { path: 'bank_account_info.account_name', zh: '开户名称', en: 'Account name' },
    { path: 'bank_account_info.account_number', zh: '银行账号', en: 'Account number' },
    { path: 'bank_account_info.bank_address_code', zh: '开户银行省市编码', en: 'Bank city code' },
  ];
}

/** WeChat's field_name for a path any type offers (the path itself when none does). */
export function fieldName(path: string): string {
  for (const type of ['ENTERPRISE', 'INSTITUTION'] as const) {
    const found = reviewFields(type).find((f) => f.path === path);
    if (found) return found.zh;
  }
  return path;
}
