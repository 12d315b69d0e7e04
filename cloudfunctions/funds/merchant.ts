// The merchant account bound to the caller's mini program, and what funds
// needs to know about its holder. Onboarding writes these facts onto the
// `merchants` doc when it binds the account (and records the first bank
// account in `bankAccounts`), so funds reads nothing of onboarding's.
import { AppError } from '../core/errors';
import type { Deps } from '../core/runtime/deps';
import type { FundsMerchantDoc } from './docs';

export function noMerchant(): AppError {
  return new AppError('FUNDS.NO_MERCHANT_ACCOUNT', 'This mini program has no merchant account yet. Apply for one first.');
}

export async function boundMerchant(deps: Deps, appid: string): Promise<FundsMerchantDoc> {
  const merchant = await deps.store.get<FundsMerchantDoc>('merchants', appid);
  if (!merchant?.subMchid) throw noMerchant();
  return merchant;
}

/** The individual business operator's name a personal account may carry; absent for other subject types. */
export function operatorNameOf(deps: Deps, merchant: FundsMerchantDoc): string | undefined {
  return merchant.operatorNameSealed ? deps.sealer.open(merchant.operatorNameSealed) : undefined;
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
