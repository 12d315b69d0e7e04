// The checkout package's catalogue in the user's language.
import { localized, t } from '../../../i18n/index';
import { enUS } from './en-US';
import { type CheckoutMessages, zhCN } from './zh-CN';

export type { CheckoutMessages } from './zh-CN';

export const pt = localized<CheckoutMessages>({ 'zh-CN': zhCN, 'en-US': enUS });

/** What a page's template reads as `t`: the package's words plus the app's common ones (cancel, copy...). */
export function pageTexts() {
  return { ...pt(), common: t().common };
}
