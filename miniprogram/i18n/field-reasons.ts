// Why a form field was refused, in words, per language. The server sends a
// reason code and its values (shared/errors/fields.ts); a reason without
// words here fails type-checking. The field's own label sits beside these
// words in the form, so they do not repeat which field or document it is.
import { type FieldProblem, type FieldProblems, type FieldReason, isFieldReason } from '../shared/errors';
import type { Details } from '../shared/errors';
import type { Lang } from '../shared/lang';
import { formatFen } from '../shared/money';
import { format } from './format';

type ReasonMessages = Record<FieldReason, string>;

const zhCN: ReasonMessages = {
  required: '必填',
  invalid: '格式不正确',
  tooShort: '至少 {min} 个字',
  tooLong: '最多 {max} 个字',
  notAChoice: '请从列表中选择',
  outOfRange: '须在 {min} 到 {max} 之间',
  atLeast: '不能小于 {min}',
  atMost: '不能大于 {max}',
  tooFew: '至少 {min} 项',
  tooMany: '最多 {max} 项',
  unknownField: '不支持该项，请删除后重试',
  date: '请填写正确的日期',
  onlyDigitsOrSymbols: '不能只填数字或符号',
  hasDigits: '姓名不能包含数字',
  cursor: '列表已更新，请刷新后重试',

  licenceRequired: '个体工商户和企业请使用营业执照，无需选择登记证书',
  certTypeNotForType: '该主体类型不能使用这种登记证书',
  creditCodeLength: '统一社会信用代码应为 18 位',
  creditCodeCharacters: '统一社会信用代码由数字和大写字母组成（不含 I、O、S、V、Z）',
  creditCodeRegion: '统一社会信用代码第 3 至 8 位应为行政区划代码',
  creditCodeCheckDigit: '统一社会信用代码校验位不正确，请检查是否填错',
  mustBeRegisteredEntity: '须为小程序的注册主体：{name}',
  mustBeRegisteredCreditCode: '须为小程序注册主体的统一社会信用代码：{creditCode}',

  periodStartsInFuture: '开始日期不能晚于今天',
  dateOrLongTerm: '请填写正确的日期，或选择长期',
  periodOrder: '结束日期须晚于开始日期',
  expired: '证件已于 {date} 过期',
  expiresSoon: '证件有效期不足 {days} 天，请更新证件后再申请',
  longTermIdTooYoung: '{age} 周岁以上才能办理长期身份证，请核对证件有效期',
  idCardValidity: '身份证有效期为 5 年、10 年或 20 年，请核对起止日期',

  nameAsOnIdCard: '请填写身份证上的中文姓名',
  nameAsOnDocument: '请按证件上的姓名填写',
  idCardFormat: '身份证号应为 17 位数字加 1 位数字或 X',
  idCardRegion: '身份证号开头的地区码不正确',
  idCardBirthDate: '身份证号中的出生日期不正确',
  idCardCheckDigit: '身份证号校验位不正确，请检查是否填错',
  passportNumber: '护照号码应为 5 到 20 位字母或数字',
  hkPermitNumber: '通行证号码应为 H 加 8 位或 10 位数字',
  macaoPermitNumber: '通行证号码应为 M 加 8 位或 10 位数字',
  taiwanPermitNumber: '通行证号码应为 8 位或 10 位数字',
  mustMatchLegalPerson: '须与主体信息中的法定代表人一致',
  mustMatchOperator: '须与营业执照上的经营者一致',
  operatorIsAdministrator: '个体工商户的超级管理员须为经营者本人',

  mobile: '请填写 11 位手机号码',
  email: '邮箱格式不正确',
  servicePhone: '请填写手机号、带区号的固定电话或 400/800 电话',

  corporateAccountOnly: '该主体类型只能使用对公账户',
  accountNumberDigits: '银行账号应为 {min} 到 {max} 位数字',
  addressCode: '请选择开户银行所在省市',
  personalAccountName: '开户名称须为经营者本人姓名',
  corporateAccountName: '开户名称须与主体名称一致：{name}',
  sameAsCurrent: '与当前结算账户相同',

  documentRequired: '请上传',
  documentNotNeeded: '本次申请不需要该材料',
  imageType: '仅支持 JPG、PNG 或 BMP 格式的图片',
  imageTooLarge: '图片不能超过 {maxBytes}',

  amountTooSmall: '金额不能低于 {minFen}',
  amountTooLarge: '金额不能超过 {maxFen}',
  rangeOrder: '结束日期不能早于开始日期',
  rangeTooLong: '时间范围最长 {maxDays} 天',
  listedTwice: '同一商品只能添加一次',
  notForSale: '该商品已下架',
};

const enUS: ReasonMessages = {
  required: 'Required',
  invalid: 'Not in the right format',
  tooShort: 'At least {min} characters',
  tooLong: 'At most {max} characters',
  notAChoice: 'Choose one from the list',
  outOfRange: 'Must be from {min} to {max}',
  atLeast: 'Must be at least {min}',
  atMost: 'Must be at most {max}',
  tooFew: 'At least {min} items',
  tooMany: 'At most {max} items',
  unknownField: 'Not part of this form. Remove it and try again',
  date: 'Enter a real date',
  onlyDigitsOrSymbols: 'Cannot be only digits or symbols',
  hasDigits: 'A name has no digits',
  cursor: 'The list has changed. Refresh and try again',

  licenceRequired: 'Individual businesses and enterprises use their business licence, not a certificate',
  certTypeNotForType: 'This merchant type cannot use this certificate',
  creditCodeLength: 'A unified social credit code has 18 characters',
  creditCodeCharacters: 'Use digits and capital letters other than I, O, S, V and Z',
  creditCodeRegion: 'Characters 3 to 8 must be a region code',
  creditCodeCheckDigit: 'The check character is wrong. Check for typos',
  mustBeRegisteredEntity: "Must be the mini program's registered entity: {name}",
  mustBeRegisteredCreditCode: "Must be the credit code of the mini program's registered entity: {creditCode}",

  periodStartsInFuture: 'The start date cannot be in the future',
  dateOrLongTerm: 'Enter a real date, or choose long-term',
  periodOrder: 'The end date must be after the start date',
  expired: 'Expired on {date}',
  expiresSoon: 'Expires within {days} days. Renew it before applying',
  longTermIdTooYoung: 'Long-term ID cards are issued from age {age}. Check the validity period',
  idCardValidity: 'An ID card is valid for 5, 10 or 20 years. Check both dates',

  nameAsOnIdCard: 'Enter the name in Chinese characters, as on the ID card',
  nameAsOnDocument: 'Enter the name exactly as on the document',
  idCardFormat: '17 digits followed by a digit or X',
  idCardRegion: 'Does not start with a valid region code',
  idCardBirthDate: 'The birth date in this number is not a real date',
  idCardCheckDigit: 'The check digit is wrong. Check for typos',
  passportNumber: '5 to 20 letters and digits',
  hkPermitNumber: 'H followed by 8 or 10 digits',
  macaoPermitNumber: 'M followed by 8 or 10 digits',
  taiwanPermitNumber: '8 or 10 digits',
  mustMatchLegalPerson: 'Must be the legal representative named in the entity details',
  mustMatchOperator: 'Must be the operator named on the business licence',
  operatorIsAdministrator: "An individual business's administrator is its operator",

  mobile: 'Enter an 11-digit mobile number',
  email: 'Not an email address',
  servicePhone: 'Enter a mobile number, a landline with its area code, or a 400/800 number',

  corporateAccountOnly: 'This merchant type settles to a corporate account only',
  accountNumberDigits: '{min} to {max} digits',
  addressCode: 'Choose the province and city of the opening branch',
  personalAccountName: "Must be the operator's own name",
  corporateAccountName: "Must be the entity's name: {name}",
  sameAsCurrent: 'This is already the account in use',

  documentRequired: 'Upload this document',
  documentNotNeeded: 'This application does not need this document',
  imageType: 'Only JPG, PNG or BMP images',
  imageTooLarge: 'At most {maxBytes}',

  amountTooSmall: 'At least {minFen}',
  amountTooLarge: 'At most {maxFen}',
  rangeOrder: 'The end date cannot be before the start date',
  rangeTooLong: 'The range can cover at most {maxDays} days',
  listedTwice: 'List each product once',
  notForSale: 'No longer for sale',
};

export const fieldReasonMessages: Record<Lang, ReasonMessages> = { 'zh-CN': zhCN, 'en-US': enUS };

/** Values as the words show them: fen as yuan, byte counts in MB. */
function shown(params: Details): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'number' && key.endsWith('Fen')) out[key] = formatFen(value);
    else if (typeof value === 'number' && /bytes$/i.test(key)) out[key] = `${Math.floor(value / 1024 / 1024)}MB`;
    else out[key] = value;
  }
  return out;
}

/** One field's problem in the user's words; anything unreadable reads as "not in the right format". */
export function fieldText(lang: Lang, problem: FieldProblem | unknown): string {
  const messages = fieldReasonMessages[lang];
  const p = problem as Partial<FieldProblem> | null;
  if (!p || !isFieldReason(p.reason)) return messages.invalid;
  try {
    return format(messages[p.reason], shown(p.params ?? {}));
  } catch {
    return messages.invalid;
  }
}

/** Every field's problem in the user's words, keyed by field path. */
export function fieldTexts(lang: Lang, problems: FieldProblems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, problem] of Object.entries(problems)) out[field] = fieldText(lang, problem);
  return out;
}
