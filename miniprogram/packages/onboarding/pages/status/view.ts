// What the status page shows for an application (pure): where it is on the
// way to a bound account, and what the admin should do now (in the current
// language; WeChat Pay's own rejection reasons stay as it wrote them). WeChat
// Pay's state description only names the state, which the tag already says.
import type { ApplicationView } from '../../../../../typings/onboarding';
import { applicationStateLabel } from '../../../../utils/application-state';
import { formatDate, formatDateTime } from '../../../../shared/beijing';
import { formatPpm } from '../../../../utils/rate';
import { format } from '../../../../i18n/index';
import { pt } from '../../i18n/index';
import { pathLabel } from '../../utils/fields';
import { fixLocation } from '../review/view';

/** The way to a bound account, in order (catalogue keys of `status.stages`). */
const STAGE_KEYS = ['draft', 'review', 'verify', 'sign', 'done'] as const;

/** Each stage's title, and its accessible name (tdesign's own is Chinese only). */
export function stages(): Array<{ title: string; label: string }> {
  const { status, stepBar } = pt();
  return STAGE_KEYS.map((key, index) => ({
    title: status.stages[key],
    label: format(stepBar.step, { current: index + 1, total: STAGE_KEYS.length, title: status.stages[key] }),
  }));
}

const STAGE_OF: Record<string, number> = {
  EDITING: 0,
  AUDITING: 1,
  REJECTED: 1,
  TO_BE_CONFIRMED: 2,
  TO_BE_SIGNED: 3,
  SIGNING: 3,
  FINISHED: 4,
  CANCELED: 0,
};

export interface Reason {
  index: number;
  /** Our field's name when the reason maps to one; else WeChat Pay's own label. */
  label: string;
  /** WeChat Pay's words, shown as written (Chinese). */
  reason: string;
  fixed: boolean;
  /** "已修改" or "去修改". */
  note: string;
  /** Null when the reason names no field of ours (then the review page is the way). */
  fix: null | { url: 'form' | 'documents'; query: Record<string, string> };
}

export interface StatusView {
  id: string;
  state: string;
  stateLabel: string;
  stage: number;
  /** Stage 1 shown as failed. */
  rejected: boolean;
  underReview: boolean;
  editable: boolean;
  submittedOn: string;
  checkedAt: string;
  reasons: Reason[];
  validation: null | { accountName: string; payAmountFen: number; destination: string; deadline: string };
  signUrl: string;
  merchant: null | { mchid: string; name: string; feeRate: string; boundOn: string };
}

export function statusView(app: ApplicationView): StatusView {
  const words = pt().status;
  const v = app.review.accountValidation;
  return {
    id: app.id,
    state: app.state,
    stateLabel: applicationStateLabel(app.state),
    stage: STAGE_OF[app.state] ?? 0,
    rejected: app.state === 'REJECTED',
    underReview: ['AUDITING', 'TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'SIGNING'].includes(app.state),
    editable: app.editable,
    submittedOn: app.submittedAt ? formatDate(app.submittedAt) : '',
    checkedAt: app.review.checkedAt ? formatDateTime(app.review.checkedAt) : '',
    reasons: app.review.rejected.map((r, index) => ({
      index,
      label: r.formField ? pathLabel(r.formField, app.merchantType) : r.label,
      reason: r.reason,
      fixed: !!r.fixed,
      note: r.fixed ? words.changed : words.fix,
      fix: r.formField ? fixLocation(r.formField) : null,
    })),
    validation: v
      ? {
          accountName: v.accountName,
          payAmountFen: v.payAmountFen,
          destination: v.destinationAccountNumber,
          deadline: formatDateTime(v.deadline),
        }
      : null,
    signUrl: app.review.signUrl ?? '',
    merchant: app.merchant
      ? {
          mchid: app.merchant.mchid,
          name: app.merchant.name,
          feeRate: formatPpm(app.merchant.feeRatePpm),
          boundOn: formatDate(app.merchant.boundAt),
        }
      : null,
  };
}
