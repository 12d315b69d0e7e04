// The double-tap guard for submit buttons: a busy flag in the page's own data
// (also what the button's `loading` shows). setData updates `data` at once on
// the logic thread, so a second tap that arrives mid-call sees the flag.

interface Host {
  data: WechatMiniprogram.IAnyObject;
  setData(data: Record<string, unknown>): void;
}

/**
 * Runs `task` with `host.data[flag]` set, unless it is already set (then
 * resolves undefined without running). The flag is cleared however it ends.
 */
export async function guarded<T>(host: Host, flag: string, task: () => Promise<T>): Promise<T | undefined> {
  if (host.data[flag]) return undefined;
  host.setData({ [flag]: true });
  try {
    return await task();
  } finally {
    host.setData({ [flag]: false });
  }
}
