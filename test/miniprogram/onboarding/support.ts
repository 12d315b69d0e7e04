// Shared by the onboarding page tests: the phone's storage (the simulator's
// is a no-op) and a photo picked from the album.
import { PNG } from '../../onboarding/fixtures';
import { cloud } from '../support/cloud';

/** A working wx storage for this test, so drafts can survive "leaving the app". */
export function phoneStorage(): Map<string, unknown> {
  const store = new Map<string, unknown>();
  (wx.setStorageSync as unknown as jest.Mock).mockImplementation((k: string, v: unknown) =>
    store.set(k, JSON.parse(JSON.stringify(v))),
  );
  (wx.getStorageSync as unknown as jest.Mock).mockImplementation((k: string) => (store.has(k) ? store.get(k) : ''));
  (wx.removeStorageSync as unknown as jest.Mock).mockImplementation((k: string) => store.delete(k));
  return store;
}

/** The next wx.chooseMedia picks this image; uploads (and readFile) send its bytes. */
export function pickPhoto(
  content: Buffer = PNG,
  size = content.length,
  path = `wxfile://tmp_${Math.random().toString(36).slice(2)}.png`,
): string {
  (wx.chooseMedia as unknown as jest.Mock).mockImplementationOnce((o: { success: (r: unknown) => void }) =>
    setTimeout(
      () =>
        o.success({
          errMsg: 'chooseMedia:ok',
          type: 'image',
          tempFiles: [{ tempFilePath: path, size, fileType: 'image' }],
        }),
      0,
    ),
  );
  cloud.phoneFiles.set(path, content);
  const files = new Map<string, Buffer>([[path, content]]);
  (wx.getFileSystemManager as unknown as jest.Mock).mockReturnValue({
    readFile: (o: { filePath: string; encoding: string; success: (r: unknown) => void; fail: (e: unknown) => void }) =>
      setTimeout(
        () =>
          files.has(o.filePath)
            ? o.success({ data: files.get(o.filePath)!.toString('base64') })
            : o.fail({ errMsg: 'readFile:fail no such file' }),
        0,
      ),
  });
  return path;
}

/** The admin backs out of the photo picker. */
export function cancelPhoto(): void {
  (wx.chooseMedia as unknown as jest.Mock).mockImplementationOnce((o: { fail: (e: unknown) => void }) =>
    setTimeout(() => o.fail({ errMsg: 'chooseMedia:fail cancel' }), 0),
  );
}

/**
 * Makes the simulator run tdesign's t-cascader as WeChat does, for the
 * components this test file registers from now on: WeChat calls a setData
 * callback on the component (j-component calls it unbound, so the cascader's
 * change never fires) and selectComponent of no match is null (j-component
 * throws). Call it before loadPage().
 */
export function simulateCascader(): void {
  const jComponent = require('j-component');
  if (jComponent.__cascaderFixes) return;
  const fixes = jComponent.behavior({
    lifetimes: {
      created(this: Record<string, any>) {
        const setData = this.setData;
        this.setData = (data: unknown, callback?: unknown) =>
          setData.call(this, data, typeof callback === 'function' ? callback.bind(this) : callback);
        const select = this.selectComponent;
        this.selectComponent = (selector: string) => {
          try {
            return select.call(this, selector);
          } catch {
            return null;
          }
        };
      },
    },
  });
  const register = jComponent.register;
  jComponent.register = (definition: Record<string, any>) =>
    register.call(jComponent, { ...definition, behaviors: [fixes, ...(definition.behaviors ?? [])] });
  jComponent.__cascaderFixes = true;
}
