// The funds package's catalogue in the user's language.
import { format, localized, t } from '../../../i18n/index';
import { enUS } from './en-US';
import { type FundsMessages, zhCN } from './zh-CN';

export type { FundsMessages } from './zh-CN';

export const pt = localized<FundsMessages>({ 'zh-CN': zhCN, 'en-US': enUS });

/** What a page's template reads as `t`: the package's words plus the app's common ones (cancel, copy...). */
export function pageTexts() {
  return { ...pt(), common: t().common };
}

/** A count in words: English says "1 payment" but "2 payments" (Chinese words both the same way). */
export function counted(count: number, one: string, many: string, params: Record<string, string | number> = {}) {
  return format(count === 1 ? one : many, { ...params, count });
}
