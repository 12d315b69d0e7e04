// Checkout steps for simulator tests. The WeChat client's payment APIs are
// the only fakes: they record what the app passed and, like the real client,
// pay the prepay (through the sandbox's buyer, with the very parameters the
// app passed) or report a cancel or failure.
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import type { TestDeps } from '../../support/deps';
import { findAll, type Rendered, tap } from '../harness';

export { bindMerchant } from '../../checkout/support';

export type ClientBehaviour = 'pay' | 'cancel' | 'fail' | 'claim-success-without-paying' | 'pay-then-cancel';

interface PayOptions {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
}

/** Makes wx.requestOrderPayment or wx.requestPayment behave like the WeChat client would. */
export function fakeWechatClient(
  deps: TestDeps,
  api: 'requestOrderPayment' | 'requestPayment',
  behaviour: ClientBehaviour,
): jest.Mock {
  const mock = (wx as unknown as Record<string, jest.Mock>)[api];
  mock.mockImplementation((options: PayOptions) => {
    setTimeout(() => {
      const { success, fail, complete, ...params } = options;
      const done = (ok: boolean, res: { errMsg: string }) => {
        (ok ? success : fail)?.(res);
        complete?.(res);
      };
      try {
        if (behaviour === 'pay' || behaviour === 'pay-then-cancel') {
          deps.sandbox.pay({
            appid: DEMO_APPID,
            timeStamp: params.timeStamp,
            nonceStr: params.nonceStr,
            package: params.package,
            signType: params.signType,
            paySign: params.paySign,
          });
        }
      } catch (err) {
        done(false, { errMsg: `${api}:fail ${(err as Error).message}` });
        return;
      }
      if (behaviour === 'pay' || behaviour === 'claim-success-without-paying') done(true, { errMsg: `${api}:ok` });
      else if (behaviour === 'cancel' || behaviour === 'pay-then-cancel') done(false, { errMsg: `${api}:fail cancel` });
      else done(false, { errMsg: `${api}:fail (-1) system error` });
    }, 0);
  });
  return mock;
}

/**
 * Makes wx.requestOrderPayment (or wx.requestPayment) fail the way the WeChat
 * client does when the API is not open to the mini program, e.g.
 * "requestOrderPayment:fail jsapi has no permission, ..." (errno 102).
 */
export function refuseWechatApi(api: 'requestOrderPayment' | 'requestPayment', errMsg: string, errno = 102): jest.Mock {
  const mock = (wx as unknown as Record<string, jest.Mock>)[api];
  mock.mockImplementation((options: PayOptions) => {
    setTimeout(() => {
      options.fail?.({ errMsg, errno });
      options.complete?.({ errMsg, errno });
    }, 0);
  });
  return mock;
}

/** Declares the demo mini program enrolled for wx.requestOrderPayment (registration `orderPayment: true`). */
export function enrolForOrderPayment(deps: TestDeps): void {
  deps.config.miniPrograms[DEMO_APPID].orderPayment = true;
}

/** "/a/b?x=1&y=%20" -> { x: '1', y: '%20' } (values still encoded, as WeChat passes them to onLoad). */
export function queryOf(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  const at = url.indexOf('?');
  if (at < 0) return query;
  for (const part of url.slice(at + 1).split('&')) {
    const eq = part.indexOf('=');
    query[decodeURIComponent(part.slice(0, eq))] = part.slice(eq + 1);
  }
  return query;
}

/** Taps the shop's "+" of the product at `index` (looked up each time: "-" appears beside it after the first). */
export async function addToCart(page: Rendered, index: number, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await tap(findAll(page, 'products__plus')[index]);
}
