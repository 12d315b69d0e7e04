// What the home page shows, derived from the merchant status (pure, so the
// page's template stays free of logic).
import type { MerchantStatus } from '../../../typings/api';
import { applicationStateLabel, isOpenApplication } from '../../utils/application-state';
import { formatDate, formatDateTime } from '../../shared/beijing';
import { formatPpm } from '../../utils/rate';
import { Routes } from '../../services/navigation';

export interface Entry {
  key: string;
  title: string;
  description: string;
  url: string;
}

export interface HomeView {
  miniProgramName: string;
  isAdmin: boolean;
  roleLabel: string;
  merchant: null | { mchid: string; name: string; feeRate: string; boundOn: string };
  application: null | { id: string; label: string };
  /** Admin with neither an account nor an application under way. */
  canApply: boolean;
  entries: Entry[];
}

export function homeView(status: MerchantStatus): HomeView {
  const isAdmin = status.role === 'admin';
  const merchant = status.merchant
    ? {
        mchid: status.merchant.mchid,
        name: status.merchant.name,
        feeRate: formatPpm(status.merchant.feeRatePpm),
        boundOn: formatDate(status.merchant.boundAt),
      }
    : null;
  const open = status.application && isOpenApplication(status.application.state) ? status.application : null;
  const application = open && !merchant ? { id: open.id, label: applicationStateLabel(open.state) } : null;
  const canApply = isAdmin && !merchant && !application;

  const entries: Entry[] = [];
  if (isAdmin && application) {
    entries.push({
      key: 'application',
      title: 'Merchant application',
      description: application.label,
      url: Routes.onboardingIntro,
    });
  }
  entries.push({
    key: 'shop',
    title: 'Shop',
    description: 'Browse products and pay with WeChat Pay',
    url: Routes.checkoutProducts,
  });
  if (isAdmin && merchant) {
    entries.push({
      key: 'funds',
      title: 'Funds',
      description: 'Balances, transactions, bank account and withdrawals',
      url: Routes.fundsDashboard,
    });
  }

  return {
    miniProgramName: status.miniProgramName,
    isAdmin,
    roleLabel: isAdmin ? 'Merchant admin' : 'Buyer',
    merchant,
    application,
    canApply,
    entries,
  };
}

/** A failed claim as the dialog shows it: a lockout says until when (Beijing time); the rest as the backend worded it. */
export function claimErrorText(failure: {
  code: string;
  message: string;
  details?: Record<string, string | number>;
}): string {
  if (failure.code === 'AUTH.CLAIM_LOCKED') {
    const at = formatDateTime(String(failure.details?.retryAt ?? ''));
    return at ? `Too many attempts. Try again after ${at} (Beijing time)` : 'Too many attempts. Try again later';
  }
  return failure.message;
}
