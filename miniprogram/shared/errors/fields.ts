// Why a form field was refused: a reason code plus the values its message
// needs. The server sends these in an error's `fields` (field path -> problem);
// the app words each reason in the user's language (miniprogram/i18n/field-reasons.ts).
// One reason per rule a person can act on; the field path says which field
// (and so which document or step) it is about, so reasons do not repeat it.
import type { Details } from './spec';

export const FIELD_REASONS = [
  // ---- any field -------------------------------------------------------------
  /** Needed and missing. */
  'required',
  /** Not a value the field accepts (a malformed or unknown value). */
  'invalid',
  /** Shorter than `min` characters. */
  'tooShort',
  /** Longer than `max` characters. */
  'tooLong',
  /** Not one of the listed choices. */
  'notAChoice',
  /** A number below `min` or above `max`. */
  'outOfRange',
  /** A number below `min`. */
  'atLeast',
  /** A number above `max`. */
  'atMost',
  /** A list with fewer than `min` entries. */
  'tooFew',
  /** A list with more than `max` entries. */
  'tooMany',
  /** A field the form does not have (or no longer has, after a change of type). */
  'unknownField',
  /** Not a real YYYY-MM-DD date. */
  'date',
  /** Only digits, punctuation and symbols where words are expected (names, addresses). */
  'onlyDigitsOrSymbols',
  /** A person's name with digits in it. */
  'hasDigits',
  /** A paging cursor from another list or an older version of it. */
  'cursor',

  // ---- the entity (licence or certificate) -------------------------------------
  /** Individual businesses and enterprises present a business licence, so take no certificate type. */
  'licenceRequired',
  /** A registration certificate this merchant type may not use. */
  'certTypeNotForType',
  /** A unified social credit code has 18 characters. */
  'creditCodeLength',
  /** Digits and capital letters other than I, O, S, V and Z. */
  'creditCodeCharacters',
  /** Characters 3 to 8 are an administrative division code. */
  'creditCodeRegion',
  /** The check character (GB 32100-2015) does not match: a typo. */
  'creditCodeCheckDigit',
  /** The entity is not the mini program's registered entity `name`. */
  'mustBeRegisteredEntity',
  /** The code is not `creditCode`, the registered entity's. */
  'mustBeRegisteredCreditCode',

  // ---- validity periods ----------------------------------------------------------
  /** A start date after today. */
  'periodStartsInFuture',
  /** An end date that is neither a real date nor long-term. */
  'dateOrLongTerm',
  /** An end date on or before the start date. */
  'periodOrder',
  /** The document expired on `date`. */
  'expired',
  /** The document expires within `days` days (WeChat Pay wants more left). */
  'expiresSoon',
  /** A long-term ID card for a holder younger than `age` at issue. */
  'longTermIdTooYoung',
  /** A mainland ID card is valid for 5, 10 or 20 years. */
  'idCardValidity',

  // ---- people and their documents ------------------------------------------------
  /** The name as printed on a mainland ID card: Chinese characters (with ·). */
  'nameAsOnIdCard',
  /** The name as printed on a passport or permit. */
  'nameAsOnDocument',
  /** A resident ID number: 17 digits then a digit or X. */
  'idCardFormat',
  /** A resident ID number that does not start with a province code. */
  'idCardRegion',
  /** The birth date inside a resident ID number is not a real date. */
  'idCardBirthDate',
  /** The check digit (GB 11643-1999) does not match: a typo. */
  'idCardCheckDigit',
  /** A passport number: 5 to 20 letters and digits. */
  'passportNumber',
  /** A Hong Kong permit number: H and 8 or 10 digits. */
  'hkPermitNumber',
  /** A Macao permit number: M and 8 or 10 digits. */
  'macaoPermitNumber',
  /** A Taiwan permit number: 8 or 10 digits. */
  'taiwanPermitNumber',
  /** The ID holder is not the legal representative named in the entity details. */
  'mustMatchLegalPerson',
  /** The ID holder is not the operator named on an individual business's licence. */
  'mustMatchOperator',
  /** An individual business's operator is its administrator; nobody else may be. */
  'operatorIsAdministrator',

  // ---- contact -------------------------------------------------------------------
  /** A mainland mobile number: 11 digits from 13 to 19. */
  'mobile',
  /** Not an email address. */
  'email',
  /** A customer service line: a mobile, a landline with area code, or a 400/800 number. */
  'servicePhone',

  // ---- settlement bank account -----------------------------------------------------
  /** This merchant type settles to a corporate account only. */
  'corporateAccountOnly',
  /** A bank account number has `min` to `max` digits. */
  'accountNumberDigits',
  /** The province and city of the opening branch (a 6-digit region code). */
  'addressCode',
  /** A personal account is in the operator's own name. */
  'personalAccountName',
  /** A corporate account is in the entity's name, `name`. */
  'corporateAccountName',
  /** The account already in use. */
  'sameAsCurrent',

  // ---- documents -------------------------------------------------------------------
  /** A document this application needs has not been uploaded. */
  'documentRequired',
  /** A document this application does not take. */
  'documentNotNeeded',
  /** Not a JPG, PNG or BMP image. */
  'imageType',
  /** An image larger than `maxBytes`. */
  'imageTooLarge',

  // ---- money, dates, orders ----------------------------------------------------------
  /** An amount below `minFen`. */
  'amountTooSmall',
  /** An amount above `maxFen`. */
  'amountTooLarge',
  /** A date range whose end is before its start. */
  'rangeOrder',
  /** A date range longer than `maxDays` days. */
  'rangeTooLong',
  /** The same product listed twice in one order. */
  'listedTwice',
  /** A product that is no longer for sale. */
  'notForSale',
] as const;

export type FieldReason = (typeof FIELD_REASONS)[number];

export interface FieldProblem {
  reason: FieldReason;
  /** The values the reason's message names (limits, dates, the other field). */
  params?: Details;
}

/** Field path ("bank.accountNumber") -> what is wrong with it. */
export type FieldProblems = Record<string, FieldProblem>;

export function isFieldReason(value: unknown): value is FieldReason {
  return typeof value === 'string' && (FIELD_REASONS as readonly string[]).includes(value);
}

/** A problem with its values; no `params` key when there are none, so problems compare and serialise alike. */
export function fieldProblem(reason: FieldReason, params?: Details): FieldProblem {
  return params && Object.keys(params).length ? { reason, params } : { reason };
}
