// Short-lived feedback that is not part of a page's own state: toasts,
// confirmation dialogs, the pull-down refresh spinner.

/** A one- or two-line message that goes away by itself. */
export function toast(message: string, kind: 'success' | 'none' = 'none'): void {
  // With an icon WeChat truncates after 7 Chinese characters; long text goes without.
  wx.showToast({
    title: message,
    icon: kind === 'success' && message.length <= 7 ? 'success' : 'none',
    duration: 2000,
  });
}

/** Asks before something that cannot be undone. Resolves true on confirm. */
export function confirmAction(title: string, content: string, confirmText = 'Confirm'): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText,
      cancelText: 'Cancel',
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
