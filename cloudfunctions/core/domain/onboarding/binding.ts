// What onboarding hands over when it binds an approved merchant account: the
// facts funds needs, in WeChat Pay's vocabulary, taken from the application
// once, so that funds never reads onboarding's draft format.
import type { MerchantType, StepData } from '../../../../typings/onboarding';
import type { BankAccountInput } from '../funds/bank-account';
import { bankOf } from './banks';
import { SUBJECT_TYPE } from './types';

export interface BindingFacts {
  /** WeChat Pay's SUBJECT_TYPE_*. */
  subjectType: string;
  /** Only for an individual business: its operator as on the licence, the one name a personal settlement account may carry. */
  operatorName?: string;
  /** The settlement account the application gave WeChat Pay; null if the bank step is incomplete. */
  settlementAccount: BankAccountInput | null;
}

/** From the opened (plain) steps of the approved application. */
export function bindingFacts(type: MerchantType, steps: StepData): BindingFacts {
  const operatorName = type === 'INDIVIDUAL' ? steps.subject.legalPerson : undefined;
  return {
    subjectType: SUBJECT_TYPE[type],
    ...(operatorName ? { operatorName } : {}),
    settlementAccount: settlementAccountOf(steps),
  };
}

function settlementAccountOf({ bank }: StepData): BankAccountInput | null {
  const known = bankOf(bank.bank);
  if (!bank.accountType || !known || !bank.addressCode || !bank.accountName || !bank.accountNumber) return null;
  return {
    accountType: bank.accountType,
    accountBank: known.wechatName,
    // WeChat Pay takes the full branch name only for "other" banks.
    ...(known.code === 'OTHER' && bank.branchName ? { bankName: bank.branchName } : {}),
    bankAddressCode: bank.addressCode,
    accountName: bank.accountName,
    accountNumber: bank.accountNumber,
  };
}
