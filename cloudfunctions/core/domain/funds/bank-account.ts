// Settlement bank account rules (WeChat Pay's modify-settlement): the account
// name must be the merchant's own; personal accounts only for individual
// businesses (whose personal account is in the operator's name); at most 5
// change requests a day; the old account stays in force until WeChat Pay
// approves the new one.
import {
  ACCOUNT_NUMBER_DIGITS,
  isAccountNumber,
  normaliseAccountNumber,
} from '../../../../miniprogram/shared/bank-account';
import { fieldProblem } from '../../../../miniprogram/shared/errors';
import { AppError, type Fields } from '../../errors';
import type { SettlementAccount } from '../../ports/pay';

export { normaliseAccountNumber };

export const BANK_CHANGES_PER_DAY = 5;

export type AccountType = 'CORPORATE' | 'PERSONAL';

/** WeChat Pay's `account_bank` values; anything else is "其他银行" with the full bank name. */
export const BANKS = [
  '工商银行',
  '交通银行',
  '招商银行',
  '民生银行',
  '中信银行',
  '浦发银行',
  '兴业银行',
  '光大银行',
  '广发银行',
  '平安银行',
  '北京银行',
  '华夏银行',
  '农业银行',
  '建设银行',
  '邮政储蓄银行',
  '中国银行',
  '宁波银行',
  '其他银行',
] as const;

export const OTHER_BANK = '其他银行';

/** Subject type of individual businesses, as on the `merchants` doc (`subjectType`). */
export const INDIVIDUAL = 'SUBJECT_TYPE_INDIVIDUAL';

export interface BankAccountInput {
  accountType: AccountType;
  accountBank: string;
  /** Required for 其他银行: the full name of the bank (branch). */
  bankName?: string;
  /** Six-digit region code of the account's city. */
  bankAddressCode: string;
  accountName: string;
  accountNumber: string;
}

/** Who the account must belong to, from the registration record and the merchants doc. */
export interface AccountHolder {
  /** The mini program's registered entity. */
  entityName: string;
  /** WeChat Pay subject type, when onboarding recorded it. */
  subjectType?: string;
  /** An individual business's operator (legal person), when onboarding recorded it. */
  operatorName?: string;
}

/** Names compared the way a bank would: trimmed, inner spaces dropped, full-width brackets as half-width. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

/** Checks a change request; returns the account with normalised fields, or throws a typed error naming the field. */
export function validateAccount(input: BankAccountInput, holder: AccountHolder): BankAccountInput {
  const accountNumber = normaliseAccountNumber(input.accountNumber);
  const accountName = input.accountName.trim();
  const fields: Fields = {};
  if (!isAccountNumber(accountNumber))
    fields.accountNumber = fieldProblem('accountNumberDigits', { ...ACCOUNT_NUMBER_DIGITS });
  // a six-digit region code
  if (!/^\d{6}$/.test(input.bankAddressCode)) fields.bankAddressCode = fieldProblem('addressCode');
  if (!(BANKS as readonly string[]).includes(input.accountBank)) fields.accountBank = fieldProblem('notAChoice');
  // the full bank (branch) name is required for other banks
  if (input.accountBank === OTHER_BANK && !input.bankName?.trim()) fields.bankName = fieldProblem('required');
  if (!accountName) fields.accountName = fieldProblem('required');
  if (Object.keys(fields).length)
    throw new AppError('INPUT.INVALID', `Please correct: ${Object.keys(fields).join(', ')}`, fields);

  const individual = holder.subjectType === INDIVIDUAL;
  if (input.accountType === 'PERSONAL' && !individual) {
    throw new AppError(
      'FUNDS.PERSONAL_ACCOUNT_NOT_ALLOWED',
      'Only individual businesses may settle to a personal account; use a corporate account in the entity name',
      { accountType: fieldProblem('corporateAccountOnly') },
    );
  }
  // Corporate accounts are in the entity's name; an individual business's
  // personal account is in its operator's name (or the entity name, which for
  // many individual businesses is the operator's own).
  const allowed = [holder.entityName];
  if (input.accountType === 'PERSONAL' && holder.operatorName) allowed.push(holder.operatorName);
  if (!allowed.some((name) => normaliseName(name) === normaliseName(accountName))) {
    throw new AppError(
      'FUNDS.ACCOUNT_NAME_MISMATCH',
      input.accountType === 'PERSONAL'
        ? "The account name must be the business operator's name"
        : "The account name must be the mini program's entity name",
      {
        accountName:
          input.accountType === 'PERSONAL'
            ? fieldProblem('personalAccountName')
            : fieldProblem('corporateAccountName', { name: holder.entityName }),
      },
      { accountType: input.accountType },
    );
  }
  const bankName = input.accountBank === OTHER_BANK ? input.bankName?.trim() : undefined;
  return {
    accountType: input.accountType,
    accountBank: input.accountBank,
    ...(bankName ? { bankName } : {}),
    bankAddressCode: input.bankAddressCode,
    accountName,
    accountNumber,
  };
}

/** The request body WeChat Pay's modify-settlement takes. */
export function toSettlementAccount(account: BankAccountInput): SettlementAccount {
  return {
    accountType: account.accountType === 'CORPORATE' ? 'ACCOUNT_TYPE_BUSINESS' : 'ACCOUNT_TYPE_PRIVATE',
    accountBank: account.accountBank,
    bankAddressCode: account.bankAddressCode,
    ...(account.bankName ? { bankName: account.bankName } : {}),
    accountName: account.accountName,
    accountNumber: account.accountNumber,
  };
}

/** The id of the counter document of a day's bank account changes. */
export function bankChangeDayKey(appid: string, date: string): string {
  return `bank-changes:${appid}:${date}`;
}
