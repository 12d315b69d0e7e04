// requestOrderPayment(payment): the one way the app pays. It takes the signed
// parameters the backend prepared and uses
//   - wx.requestPayment by default: WeChat says "普通小程序可直接使用
//     wx.requestPayment"
//     (https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestOrderPayment.html);
//   - wx.requestOrderPayment only where the deployment declares the mini
//     program enrolled (registration `orderPayment`, sent as
//     payment.orderPayment) and this client has the API (base library
//     2.16.0+, same page), with the same signed parameters and no orderInfo
//     (documented as optional: "仅在需要校验的场景下需要传递"); if it fails as
//     "not available here" (see NOT_AVAILABLE), wx.requestPayment with the same
//     parameters; a user cancel is never retried;
//   - in local mode the WeChat Pay sandbox's buyer, since no real WeChat
//     client can pay a sandbox prepay.
// Whatever the client API says, the order counts as paid only when the
// backend confirms it (it asks WeChat Pay), polled briefly.
import type { Payment } from '../../typings/checkout';
import { config } from '../config';
import { format, lang, t } from '../i18n';
import { errorText } from '../i18n/errors';
import { formatFen } from '../shared/money';
import type { ErrorCode } from '../shared/errors';
import { fetchPaymentConfirmation } from './checkout';

export type PaymentPath = 'requestOrderPayment' | 'requestPayment' | 'sandbox';

export const PaymentCodes = {
  /** The client API or the sandbox reported a failure. */
  FAILED: 'PAYMENT.FAILED',
  /** The client reported success but the backend has not seen the money yet. */
  UNCONFIRMED: 'PAYMENT.UNCONFIRMED',
  /** Local mode, but the backend gave no sandbox to pay with. */
  NO_SANDBOX: 'PAYMENT.NO_SANDBOX',
} as const;

export type PaymentResult =
  | { status: 'paid'; orderId: string; paidAt: string | null }
  | { status: 'cancelled'; orderId: string }
  | { status: 'failed'; orderId: string; code: ErrorCode; message: string };

/** Delays between confirmation polls after the client reports success: about 6 s in all. */
export const CONFIRM_DELAYS_MS = [0, 300, 600, 900, 1200, 1500, 1800];

/**
 * Whether this client has wx.requestOrderPayment: the function exists and
 * wx.canIUse says the base library has it (2.16.0+). Neither says the mini
 * program is enrolled; only the registration does (payment.orderPayment).
 */
function hasOrderPaymentApi(): boolean {
  return typeof wx.requestOrderPayment === 'function' && wx.canIUse('requestOrderPayment');
}

/** The API the payment sheet will be opened with: `orderPayment` from the checkout status or the payment. */
export function paymentPath(orderPayment: boolean): PaymentPath {
  if (config.mode === 'local') return 'sandbox';
  return orderPayment && hasOrderPaymentApi() ? 'requestOrderPayment' : 'requestPayment';
}

type ClientError = { errMsg?: string };
type ClientOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; detail: string; notAvailable?: boolean };

/**
 * Failures that mean "wx.requestOrderPayment is not available to this mini
 * program here", after which wx.requestPayment is tried with the same signed
 * parameters (one prepay, so one payment at most; the backend confirms it
 * either way). The client's
 * permission layer words them, per API, as seen in WeChat's developer
 * community: "<api>:fail jsapi has no permission, ..." with errno 102
 * (https://developers.weixin.qq.com/community/pay/doc/0008c62350c030958b435078661400),
 * "<api>:fail no permission"
 * (https://developers.weixin.qq.com/community/develop/doc/000a0abcf98268599ec214b3266000),
 * "<api>:fail :access denied" (errno 102,
 * https://developers.weixin.qq.com/community/personal/oCJUswx79KuXUnpOf9gAaQ7Cvm_M/question).
 * "not support(ed)" is matched too for a client that reports the API itself as
 * unsupported; that wording is not confirmed by a WeChat page (a client
 * without the API is caught before the call: hasOrderPaymentApi).
 */
const NOT_AVAILABLE = /no permission|access denied|not support/i;

/** wx.requestPayment / wx.requestOrderPayment report a user cancel as "...:fail cancel". */
function outcomeOfError(err: ClientError | undefined): ClientOutcome {
  const errMsg = err?.errMsg ?? String(err);
  if (/:fail[\s_]cancel/i.test(errMsg)) return { kind: 'cancel' };
  return { kind: 'fail', detail: errMsg, notAvailable: NOT_AVAILABLE.test(errMsg) };
}

function viaWechat(payment: Payment, path: 'requestOrderPayment' | 'requestPayment'): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    const options = {
      ...payment.params,
      success: () => resolve({ kind: 'ok' }),
      fail: (err: ClientError) => resolve(outcomeOfError(err)),
    };
    if (path === 'requestOrderPayment') wx.requestOrderPayment(options);
    else wx.requestPayment(options);
  });
}

/** Order payment first where declared; regular WeChat Pay where it is not available. */
async function viaWechatWithFallback(payment: Payment, path: 'requestOrderPayment' | 'requestPayment') {
  const first = await viaWechat(payment, path);
  if (path === 'requestOrderPayment' && first.kind === 'fail' && first.notAvailable) {
    return viaWechat(payment, 'requestPayment');
  }
  return first;
}

/** The sandbox's payment sheet: pay, make it fail, or cancel (close the sheet). */
function viaSandbox(payment: Payment): Promise<ClientOutcome> {
  const sandbox = payment.sandbox;
  if (!sandbox) return Promise.resolve({ kind: 'fail', detail: PaymentCodes.NO_SANDBOX });
  const amount = formatFen(payment.totalFen);
  return new Promise((resolve) => {
    wx.showActionSheet({
      alertText: format(t().paymentSheet.alert, { amount }),
      itemList: [format(t().paymentSheet.pay, { amount }), t().paymentSheet.fail],
      success: ({ tapIndex }) => {
        wx.request({
          url: sandbox.payUrl,
          method: 'POST',
          header: { 'content-type': 'application/json' },
          data: { appid: config.local.appid, ...payment.params, result: tapIndex === 0 ? 'SUCCESS' : 'FAIL' },
          dataType: 'json',
          timeout: config.timeoutMs,
          success: (res) => {
            const body = res.data as { trade_state?: string; code?: string; message?: string } | undefined;
            if (res.statusCode === 200 && body?.trade_state === 'SUCCESS') resolve({ kind: 'ok' });
            else
              resolve({
                kind: 'fail',
                detail:
                  `sandbox ${res.statusCode}: ${body?.trade_state ?? body?.code ?? ''} ${body?.message ?? ''}`.trim(),
              });
          },
          fail: (err) => resolve({ kind: 'fail', detail: `sandbox unreachable: ${err.errMsg}` }),
        });
      },
      // Closing the sheet is the sandbox's "cancel".
      fail: () => resolve({ kind: 'cancel' }),
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Asks the backend until it reports the order paid, or the delays run out. */
async function confirmPaid(orderId: string, delays: number[]): Promise<{ paidAt: string | null } | null> {
  for (const delay of delays) {
    if (delay) await sleep(delay);
    try {
      const confirmation = await fetchPaymentConfirmation(orderId);
      if (confirmation.state === 'PAID') return { paidAt: confirmation.paidAt };
      if (confirmation.state === 'CLOSED') return null;
    } catch {
      // A dropped poll is not an answer: try again on the next delay.
    }
  }
  return null;
}

export interface PayOptions {
  /** Polling delays (tests shorten them). */
  confirmDelaysMs?: number[];
}

/**
 * Shows the payment sheet for `payment` and resolves with what really
 * happened: paid (confirmed by the backend), cancelled, or failed with a code.
 */
export async function requestOrderPayment(payment: Payment, options: PayOptions = {}): Promise<PaymentResult> {
  const { orderId } = payment;
  const path = paymentPath(payment.orderPayment);
  const client = path === 'sandbox' ? await viaSandbox(payment) : await viaWechatWithFallback(payment, path);
  // Even a cancel or a failure is checked once: the money may have moved anyway.
  const confirmed = await confirmPaid(
    orderId,
    client.kind === 'ok' ? (options.confirmDelaysMs ?? CONFIRM_DELAYS_MS) : [0],
  );
  if (confirmed) return { status: 'paid', orderId, paidAt: confirmed.paidAt };
  if (client.kind === 'cancel') return { status: 'cancelled', orderId };
  if (client.kind === 'ok') {
    return {
      status: 'failed',
      orderId,
      code: PaymentCodes.UNCONFIRMED,
      message: errorText(lang(), PaymentCodes.UNCONFIRMED),
    };
  }
  if (client.detail === PaymentCodes.NO_SANDBOX) {
    return {
      status: 'failed',
      orderId,
      code: PaymentCodes.NO_SANDBOX,
      message: errorText(lang(), PaymentCodes.NO_SANDBOX),
    };
  }
  return {
    status: 'failed',
    orderId,
    code: PaymentCodes.FAILED,
    message: errorText(lang(), PaymentCodes.FAILED),
  };
}
