// Short-lived feedback that is not part of a page's own state: toasts,
// confirmation dialogs, the pull-down refresh spinner.
import { t } from '../i18n';

/** Width in Chinese characters, as WeChat measures its limits: a half-width character is half of one. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0x2e7f ? 1 : 0.5;
  return width;
}

/** A one- or two-line message that goes away by itself. */
export function toast(message: string, kind: 'success' | 'none' = 'none'): void {
  // With an icon WeChat shows at most 7 Chinese characters of the title (wx.showToast docs); longer goes without.
  wx.showToast({
    title: message,
    icon: kind === 'success' && textWidth(message) <= 7 ? 'success' : 'none',
    duration: 2000,
  });
}

/**
 * Asks before something that cannot be undone. Resolves true on confirm.
 * `cancelText` replaces "Cancel" where the action itself is a cancel (cancelling an order).
 */
export function confirmAction(
  title: string,
  content: string,
  confirmText = t().common.confirm,
  cancelText = t().common.cancel,
): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      cancelText,
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}

/** The page's title in the navigation bar. */
export function setTitle(title: string): void {
  wx.setNavigationBarTitle({ title });
}

export function stopPullDownRefresh(): void {
  wx.stopPullDownRefresh();
}
