// The languages the product speaks. Chinese is the default: merchants and
// buyers in WeChat read Chinese, and a client whose language is unknown gets it.

export const LANGS = ['zh-CN', 'en-US'] as const;

export type Lang = (typeof LANGS)[number];

export const DEFAULT_LANG: Lang = 'zh-CN';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * The language for a WeChat client's language setting
 * (`wx.getAppBaseInfo().language`: zh_CN, zh_HK, zh_TW, en, ...): any
 * Chinese gives Chinese, any other language English, none the default.
 */
export function langOfClient(language: string | undefined): Lang {
  if (!language) return DEFAULT_LANG;
  return /^zh(?:[_-]|$)/i.test(language) ? 'zh-CN' : 'en-US';
}
