// Validity periods of licences, certificates and identity documents, judged
// against today's date from the Clock (China time). WeChat Pay wants every
// document valid for more than 60 more days when the application is filed.
import type { IdDocType } from '../../../../typings/onboarding';
import { addDays, isDate } from '../../../../miniprogram/shared/beijing';
import { type FieldProblem, fieldProblem } from '../../../../miniprogram/shared/errors';
import { addYears, birthDateOf } from './checks';

export const LONG_TERM = 'LONG_TERM';
export const MIN_DAYS_LEFT = 60;

/** Mainland ID cards are issued for 5, 10 or 20 years, or long-term from age 46. */
const ID_CARD_YEARS = [5, 10, 20];
const LONG_TERM_ID_AGE = 46;

export interface PeriodInput {
  begin?: string;
  end?: string;
}

export type PeriodProblems = Partial<Record<'begin' | 'end', FieldProblem>>;

/** Checks one period (the field it belongs to says which document). */
export function checkPeriod(period: PeriodInput, today: string): PeriodProblems {
  const problems: PeriodProblems = {};
  const { begin, end } = period;
  if (begin !== undefined) {
    if (!isDate(begin)) problems.begin = fieldProblem('date');
    else if (begin > today) problems.begin = fieldProblem('periodStartsInFuture');
  }
  if (end !== undefined && end !== LONG_TERM) {
    if (!isDate(end)) problems.end = fieldProblem('dateOrLongTerm');
    else if (begin && isDate(begin) && end <= begin) problems.end = fieldProblem('periodOrder');
    else if (end < today) problems.end = fieldProblem('expired', { date: end });
    else if (end <= addDays(today, MIN_DAYS_LEFT)) problems.end = fieldProblem('expiresSoon', { days: MIN_DAYS_LEFT });
  }
  return problems;
}

/**
 * The extra rules of a mainland ID card: its validity is 5, 10 or 20 years
 * from the issue date, or long-term for holders aged 46 or more at issue.
 */
export function checkIdCardPeriod(
  docType: IdDocType | undefined,
  number: string | undefined,
  period: PeriodInput,
): PeriodProblems {
  if (docType !== 'MAINLAND_ID' || !period.begin || !period.end || !isDate(period.begin)) return {};
  if (period.end === LONG_TERM) {
    if (number && /^\d{17}[\dX]$/.test(number) && isDate(birthDateOf(number))) {
      if (addYears(birthDateOf(number), LONG_TERM_ID_AGE) > period.begin) {
        return { end: fieldProblem('longTermIdTooYoung', { age: LONG_TERM_ID_AGE }) };
      }
    }
    return {};
  }
  const begin = period.begin;
  if (!ID_CARD_YEARS.some((years) => addYears(begin, years) === period.end)) {
    return { end: fieldProblem('idCardValidity') };
  }
  return {};
}
