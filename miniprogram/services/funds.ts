// The funds function (cloudfunctions/funds) and the wx.* side effects of the
// funds pages: the identity check that confirms a withdrawal, saving and
// sharing an export, copying a link. Reads are fetchX, writes dispatchX.
import type {
  Balances,
  BankAccountStatus,
  BankChangeInput,
  ExportFile,
  FundsOverview,
  IdentityChallenge,
  IdentityProof,
  ReconciliationDetail,
  ReconciliationPage,
  TransactionDetail,
  TransactionPage,
  TransactionQuery,
  WithdrawalPage,
  WithdrawalRequested,
  WithdrawalView,
} from '../../typings/funds';
import { lang } from '../i18n';
import type { ErrorCode } from '../shared/errors';
import { ApiFailure, callFunction } from './transport';

const FN = 'funds';

export function fetchOverview(): Promise<FundsOverview> {
  return callFunction<FundsOverview>(FN, 'getOverview');
}

export function fetchBalances(): Promise<Balances> {
  return callFunction<Balances>(FN, 'getBalances');
}

export function fetchTransactions(query: TransactionQuery = {}): Promise<TransactionPage> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') data[k] = v;
  return callFunction<TransactionPage>(FN, 'listTransactions', data);
}

export function fetchTransaction(id: string): Promise<TransactionDetail> {
  return callFunction<TransactionDetail>(FN, 'getTransaction', { id });
}

export function fetchBankAccount(): Promise<BankAccountStatus> {
  return callFunction<BankAccountStatus>(FN, 'getBankAccount');
}

/** Submits a new settlement account for WeChat Pay's review; the current one stays in force meanwhile. */
export function dispatchBankChange(input: BankChangeInput, idempotencyKey: string): Promise<BankAccountStatus> {
  return callFunction<BankAccountStatus>(FN, 'changeBankAccount', input, { idempotencyKey });
}

/** Step 1 of a withdrawal: no money moves, an identity challenge comes back. */
export function dispatchWithdrawalRequest(amountFen: number, idempotencyKey: string): Promise<WithdrawalRequested> {
  return callFunction<WithdrawalRequested>(FN, 'requestWithdrawal', { amountFen }, { idempotencyKey });
}

/** Step 2: the identity check's answer; the money moves only now. */
export function dispatchWithdrawalConfirm(
  withdrawalId: string,
  proof: IdentityProof,
  idempotencyKey: string,
): Promise<WithdrawalView> {
  return callFunction<WithdrawalView>(FN, 'confirmWithdrawal', { withdrawalId, proof }, { idempotencyKey });
}

export function dispatchWithdrawalCancel(withdrawalId: string): Promise<WithdrawalView> {
  return callFunction<WithdrawalView>(FN, 'cancelWithdrawal', { withdrawalId });
}

export function fetchWithdrawal(id: string): Promise<WithdrawalView> {
  return callFunction<WithdrawalView>(FN, 'getWithdrawal', { id });
}

export function fetchWithdrawals(after?: string): Promise<WithdrawalPage> {
  return callFunction<WithdrawalPage>(FN, 'listWithdrawals', after ? { after } : {});
}

export function fetchReconciliations(after?: string): Promise<ReconciliationPage> {
  return callFunction<ReconciliationPage>(FN, 'listReconciliations', after ? { after } : {});
}

export function fetchReconciliation(date: string): Promise<ReconciliationDetail> {
  return callFunction<ReconciliationDetail>(FN, 'getReconciliation', { date });
}

// ---- the identity check ------------------------------------------------------------

const clientFailure = (code: ErrorCode, detail?: string) => new ApiFailure({ code }, detail);

function soterModes(): Promise<string[]> {
  return new Promise((resolve) => {
    wx.checkIsSupportSoterAuthentication({
      success: (res) => resolve(res.supportMode ?? []),
      fail: () => resolve([]),
    });
  });
}

/**
 * The phone's biometric check (SOTER) over the challenge nonce: face if the
 * phone has it, else fingerprint. The signed result goes to the server, which
 * has WeChat verify it.
 */
export async function soterProof(challenge: IdentityChallenge, authContent: string): Promise<IdentityProof> {
  const modes = await soterModes();
  const mode = modes.includes('facial') ? 'facial' : modes.includes('fingerPrint') ? 'fingerPrint' : null;
  if (!mode) throw clientFailure('CLIENT.SOTER_UNAVAILABLE');
  return new Promise((resolve, reject) => {
    wx.startSoterAuthentication({
      requestAuthModes: [mode],
      challenge: challenge.nonce,
      authContent,
      success: (res) => resolve({ resultJSON: res.resultJSON, resultJSONSignature: res.resultJSONSignature }),
      fail: (err) => reject(clientFailure('CLIENT.SOTER_CANCELLED', err.errMsg)),
    });
  });
}

// ---- export file -------------------------------------------------------------------

export interface SavedExport {
  filePath: string;
  filename: string;
  rows: number;
}

/**
 * Fetches the range's CSV (headers and type words in the app's language) and
 * writes it to the app's user data folder (BOM included, UTF-8).
 */
export async function dispatchExport(from: string, to: string): Promise<SavedExport> {
  const file = await callFunction<ExportFile>(FN, 'exportTransactions', { from, to, lang: lang() });
  const root = wx.env?.USER_DATA_PATH || 'wxfile://usr';
  const filePath = `${root}/${file.filename}`;
  await new Promise<void>((resolve, reject) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data: file.content,
      encoding: 'utf8',
      success: () => resolve(),
      fail: (err) => reject(clientFailure('CLIENT.FILE_WRITE_FAILED', err.errMsg)),
    });
  });
  return { filePath, filename: file.filename, rows: file.rows };
}

/** Sends the saved file to a chat (how a mini program hands a file to the person). */
export function shareExport(saved: SavedExport): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.shareFileMessage({
      filePath: saved.filePath,
      fileName: saved.filename,
      success: () => resolve(),
      fail: (err) => reject(clientFailure('CLIENT.SHARE_FAILED', err.errMsg)),
    });
  });
}

export function copyText(data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.setClipboardData({
      data,
      success: () => resolve(),
      fail: (err) => reject(clientFailure('CLIENT.CLIPBOARD_FAILED', err.errMsg)),
    });
  });
}
