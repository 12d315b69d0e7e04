// The merchant account bound to a mini program: one document type and one
// lookup for every function. Onboarding writes it when it binds an approved
// account (with what funds needs: subject type, an individual business's
// operator, the first settlement account in `bankAccounts`); checkout and
// funds only read it.
import type { MerchantType } from '../../../typings/onboarding';
import { AppError } from '../errors';
import type { Doc } from '../ports/store';
import type { Deps } from '../runtime/deps';

export interface MerchantDoc extends Doc {
  /** The appid: one bound merchant account per mini program. */
  _id: string;
  appid: string;
  subMchid: string;
  name: string;
  /** Fee rate in parts per million: 6000 = 0.6%. */
  feeRatePpm: number;
  boundAt: string;
  /** WeChat Pay's SUBJECT_TYPE_*: a personal settlement account is allowed only for SUBJECT_TYPE_INDIVIDUAL. */
  subjectType: string;
  /** An individual business's operator (legal person) as on the licence, sealed: the name a personal account must carry. */
  operatorNameSealed?: string;
  /** How the account reaches WeChat Pay (payment management needs DIRECT). */
  connection?: 'DIRECT' | 'INDIRECT';
  /** WeChat Pay settlement rule id of the chosen industry. */
  settlementId?: string;
  /** Set when bound through onboarding. */
  applicationId?: string;
  merchantType?: MerchantType;
}

export function findMerchant(deps: Pick<Deps, 'store'>, appid: string): Promise<MerchantDoc | null> {
  return deps.store.get<MerchantDoc>('merchants', appid);
}

/** The bound merchant account, or the one typed refusal every function gives when there is none. */
export async function boundMerchant(deps: Pick<Deps, 'store'>, appid: string): Promise<MerchantDoc> {
  const merchant = await findMerchant(deps, appid);
  if (!merchant?.subMchid)
    throw new AppError(
      'MERCHANT.NOT_BOUND',
      'This mini program has no merchant account bound yet. Apply for one first.',
    );
  return merchant;
}

/** The individual business operator's name a personal account may carry; absent for other subject types. */
export function operatorNameOf(deps: Pick<Deps, 'sealer'>, merchant: MerchantDoc): string | undefined {
  return merchant.operatorNameSealed ? deps.sealer.open(merchant.operatorNameSealed) : undefined;
}

/** Jobs read many merchants; each once per run. */
export function merchantCache(deps: Pick<Deps, 'store'>): (appid: string) => Promise<MerchantDoc | null> {
  const seen = new Map<string, Promise<MerchantDoc | null>>();
  return (appid) => {
    let found = seen.get(appid);
    if (!found) {
      found = findMerchant(deps, appid);
      seen.set(appid, found);
    }
    return found;
  };
}
