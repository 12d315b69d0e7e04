// Recording the settlement bank account in force. Funds owns `bankAccounts`;
// onboarding calls this when it binds an approved merchant account (the
// account the application gave WeChat Pay is the first one in force), inside
// its binding transaction. Kept apart from bank-account.ts so the merchant
// function bundles only this, not the bank-change use cases.
import type { BankAccountInput } from '../domain/funds/bank-account';
import { maskBankAccount, maskName } from '../domain/mask';
import type { DocOps } from '../ports/store';
import type { Deps } from '../runtime/deps';
import type { Sealer } from '../ports/sealer';
import type { BankAccountDoc, StoredAccount } from './docs';

export function sealAccount(sealer: Sealer, a: BankAccountInput): StoredAccount {
  return {
    accountType: a.accountType,
    accountBank: a.accountBank,
    ...(a.bankName ? { bankName: a.bankName } : {}),
    bankAddressCode: a.bankAddressCode,
    accountNumberSealed: sealer.seal(a.accountNumber),
    accountNameSealed: sealer.seal(a.accountName),
    accountNumberMasked: maskBankAccount(a.accountNumber),
    accountNameMasked: maskName(a.accountName),
  };
}

/** Puts `current` in force from `at`, in the caller's transaction; a change in review stays as it is. */
export async function recordSealedAccount(
  tx: DocOps,
  appid: string,
  current: StoredAccount,
  at: string,
): Promise<void> {
  const existing = await tx.get<BankAccountDoc>('bankAccounts', appid);
  if (existing) {
    await tx.update('bankAccounts', appid, { set: { current, since: at, updatedAt: at } });
    return;
  }
  await tx.insert<BankAccountDoc>('bankAccounts', {
    _id: appid,
    appid,
    current,
    since: at,
    pendingChangeId: null,
    latestChangeId: null,
    updatedAt: at,
  });
}

/** Records the account WeChat Pay already settles to, from now, in its own transaction. */
export async function recordBankAccount(
  deps: Pick<Deps, 'store' | 'clock' | 'sealer'>,
  appid: string,
  account: BankAccountInput,
): Promise<void> {
  // Sealed outside the transaction body: a retried body writes the same values.
  const current = sealAccount(deps.sealer, account);
  const at = deps.clock.now().toISOString();
  await deps.store.transaction((tx) => recordSealedAccount(tx, appid, current, at));
}
