// Field checks a WeChat Pay reviewer would otherwise reject, as pure
// functions. Each returns null when the value is fine, or the reason (a code
// the app words in the user's language).
import type { IdDocType } from '../../../../typings/onboarding';
import { ACCOUNT_NUMBER_DIGITS, isAccountNumber } from '../../../../miniprogram/shared/bank-account';
import { isDate } from '../../../../miniprogram/shared/beijing';
import { type FieldProblem, fieldProblem } from '../../../../miniprogram/shared/errors';

// ---- unified social credit code (GB 32100-2015) ---------------------------------
// 18 characters from a 31-character alphabet (no I, O, S, V, Z); the last is a
// check character: 31 - (sum of value x weight mod 31), where 31 maps to 0.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(code: string): FieldProblem | null {
  if (code.length !== 18) return fieldProblem('creditCodeLength');
  if (![...code].every((c) => CREDIT_ALPHABET.includes(c))) return fieldProblem('creditCodeCharacters');
  // Characters 3-8 are the administrative division code of the registering
  // office; 100000 is the central (national) level.
  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || (region !== '100000' && !PROVINCES.has(region.slice(0, 2)))) {
    return fieldProblem('creditCodeRegion');
  }
  if (creditCodeCheckChar(code) !== code[17]) return fieldProblem('creditCodeCheckDigit');
  return null;
}

// ---- resident ID card (GB 11643-1999) --------------------------------------------
// 6-digit region, 8-digit birth date, 3-digit sequence, check character from the
// weighted sum mod 11.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Province-level codes (the first two digits of region codes). */
export const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** `today` is YYYY-MM-DD (China time) so that the birth date cannot be in the future. */
export function checkResidentId(id: string, today: string): FieldProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return fieldProblem('idCardFormat');
  if (!PROVINCES.has(id.slice(0, 2))) return fieldProblem('idCardRegion');
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isDate(birth) || birth < '1900-01-01' || birth > today) return fieldProblem('idCardBirthDate');
  if (residentIdCheckChar(id) !== id[17]) return fieldProblem('idCardCheckDigit');
  return null;
}

export function birthDateOf(residentId: string): string {
  return `${residentId.slice(6, 10)}-${residentId.slice(10, 12)}-${residentId.slice(12, 14)}`;
}

/** Other identity documents: the shapes their issuers use. */
export function checkIdNumber(type: IdDocType, number: string, today: string): FieldProblem | null {
  switch (type) {
    case 'MAINLAND_ID':
      return checkResidentId(number, today);
    case 'PASSPORT':
      // 5 to 20 letters and digits
      return /^[A-Z0-9]{5,20}$/.test(number) ? null : fieldProblem('passportNumber');
    case 'HK_PERMIT':
      // H followed by 8 or 10 digits
      return /^H\d{8}(\d{2})?$/.test(number) ? null : fieldProblem('hkPermitNumber');
    case 'MACAO_PERMIT':
      // M followed by 8 or 10 digits
      return /^M\d{8}(\d{2})?$/.test(number) ? null : fieldProblem('macaoPermitNumber');
    case 'TAIWAN_PERMIT':
      // 8 or 10 digits
      return /^\d{8}(\d{2})?$/.test(number) ? null : fieldProblem('taiwanPermitNumber');
  }
}

/** Names as printed on an ID: Han characters (with · for transliterated names) on mainland IDs, letters otherwise. */
export function checkPersonName(name: string, doc: IdDocType | undefined): FieldProblem | null {
  if ([...name].length > 64) return fieldProblem('tooLong', { max: 64 });
  if (doc === 'MAINLAND_ID' || doc === undefined) {
    if (!/^\p{Script=Han}[\p{Script=Han}·]*\p{Script=Han}$/u.test(name)) return fieldProblem('nameAsOnIdCard');
    return null;
  }
  if (!/^\p{L}[\p{L}\p{M} .'·-]*$/u.test(name)) return fieldProblem('nameAsOnDocument');
  return null;
}

// ---- contact details -------------------------------------------------------------
/** A mainland mobile number: 11 digits starting with 13 to 19. */
export function checkMobile(mobile: string): FieldProblem | null {
  return /^1[3-9]\d{9}$/.test(mobile) ? null : fieldProblem('mobile');
}

export function checkEmail(email: string): FieldProblem | null {
  if (email.length > 254) return fieldProblem('tooLong', { max: 254 });
  return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(email) ? null : fieldProblem('email');
}

/** Customer service line shown to buyers: a mobile, a landline with area code, or a 400/800 number (digits only). */
export function checkServicePhone(phone: string): FieldProblem | null {
  if (/^1[3-9]\d{9}$/.test(phone) || /^0\d{9,11}$/.test(phone) || /^[48]00\d{7}$/.test(phone)) return null;
  return fieldProblem('servicePhone');
}

// ---- bank accounts -----------------------------------------------------------------
/**
 * Digits only, 8 to 30 of them, personal or corporate: WeChat Pay's table of
 * account number lengths per bank (see miniprogram/shared/bank-account.ts).
 */
export function checkAccountNumber(number: string): FieldProblem | null {
  return isAccountNumber(number) ? null : fieldProblem('accountNumberDigits', { ...ACCOUNT_NUMBER_DIGITS });
}

/** 6-digit province/city code of the bank branch (WeChat Pay's province and city table). */
export function checkAddressCode(code: string): FieldProblem | null {
  return /^\d{6}$/.test(code) && PROVINCES.has(code.slice(0, 2)) ? null : fieldProblem('addressCode');
}

// ---- dates ---------------------------------------------------------------------------
/** Same day N years later (29 February falls back to 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isDate(target) ? target : `${String(y + years).padStart(4, '0')}-02-28`;
}
