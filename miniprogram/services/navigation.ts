// Page navigation, so pages never call wx.navigateTo themselves (and tests
// assert navigation on the wx.* stubs). The flow entries are the agreed first
// pages of each subpackage.

export const Routes = {
  home: '/pages/home/index',
  onboardingIntro: '/packages/onboarding/pages/intro/index',
  checkoutProducts: '/packages/checkout/pages/products/index',
  fundsDashboard: '/packages/funds/pages/dashboard/index',
} as const;

export type Query = Record<string, string | number | boolean | undefined | null>;

/** "/a/b" + {id: "x y", n: 2} -> "/a/b?id=x%20y&n=2" (empty values dropped). */
export function withQuery(url: string, query: Query = {}): string {
  const parts = Object.keys(query)
    .filter((k) => query[k] !== undefined && query[k] !== null && query[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`);
  if (!parts.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** WeChat keeps at most 10 pages; past that a push must replace instead. */
const MAX_STACK = 10;

/** Opens a page on top of this one. Resolves false if WeChat refused (logged). */
export function openPage(url: string, query?: Query): Promise<boolean> {
  const target = withQuery(url, query);
  const full = getCurrentPages().length >= MAX_STACK;
  return new Promise((resolve) => {
    const options = {
      url: target,
      success: () => resolve(true),
      fail: (err: WechatMiniprogram.GeneralCallbackResult) => {
        console.error(`navigation to ${target} failed: ${err.errMsg}`);
        resolve(false);
      },
    };
    if (full) wx.redirectTo(options);
    else wx.navigateTo(options);
  });
}

/** Replaces this page (after a submit, so "back" does not return to the form). */
export function replacePage(url: string, query?: Query): Promise<boolean> {
  const target = withQuery(url, query);
  return new Promise((resolve) => {
    wx.redirectTo({
      url: target,
      success: () => resolve(true),
      fail: (err) => {
        console.error(`navigation to ${target} failed: ${err.errMsg}`);
        resolve(false);
      },
    });
  });
}

/**
 * Back to the nearest open page with this route (it keeps its state and gets
 * onShow), or, when none is open below, replaces this page with it.
 */
export function backTo(url: string): Promise<boolean> {
  const route = url.replace(/^\//, '').split('?')[0];
  const pages = getCurrentPages();
  for (let i = pages.length - 2; i >= 0; i--) {
    if (pages[i].route !== route) continue;
    const delta = pages.length - 1 - i;
    return new Promise((resolve) => {
      wx.navigateBack({
        delta,
        success: () => resolve(true),
        fail: (err) => {
          console.error(`navigating back to ${route} failed: ${err.errMsg}`);
          resolve(false);
        },
      });
    });
  }
  return replacePage(url);
}

/** Back one page, or home when this page was opened directly (shared link, scan). */
export function goBack(): void {
  if (getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
  else wx.reLaunch({ url: Routes.home });
}

export function goHome(): void {
  wx.reLaunch({ url: Routes.home });
}
