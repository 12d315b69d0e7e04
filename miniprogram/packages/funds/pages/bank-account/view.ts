// The bank account page's view of the status (pure).
import type { AccountType, BankAccountStatus } from '../../../../../typings/funds';
import { formatDate, formatDateTime } from '../../../../shared/beijing';
import { BANK_CHANGE_STATES, type TagTheme } from '../../utils/labels';

export const ACCOUNT_TYPES: Record<AccountType, string> = {
  CORPORATE: 'Corporate account',
  PERSONAL: 'Personal account',
};

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
  changeHint: string;
  personalAllowed: boolean;
  banks: string[];
}

export function bankView(s: BankAccountStatus): BankView {
  const c = s.latestChange;
  // UNKNOWN (no answer from WeChat Pay yet) blocks another change just like a review does.
  const inReview = c ? c.state === 'AUDITING' || c.state === 'SUBMITTING' || c.state === 'UNKNOWN' : false;
  let changeHint = '';
  if (c?.state === 'UNKNOWN')
    changeHint =
      "Waiting for WeChat Pay's answer about the change; the current account stays in use until it is approved.";
  else if (inReview) changeHint = 'A change is in review; the current account stays in use until it is approved.';
  else if (s.changesLeftToday === 0) changeHint = 'The account can be changed 5 times a day. Try again tomorrow.';
  return {
    current: s.current
      ? {
          bank: s.current.bankName ?? s.current.accountBank,
          number: s.current.accountNumber,
          name: s.current.accountName,
          type: ACCOUNT_TYPES[s.current.accountType],
          since: formatDate(s.current.since),
        }
      : null,
    change: c
      ? {
          label: BANK_CHANGE_STATES[c.state].label,
          theme: BANK_CHANGE_STATES[c.state].theme,
          number: c.account.accountNumber,
          bank: c.account.bankName ?? c.account.accountBank,
          when: formatDateTime(c.decidedAt ?? c.submittedAt),
          reason: c.reason ?? '',
          inReview,
        }
      : null,
    changesLeft: s.changesLeftToday,
    canChange: !inReview && s.changesLeftToday > 0,
    changeHint,
    personalAllowed: s.personalAllowed,
    banks: s.banks,
  };
}

/** An account number as the backend masks it: only the last four digits shown ("**** **** 5678"). */
export function maskAccountNumber(number: string): string {
  return `**** **** ${number.slice(-4)}`;
}
