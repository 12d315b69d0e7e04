// Field checks a WeChat Pay reviewer would otherwise reject, as pure
// functions. Each returns null when the value is fine, or the reason.
import type { IdDocType } from '../../../../typings/onboarding';
import { isDate } from '../../../../miniprogram/shared/beijing';

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

export function checkCreditCode(code: string): string | null {
  if (code.length !== 18) return 'A unified social credit code has 18 characters';
  if (![...code].every((c) => CREDIT_ALPHABET.includes(c))) {
    return 'A unified social credit code uses digits and capital letters other than I, O, S, V and Z';
  }
  // Characters 3-8 are the administrative division code of the registering
  // office; 100000 is the central (national) level.
  const region = code.slice(2, 8);
  if (!/^\d{6}$/.test(region) || (region !== '100000' && !PROVINCES.has(region.slice(0, 2)))) {
    return 'Characters 3 to 8 of a unified social credit code are a region code';
  }
  if (creditCodeCheckChar(code) !== code[17])
    return 'The check character of this unified social credit code is wrong: please check for typos';
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
export function checkResidentId(id: string, today: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'A resident ID number has 17 digits followed by a digit or X';
  if (!PROVINCES.has(id.slice(0, 2))) return 'This resident ID number does not start with a valid region code';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isDate(birth) || birth < '1900-01-01' || birth > today)
    return 'The birth date inside this resident ID number is not a real date';
  if (residentIdCheckChar(id) !== id[17])
    return 'The check digit of this resident ID number is wrong: please check for typos';
  return null;
}

export function birthDateOf(residentId: string): string {
  return `${residentId.slice(6, 10)}-${residentId.slice(10, 12)}-${residentId.slice(12, 14)}`;
}

/** Other identity documents: the shapes their issuers use. */
export function checkIdNumber(type: IdDocType, number: string, today: string): string | null {
  switch (type) {
    case 'MAINLAND_ID':
      return checkResidentId(number, today);
    case 'PASSPORT':
      return /^[A-Z0-9]{5,20}$/.test(number) ? null : 'A passport number has 5 to 20 letters and digits';
    case 'HK_PERMIT':
      return /^H\d{8}(\d{2})?$/.test(number) ? null : 'A Hong Kong permit number is H followed by 8 or 10 digits';
    case 'MACAO_PERMIT':
      return /^M\d{8}(\d{2})?$/.test(number) ? null : 'A Macao permit number is M followed by 8 or 10 digits';
    case 'TAIWAN_PERMIT':
      return /^\d{8}(\d{2})?$/.test(number) ? null : 'A Taiwan permit number has 8 or 10 digits';
  }
}

/** Names as printed on an ID: Han characters (with · for transliterated names) on mainland IDs, letters otherwise. */
export function checkPersonName(name: string, doc: IdDocType | undefined): string | null {
  if ([...name].length > 64) return 'A name has at most 64 characters';
  if (doc === 'MAINLAND_ID' || doc === undefined) {
    if (!/^\p{Script=Han}[\p{Script=Han}·]*\p{Script=Han}$/u.test(name))
      return 'Enter the name exactly as printed on the ID card, in Chinese characters';
    return null;
  }
  if (!/^\p{L}[\p{L}\p{M} .'·-]*$/u.test(name)) return 'Enter the name exactly as printed on the document';
  return null;
}

// ---- contact details -------------------------------------------------------------
export function checkMobile(mobile: string): string | null {
  return /^1[3-9]\d{9}$/.test(mobile) ? null : 'A mobile number has 11 digits and starts with 13 to 19';
}

export function checkEmail(email: string): string | null {
  if (email.length > 254) return 'An email address has at most 254 characters';
  return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(email)
    ? null
    : 'This is not an email address';
}

/** Customer service line shown to buyers: a mobile, a landline with area code, or a 400/800 number (digits only). */
export function checkServicePhone(phone: string): string | null {
  if (/^1[3-9]\d{9}$/.test(phone) || /^0\d{9,11}$/.test(phone) || /^[48]00\d{7}$/.test(phone)) return null;
  return 'Enter a mobile number, a landline with its area code, or a 400/800 number';
}

// ---- bank accounts -----------------------------------------------------------------
/** Personal accounts are bank cards (12-19 digits); corporate accounts run 8-32 digits. */
export function checkAccountNumber(number: string, type: 'CORPORATE' | 'PERSONAL'): string | null {
  if (!/^\d+$/.test(number)) return 'A bank account number has digits only';
  if (type === 'PERSONAL' && (number.length < 12 || number.length > 19))
    return 'A personal bank card number has 12 to 19 digits';
  if (type === 'CORPORATE' && (number.length < 8 || number.length > 32))
    return 'A corporate account number has 8 to 32 digits';
  return null;
}

/** 6-digit province/city code of the bank branch (WeChat Pay's province and city table). */
export function checkAddressCode(code: string): string | null {
  return /^\d{6}$/.test(code) && PROVINCES.has(code.slice(0, 2))
    ? null
    : 'Choose the province and city of the opening branch (a 6-digit region code)';
}

// ---- dates ---------------------------------------------------------------------------
/** Same day N years later (29 February falls back to 28 February). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isDate(target) ? target : `${String(y + years).padStart(4, '0')}-02-28`;
}
