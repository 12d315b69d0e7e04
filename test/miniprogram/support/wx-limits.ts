// What a phone refuses or cuts, checked on every wx call a test makes: a text
// past WeChat's limit fails the test (after it ran, so page code cannot
// swallow it), as the device would drop the dialog or cut the words.
//
// Sources (developers.weixin.qq.com, miniprogram/dev/api/ui/interaction/):
// - wx.showModal: confirmText and cancelText "最多 4 个字符"; past it the
//   modal does not open at all (reported on the community forum). Measured
//   here in Chinese-character widths, a Latin letter being half of one, so
//   "取消" and "Cancel" pass and "Confirmar" (reported broken) fails.
// - wx.showToast: with an icon (success, error, loading) the title shows "最多
//   7 个汉字长度"; with icon none "最多可显示两行". The docs give no width
//   for a line: 14 Chinese characters (a toast on a 375 pt screen) is our
//   estimate, so two lines are 28.
// - wx.showActionSheet: itemList "最大长度为 6".

/** Width in Chinese characters: full-width characters count 1, the rest 1/2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 1
      : 0.5;
  return width;
}

export const LIMITS = {
  modalButton: 4,
  toastWithIcon: 7,
  toastTwoLines: 28,
  actionSheetItems: 6,
} as const;

/** What one wx call's texts break; `api` is the wx function's name. */
export function limitsBroken(api: string, options: Record<string, any> | undefined): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) broken.push(what);
  };
  if (!options) return broken;
  if (api === 'showModal') {
    for (const key of ['confirmText', 'cancelText']) {
      const text = options[key];
      if (typeof text === 'string')
        check(
          displayWidth(text) <= LIMITS.modalButton,
          `wx.showModal ${key} "${text}" is wider than 4 Chinese characters`,
        );
    }
  }
  if (api === 'showToast') {
    const title = String(options.title ?? '');
    const icon = options.icon ?? 'success';
    if (icon === 'none')
      check(displayWidth(title) <= LIMITS.toastTwoLines, `wx.showToast title "${title}" does not fit two lines`);
    else
      check(
        displayWidth(title) <= LIMITS.toastWithIcon,
        `wx.showToast title "${title}" is wider than 7 Chinese characters with icon ${icon}`,
      );
  }
  if (api === 'showActionSheet') {
    const items = options.itemList;
    const count = Array.isArray(items) ? items.length : 0;
    check(count >= 1 && count <= LIMITS.actionSheetItems, `wx.showActionSheet with ${count} items (1 to 6)`);
  }
  return broken;
}

/** Everything the recorded calls of the checked APIs break (read from the jest mocks, whatever a test made them do). */
export function violationsIn(wx: Record<string, any>): string[] {
  const broken: string[] = [];
  for (const api of ['showModal', 'showToast', 'showActionSheet']) {
    for (const args of (wx[api] as jest.Mock | undefined)?.mock?.calls ?? [])
      broken.push(...limitsBroken(api, args[0]));
  }
  return broken;
}
