// What the app says, in the user's language. The language follows the WeChat
// client until the user picks one in the app (kept in storage). Each package
// has its own catalogues (zh-CN, and en-US typed as its mirror, so a missing
// or misspelt key fails type-checking); `localized()` picks the current one.
// Messages name their values as {placeholders}, filled by `format()`.
import { DEFAULT_LANG, isLang, type Lang, langOfClient } from '../shared/lang';
import { enUS } from './en-US';
import type { Messages } from './zh-CN';
import { zhCN } from './zh-CN';

export type { Lang } from '../shared/lang';
export { type Catalogue, format } from './format';
export type { Messages } from './zh-CN';

const STORAGE_KEY = 'pms.lang';

/** The user's choice if they made one, else the WeChat client's language. */
export function lang(): Lang {
  try {
    const chosen: unknown = wx.getStorageSync(STORAGE_KEY);
    if (isLang(chosen)) return chosen;
  } catch {
    // Storage unreadable: fall through to the client's language.
  }
  try {
    return langOfClient(wx.getAppBaseInfo().language);
  } catch {
    return DEFAULT_LANG;
  }
}

/** Keeps the user's choice; the caller reloads the pages (wx.reLaunch) so every text follows. */
export function setLang(next: Lang): void {
  wx.setStorageSync(STORAGE_KEY, next);
}

/** The current language's catalogue of a package. */
export function localized<M>(catalogues: Record<Lang, M>): () => M {
  return () => catalogues[lang()];
}

/** The main package's catalogue: home, shared components, services, labels. */
export const t = localized<Messages>({ 'zh-CN': zhCN, 'en-US': enUS });
