// What the status page shows for an application (pure): where it is on the
// way to a bound account, and what the admin should do now.
import type { ApplicationView } from '../../../../../typings/onboarding';
import { applicationStateLabel } from '../../../../utils/application-state';
import { formatDate, formatDateTime } from '../../../../shared/beijing';
import { formatPpm } from '../../../../utils/rate';
import { pathLabel } from '../../utils/fields';
import { fixLocation } from '../review/view';

export const STAGES = ['Draft', 'Review', 'Account verification', 'Signing', 'Bound'];

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
  label: string;
  reason: string;
  fixed: boolean;
  /** Null when the reason names no field of ours (then the review page is the way). */
  fix: null | { url: 'form' | 'documents'; query: Record<string, string> };
}

export interface StatusView {
  id: string;
  state: string;
  stateLabel: string;
  stateDesc: string;
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
  const v = app.review.accountValidation;
  return {
    id: app.id,
    state: app.state,
    stateLabel: applicationStateLabel(app.state),
    stateDesc: app.review.stateDesc ?? '',
    stage: STAGE_OF[app.state] ?? 0,
    rejected: app.state === 'REJECTED',
    underReview: ['AUDITING', 'TO_BE_CONFIRMED', 'TO_BE_SIGNED', 'SIGNING'].includes(app.state),
    editable: app.editable,
    submittedOn: app.submittedAt ? formatDate(app.submittedAt) : '',
    checkedAt: app.review.checkedAt ? formatDateTime(app.review.checkedAt) : '',
    reasons: app.review.rejected.map((r, index) => ({
      index,
      label: r.formField ? pathLabel(r.formField) : r.label,
      reason: r.reason,
      fixed: !!r.fixed,
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
