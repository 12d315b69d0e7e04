// miniprogram-simulate's `wx` answers ~400 APIs with `{errMsg: "x:ok"}`. Here
// every one becomes a jest.fn (so tests assert navigation, toasts, modals),
// reset to that default before each test, plus the APIs simulate lacks:
// wx.cloud (set by the harness) and wx.requestOrderPayment.

type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void; complete?: (res: any) => void };

/** A wx-style async API: callbacks if given, else a promise; always settles on a later tick. */
export function asyncApi(name: string, result: Record<string, unknown> = {}) {
  return (options: Callbacks = {}) => {
    const res = { errMsg: `${name}:ok`, ...result };
    const settle = () => {
      options.success?.(res);
      options.complete?.(res);
    };
    if (options.success || options.fail || options.complete) {
      setTimeout(settle, 0);
      return undefined;
    }
    return new Promise((resolve) => setTimeout(() => resolve(res), 0));
  };
}

const defaults = new Map<string, (...args: any[]) => any>();

/** Replaces every wx function with a jest.fn running the simulator's default. */
export function installWxStubs(wx: Record<string, any>): void {
  // Added before wrapping, so they get the same treatment.
  wx.requestOrderPayment ??= asyncApi('requestOrderPayment');
  wx.requestPayment ??= asyncApi('requestPayment');
  wx.showModal = asyncApi('showModal', { confirm: true, cancel: false });
  for (const key of Object.keys(wx)) {
    const original = wx[key];
    if (typeof original !== 'function' || defaults.has(key)) continue;
    defaults.set(key, original);
    wx[key] = jest.fn(original);
  }
}

/** Forgets calls and restores default implementations (a test may have overridden some). */
export function resetWxStubs(wx: Record<string, any>): void {
  for (const [key, original] of defaults) {
    const fn = wx[key] as jest.Mock;
    fn.mockReset();
    fn.mockImplementation(original);
  }
}
