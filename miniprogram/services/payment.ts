// requestOrderPayment(payment): the one way the app pays. It takes the signed
// parameters the backend prepared and uses
//   - wx.requestOrderPayment while payment management is active and the base
//     library has it (2.16.0+),
//   - else wx.requestPayment (what mini programs fell back to when WeChat
//     discontinued the service),
//   - in local mode the WeChat Pay sandbox's buyer, since no real WeChat
//     client can pay a sandbox prepay.
// Whatever the client API says, the order counts as paid only when the
// backend confirms it (it asks WeChat Pay), polled briefly.
import type { Payment, ServiceStatus } from '../../typings/checkout';
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

export function paymentPath(service: ServiceStatus): PaymentPath {
  if (config.mode === 'local') return 'sandbox';
  if (service === 'active' && wx.canIUse('requestOrderPayment')) return 'requestOrderPayment';
  return 'requestPayment';
}

type ClientOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; detail: string };

/** wx.requestPayment / wx.requestOrderPayment report a user cancel as "...:fail cancel". */
function outcomeOfError(err: { errMsg?: string } | undefined): ClientOutcome {
  const errMsg = err?.errMsg ?? String(err);
  return /:fail[\s_]cancel/i.test(errMsg) ? { kind: 'cancel' } : { kind: 'fail', detail: errMsg };
}

/** The order-payment API's options: requestPayment's plus the order details (typings lack them). */
interface OrderPaymentOptions {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
  orderInfo: Payment['orderInfo'];
  success(res: unknown): void;
  fail(err: { errMsg?: string }): void;
}

function viaWechat(payment: Payment, path: 'requestOrderPayment' | 'requestPayment'): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    const common = {
      ...payment.params,
      success: () => resolve({ kind: 'ok' as const }),
      fail: (err: { errMsg?: string }) => resolve(outcomeOfError(err)),
    };
    if (path === 'requestOrderPayment') {
      const api = wx.requestOrderPayment as unknown as (options: OrderPaymentOptions) => void;
      api({ ...common, orderInfo: payment.orderInfo });
    } else {
      wx.requestPayment(common);
    }
  });
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
  /** From fetchCheckoutStatus(): decides between requestOrderPayment and requestPayment. */
  service: ServiceStatus;
  /** Polling delays (tests shorten them). */
  confirmDelaysMs?: number[];
}

/**
 * Shows the payment sheet for `payment` and resolves with what really
 * happened: paid (confirmed by the backend), cancelled, or failed with a code.
 */
export async function requestOrderPayment(payment: Payment, options: PayOptions): Promise<PaymentResult> {
  const { orderId } = payment;
  const path = paymentPath(options.service);
  const client = path === 'sandbox' ? await viaSandbox(payment) : await viaWechat(payment, path);
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
