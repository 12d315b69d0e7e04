// The merchant account bound to the caller's mini program, and what funds
// needs to know about its holder. Onboarding binds the merchant with its
// `merchantType` and `applicationId`; the application it came from holds the
// bank account WeChat Pay settles to from day one, and (for an individual
// business) the operator's name a personal account must carry.
import type { BankAccountInput } from '../core/domain/funds/bank-account';
import { INDIVIDUAL } from '../core/domain/funds/bank-account';
import { bankOf } from '../core/domain/onboarding/banks';
import { openSteps } from '../core/domain/onboarding/privacy';
import { SUBJECT_TYPE } from '../core/domain/onboarding/types';
import { AppError } from '../core/errors';
import type { Deps } from '../core/runtime/deps';
import type { ApplicationDoc } from '../merchant/application-doc';
import type { FundsMerchantDoc } from './docs';

export function noMerchant(): AppError {
  return new AppError('FUNDS.NO_MERCHANT_ACCOUNT', 'This mini program has no merchant account yet. Apply for one first.');
}

export async function boundMerchant(deps: Deps, appid: string): Promise<FundsMerchantDoc> {
  const merchant = await deps.store.get<FundsMerchantDoc>('merchants', appid);
  if (!merchant?.subMchid) throw noMerchant();
  return merchant;
}

/** WeChat Pay's subject type: recorded as such, or from onboarding's merchant type. */
export function subjectTypeOf(merchant: FundsMerchantDoc): string | undefined {
  if (merchant.subjectType) return merchant.subjectType;
  const type = merchant.merchantType as keyof typeof SUBJECT_TYPE | undefined;
  return type && Object.hasOwn(SUBJECT_TYPE, type) ? SUBJECT_TYPE[type] : undefined;
}

async function applicationOf(deps: Deps, merchant: FundsMerchantDoc): Promise<ApplicationDoc | null> {
  const id = typeof merchant.applicationId === 'string' ? merchant.applicationId : null;
  const app = id ? await deps.store.get<ApplicationDoc>('applications', id) : null;
  return app && app.appid === merchant.appid ? app : null;
}

/** The individual business operator's name: recorded sealed on the merchant, or from the application's licence. */
export async function operatorNameOf(deps: Deps, merchant: FundsMerchantDoc): Promise<string | undefined> {
  if (merchant.operatorNameSealed) return deps.sealer.open(merchant.operatorNameSealed);
  if (subjectTypeOf(merchant) !== INDIVIDUAL) return undefined;
  const app = await applicationOf(deps, merchant);
  return app ? openSteps(app.steps, deps.sealer).subject.legalPerson : undefined;
}

/** The bank account the approved application gave WeChat Pay, if the merchant came through onboarding. */
export async function applicationAccount(deps: Deps, merchant: FundsMerchantDoc): Promise<BankAccountInput | null> {
  const app = await applicationOf(deps, merchant);
  if (!app) return null;
  const bank = openSteps(app.steps, deps.sealer).bank;
  const known = bankOf(bank.bank);
  if (!bank.accountType || !known || !bank.addressCode || !bank.accountName || !bank.accountNumber) return null;
  return {
    accountType: bank.accountType,
    accountBank: known.wechatName,
    ...(known.code === 'OTHER' && bank.branchName ? { bankName: bank.branchName } : {}),
    bankAddressCode: bank.addressCode,
    accountName: bank.accountName,
    accountNumber: bank.accountNumber,
  };
}

/** Jobs read many merchants; each once per run. */
export function merchantCache(deps: Deps): (appid: string) => Promise<FundsMerchantDoc | null> {
  const seen = new Map<string, Promise<FundsMerchantDoc | null>>();
  return (appid) => {
    let found = seen.get(appid);
    if (!found) {
      found = deps.store.get<FundsMerchantDoc>('merchants', appid);
      seen.set(appid, found);
    }
    return found;
  };
}
