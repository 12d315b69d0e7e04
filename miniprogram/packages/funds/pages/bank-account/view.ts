// The bank account page's view of the status (pure).
import type { BankAccountStatus } from '../../../../../typings/funds';
import { format } from '../../../../i18n/index';
import { formatDate, formatDateTime } from '../../../../shared/beijing';
import { pt } from '../../i18n/index';
import { bankChangeState, type TagTheme } from '../../utils/labels';

export interface BankView {
  current: { bank: string; number: string; name: string; type: string; since: string } | null;
  change: {
    label: string;
    theme: TagTheme;
    number: string;
    bank: string;
    when: string;
    reason: string;
    inReview: boolean;
  } | null;
  changesLeft: number;
  canChange: boolean;
  /** Why the account cannot be changed now, or how many changes are left today. */
  changeHint: string;
  personalAllowed: boolean;
  /** WeChat Pay's bank names (bank data, shown as they are in both languages). */
  banks: string[];
  /** The entry of `banks` that needs the branch's full name. */
  otherBank: string;
}

export function bankView(s: BankAccountStatus): BankView {
  const words = pt().bank;
  const c = s.latestChange;
  // UNKNOWN (no answer from WeChat Pay yet) blocks another change just like a review does.
  const inReview = c ? c.state === 'AUDITING' || c.state === 'SUBMITTING' || c.state === 'UNKNOWN' : false;
  let changeHint = format(words.changesLeft, { count: s.changesLeftToday });
  if (c?.state === 'UNKNOWN') changeHint = words.waitingHint;
  else if (inReview) changeHint = words.reviewHint;
  else if (s.changesLeftToday === 0) changeHint = words.limitHint;
  return {
    current: s.current
      ? {
          bank: s.current.bankName ?? s.current.accountBank,
          number: s.current.accountNumber,
          name: s.current.accountName,
          type: pt().accountTypes[s.current.accountType],
          since: formatDate(s.current.since),
        }
      : null,
    change: c
      ? {
          ...bankChangeState(c.state),
          number: c.account.accountNumber,
          bank: c.account.bankName ?? c.account.accountBank,
          when: formatDateTime(c.decidedAt ?? c.submittedAt),
          // Only WeChat Pay's own review reason is shown; the other states' notes are the server's, for operators.
          reason: c.state === 'REJECTED' ? (c.reason ?? '') : '',
          inReview,
        }
      : null,
    changesLeft: s.changesLeftToday,
    canChange: !inReview && s.changesLeftToday > 0,
    changeHint,
    personalAllowed: s.personalAllowed,
    banks: s.banks,
    otherBank: s.otherBank,
  };
}

/** An account number as the backend masks it: only the last four digits shown ("**** **** 5678"). */
export function maskAccountNumber(number: string): string {
  return `**** **** ${number.slice(-4)}`;
}
