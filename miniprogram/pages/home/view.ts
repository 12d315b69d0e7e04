// What the home page shows, derived from the merchant status (pure, so the
// page's template stays free of logic).
import type { MerchantStatus } from '../../../typings/api';
import { applicationStateLabel, isOpenApplication } from '../../utils/application-state';
import { lang, t } from '../../i18n';
import { formatDate } from '../../shared/beijing';
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
  /** The language the app speaks now, in its own name. */
  languageName: string;
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
      title: t().home.entryApplication,
      description: application.label,
      url: Routes.onboardingIntro,
    });
  }
  entries.push({
    key: 'shop',
    title: t().home.entryShop,
    description: t().home.entryShopDescription,
    url: Routes.checkoutProducts,
  });
  if (isAdmin && merchant) {
    entries.push({
      key: 'funds',
      title: t().home.entryFunds,
      description: t().home.entryFundsDescription,
      url: Routes.fundsDashboard,
    });
  }

  return {
    miniProgramName: status.miniProgramName,
    isAdmin,
    roleLabel: isAdmin ? t().home.roleAdmin : t().home.roleBuyer,
    merchant,
    application,
    canApply,
    entries,
    languageName: t().language[lang()],
  };
}
