// The sandbox's reviewer for applyment4sub: what is wrong with the shape is
// refused at submit (400 PARAM_ERROR, like WeChat's API), what a human
// reviewer would reject comes back later as audit_detail (field, field_name,
// reject_reason). Fields in audit_detail are dotted paths into the submitted
// body, e.g. "subject_info.business_license_info.license_copy".
import { beijingDate } from '../../../miniprogram/shared/beijing';
import type { SandboxContext } from './context';
import { wx } from './errors';
import { mediaExists } from './media';
import { SETTLEMENT_RATES } from './merchants';

export interface AuditItem {
  field: string;
  field_name: string;
  reject_reason: string;
}

type Obj = Record<string, unknown>;

export const SUBJECT_TYPES = [
  'SUBJECT_TYPE_INDIVIDUAL',
  'SUBJECT_TYPE_ENTERPRISE',
  'SUBJECT_TYPE_INSTITUTIONS',
  'SUBJECT_TYPE_GOVERNMENT',
  'SUBJECT_TYPE_OTHERS',
];
/** Individual businesses and enterprises show a business licence; the others a registration certificate. */
const LICENSED = ['SUBJECT_TYPE_INDIVIDUAL', 'SUBJECT_TYPE_ENTERPRISE'];

/** Fields encrypted with the platform public key (RSA-OAEP), by dotted path; [] marks an array. */
export const SENSITIVE_PATHS = [
  'contact_info.contact_name',
  'contact_info.contact_id_number',
  'contact_info.mobile_phone',
  'contact_info.contact_email',
  'subject_info.identity_info.id_card_info.id_card_name',
  'subject_info.identity_info.id_card_info.id_card_number',
  'subject_info.identity_info.id_card_info.id_card_address',
  'subject_info.identity_info.id_doc_info.id_doc_name',
  'subject_info.identity_info.id_doc_info.id_doc_number',
  'subject_info.identity_info.id_doc_info.id_doc_address',
  'subject_info.ubo_info_list[].ubo_id_doc_name',
  'subject_info.ubo_info_list[].ubo_id_doc_number',
  'subject_info.ubo_info_list[].ubo_id_doc_address',
  'bank_account_info.account_name',
  'bank_account_info.account_number',
];

const MEDIA_FIELD = /(_copy|_copy_back|_national|_pics?|_letter|qualifications|_commitment)$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);
const str = (o: unknown, path: string): string => {
  const v = at(o, path);
  return typeof v === 'string' ? v.trim() : '';
};

/** Which key sensitive fields must be encrypted with, for error messages. */
export function encryptionKeyName(ctx: SandboxContext): string {
  return ctx.platformMode === 'public_key'
    ? `微信支付公钥（${ctx.keys.platformKeyId}）`
    : `平台证书（${ctx.encryptionSerials().join('、')}）`;
}

/** A copy of the body with every sensitive field decrypted; 400 when one does not decrypt. */
export function decrypted(ctx: SandboxContext, body: Obj): Obj {
  const copy = structuredClone(body);
  const visit = (node: unknown, parts: string[], trail: string): void => {
    if (!isObj(node)) return;
    const [head, ...rest] = parts;
    const isArray = head.endsWith('[]');
    const key = isArray ? head.slice(0, -2) : head;
    const value = node[key];
    if (value === undefined) return;
    if (isArray) {
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) visit(item, rest, `${trail}${key}[${i}].`);
      }
      return;
    }
    if (rest.length) return visit(value, rest, `${trail}${key}.`);
    if (typeof value !== 'string')
      throw wx.param(`${trail}${key} 应为加密后的字符串`, { location: 'body', field: `${trail}${key}` });
    try {
      node[key] = ctx.decryptSensitive(value);
    } catch {
      throw wx.param(`${trail}${key} 解密失败：请使用${encryptionKeyName(ctx)} RSA-OAEP 加密`, {
        location: 'body',
        field: `${trail}${key}`,
      });
    }
  };
  for (const path of SENSITIVE_PATHS) visit(copy, path.split('.'), '');
  return copy;
}

/** Every media id referenced by the body, with its path. */
export function mediaRefs(body: unknown, trail = ''): Array<{ path: string; id: unknown }> {
  if (Array.isArray(body)) return body.flatMap((v, i) => mediaRefs(v, `${trail}[${i}]`));
  if (!isObj(body)) return [];
  return Object.entries(body).flatMap(([k, v]) => {
    const path = trail ? `${trail}.${k}` : k;
    if (MEDIA_FIELD.test(k))
      return (Array.isArray(v) ? v : [v]).map((id, i) => ({ path: Array.isArray(v) ? `${path}[${i}]` : path, id }));
    return mediaRefs(v, path);
  });
}

/** What the API itself refuses (400): missing sections, unknown subject types, unknown media ids. */
export function checkSubmittable(ctx: SandboxContext, body: Obj): void {
  const code = body.business_code;
  if (typeof code !== 'string' || !/^[0-9A-Za-z_-]{1,124}$/.test(code))
    throw wx.param('business_code 必填：1-124 位字母数字_-', { location: 'body', field: '/business_code' });
  for (const section of ['contact_info', 'subject_info', 'business_info', 'settlement_info', 'bank_account_info']) {
    if (!isObj(body[section])) throw wx.param(`${section} 必填`, { location: 'body', field: `/${section}` });
  }
  if (!SUBJECT_TYPES.includes(str(body, 'subject_info.subject_type')))
    throw wx.param('subject_info.subject_type 取值错误', { location: 'body', field: '/subject_info/subject_type' });
  for (const ref of mediaRefs(body)) {
    if (ref.id === '' || ref.id === undefined) continue;
    if (!mediaExists(ctx, ref.id))
      throw wx.param(`${ref.path} 的 media_id 无效或已过期，请重新上传`, { location: 'body', field: ref.path });
  }
}

// ---- check characters -----------------------------------------------------------------

/** 18-digit resident identity number: valid birth date and ISO 7064 MOD 11-2 check character. */
export function validResidentId(id: string, today: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const t = Date.parse(`${birth}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== birth || birth > today || birth < '1900-01-01')
    return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 18-character unified social credit code (GB 32100-2015 check character). */
export function validCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.reduce((s, w, i) => s + w * USCC_CHARS.indexOf(code[i]), 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

// ---- the review ---------------------------------------------------------------------------

/** The reviewer's findings on a (decrypted) application; [] means approve. */
export function review(ctx: SandboxContext, plain: Obj): AuditItem[] {
  const problems: AuditItem[] = [];
  const reject = (field: string, field_name: string, reject_reason: string) =>
    problems.push({ field, field_name, reject_reason });
  const media = (path: string, name: string) => {
    if (!mediaExists(ctx, at(plain, path))) reject(path, name, `请上传${name}`);
  };
  const today = beijingDate(ctx.now());
  const subject = str(plain, 'subject_info.subject_type');
  const licensed = LICENSED.includes(subject);

  let merchantName: string;
  let legalPerson: string;
  if (licensed) {
    const p = 'subject_info.business_license_info';
    media(`${p}.license_copy`, '营业执照照片');
    const number = str(plain, `${p}.license_number`);
    if (!(validCreditCode(number) || /^\d{15}$/.test(number)))
      reject(`${p}.license_number`, '注册号/统一社会信用代码', '统一社会信用代码校验位错误或格式不正确');
    merchantName = str(plain, `${p}.merchant_name`);
    legalPerson = str(plain, `${p}.legal_person`);
    if (!merchantName) reject(`${p}.merchant_name`, '商户名称', '请填写营业执照上的商户名称');
    if (!legalPerson) reject(`${p}.legal_person`, '个体户经营者/法人姓名', '请填写营业执照上的经营者/法定代表人姓名');
  } else {
    const p = 'subject_info.certificate_info';
    media(`${p}.cert_copy`, '登记证书照片');
    if (!str(plain, `${p}.cert_type`)) reject(`${p}.cert_type`, '登记证书类型', '请选择登记证书类型');
    const number = str(plain, `${p}.cert_number`);
    if (!number || (number.length === 18 && !validCreditCode(number)))
      reject(`${p}.cert_number`, '证书号', '证书号为空或统一社会信用代码校验位错误');
    merchantName = str(plain, `${p}.merchant_name`);
    legalPerson = str(plain, `${p}.legal_person`);
    if (!merchantName) reject(`${p}.merchant_name`, '商户名称', '请填写登记证书上的商户名称');
    if (!legalPerson) reject(`${p}.legal_person`, '法定代表人', '请填写登记证书上的法定代表人');
  }

  const idType = str(plain, 'subject_info.identity_info.id_doc_type') || 'IDENTIFICATION_TYPE_IDCARD';
  if (idType === 'IDENTIFICATION_TYPE_IDCARD') {
    const p = 'subject_info.identity_info.id_card_info';
    media(`${p}.id_card_copy`, '身份证人像面照片');
    media(`${p}.id_card_national`, '身份证国徽面照片');
    const name = str(plain, `${p}.id_card_name`);
    if (!name) reject(`${p}.id_card_name`, '身份证姓名', '请填写身份证姓名');
    else if (legalPerson && name !== legalPerson)
      reject(`${p}.id_card_name`, '身份证姓名', '身份证姓名与营业执照/登记证书上的法定代表人不一致');
    if (!validResidentId(str(plain, `${p}.id_card_number`), today))
      reject(`${p}.id_card_number`, '身份证号码', '身份证号码校验失败');
    const end = str(plain, `${p}.card_period_end`);
    if (end !== '长期' && !(/^\d{4}-\d{2}-\d{2}$/.test(end) && end >= today))
      reject(`${p}.card_period_end`, '身份证有效期', '身份证已过期或有效期格式错误');
  } else {
    const p = 'subject_info.identity_info.id_doc_info';
    media(`${p}.id_doc_copy`, '证件照片');
    if (!str(plain, `${p}.id_doc_name`) || !str(plain, `${p}.id_doc_number`))
      reject(p, '证件信息', '请填写证件姓名与号码');
  }

  const c = 'contact_info';
  const contactType = str(plain, `${c}.contact_type`) || 'LEGAL';
  const contactName = str(plain, `${c}.contact_name`);
  if (!contactName) reject(`${c}.contact_name`, '超级管理员姓名', '请填写超级管理员姓名');
  if (!/^1\d{10}$/.test(str(plain, `${c}.mobile_phone`))) reject(`${c}.mobile_phone`, '联系手机', '手机号码格式不正确');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(str(plain, `${c}.contact_email`)))
    reject(`${c}.contact_email`, '联系邮箱', '邮箱格式不正确');
  if (contactType === 'LEGAL') {
    if (contactName && legalPerson && contactName !== legalPerson)
      reject(`${c}.contact_name`, '超级管理员姓名', '超级管理员类型为法人时，姓名须与法定代表人一致');
  } else {
    if (!validResidentId(str(plain, `${c}.contact_id_number`), today))
      reject(`${c}.contact_id_number`, '超级管理员身份证件号码', '证件号码校验失败');
    media(`${c}.business_authorization_letter`, '业务办理授权函');
  }

  const b = 'business_info';
  const shortName = str(plain, `${b}.merchant_shortname`);
  if (!shortName || shortName.length > 64) reject(`${b}.merchant_shortname`, '商户简称', '请填写1-64个字的商户简称');
  if (!/^[0-9-]{7,20}$/.test(str(plain, `${b}.service_phone`)))
    reject(`${b}.service_phone`, '客服电话', '客服电话格式不正确');
  const scenes = at(plain, `${b}.sales_info.sales_scenes_type`);
  if (!Array.isArray(scenes) || !scenes.includes('SALES_SCENES_MINI_PROGRAM'))
    reject(`${b}.sales_info.sales_scenes_type`, '经营场景', '需包含小程序场景 SALES_SCENES_MINI_PROGRAM');
  else if (
    !str(plain, `${b}.sales_info.mini_program_info.mini_program_sub_appid`) &&
    !str(plain, `${b}.sales_info.mini_program_info.mini_program_appid`)
  ) {
    reject(`${b}.sales_info.mini_program_info.mini_program_sub_appid`, '小程序AppID', '请填写商家小程序AppID');
  }

  if (SETTLEMENT_RATES[str(plain, 'settlement_info.settlement_id')] === undefined)
    reject('settlement_info.settlement_id', '入驻结算规则ID', '结算规则ID不存在或与主体类型不匹配');

  const k = 'bank_account_info';
  const accountType = str(plain, `${k}.bank_account_type`);
  const accountName = str(plain, `${k}.account_name`);
  if (accountType === 'BANK_ACCOUNT_TYPE_CORPORATE') {
    if (accountName !== merchantName) reject(`${k}.account_name`, '开户名称', '对公账户的开户名称须与商户名称一致');
  } else if (accountType === 'BANK_ACCOUNT_TYPE_PERSONAL') {
    if (subject !== 'SUBJECT_TYPE_INDIVIDUAL')
      reject(`${k}.bank_account_type`, '账户类型', '该主体类型只能使用对公银行账户');
    else if (accountName !== legalPerson)
      reject(`${k}.account_name`, '开户名称', '经营者个人银行卡的开户名称须与经营者姓名一致');
  } else {
    reject(`${k}.bank_account_type`, '账户类型', '账户类型取值错误');
  }
  if (!/^\d{8,30}$/.test(str(plain, `${k}.account_number`)))
    reject(`${k}.account_number`, '银行账号', '银行账号格式不正确');
  if (!str(plain, `${k}.account_bank`)) reject(`${k}.account_bank`, '开户银行', '请填写开户银行');
  if (!/^\d{6}$/.test(str(plain, `${k}.bank_address_code`)))
    reject(`${k}.bank_address_code`, '开户银行省市编码', '省市编码应为6位数字');
  return problems;
}

/** What the new sub-merchant is made of, from a decrypted, approved application. */
export function merchantFacts(plain: Obj): {
  subject_type: string;
  merchant_name: string;
  legal_person: string;
  appid: string;
  settlement_id: string;
  account: { type: string; bank: string; bank_name?: string; name: string; number: string };
} {
  const licensed = LICENSED.includes(str(plain, 'subject_info.subject_type'));
  const p = licensed ? 'subject_info.business_license_info' : 'subject_info.certificate_info';
  const mp = 'business_info.sales_info.mini_program_info';
  return {
    subject_type: str(plain, 'subject_info.subject_type'),
    merchant_name: str(plain, `${p}.merchant_name`),
    legal_person: str(plain, `${p}.legal_person`),
    appid: str(plain, `${mp}.mini_program_sub_appid`) || str(plain, `${mp}.mini_program_appid`),
    settlement_id: str(plain, 'settlement_info.settlement_id'),
    account: {
      type: str(plain, 'bank_account_info.bank_account_type'),
      bank: str(plain, 'bank_account_info.account_bank'),
      ...(str(plain, 'bank_account_info.bank_name') ? { bank_name: str(plain, 'bank_account_info.bank_name') } : {}),
      name: str(plain, 'bank_account_info.account_name'),
      number: str(plain, 'bank_account_info.account_number'),
    },
  };
}
