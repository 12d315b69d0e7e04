// Whether payment management is offered, from PMS_SERVICE_STATUS:
// - active (default): payments are taken; which client API pays follows the
//   mini program's registration (`orderPayment`, see usesOrderPayment);
// - discontinued: WeChat switched the service off, so every mini program pays
//   with regular wx.requestPayment (what every mini program did after the
//   shutdown), whatever its registration says; orders and payments still work;
// - unavailable: payments are paused (maintenance); new orders and payments
//   are refused with CHECKOUT.SERVICE_UNAVAILABLE.
import type { Role } from '../../../typings/api';
import type { CheckoutStatus, ServiceStatus } from '../../../typings/checkout';
import type { MiniProgramRecord } from '../config';
import { OrderErrors } from '../domain/order';
import { findMerchant } from '../merchants/merchant';
import type { Deps } from '../runtime/deps';

const STATUSES: ServiceStatus[] = ['active', 'discontinued', 'unavailable'];

/** Read on every call, so a changed environment variable applies without a redeploy of code. */
export function serviceStatus(env: NodeJS.ProcessEnv = process.env): ServiceStatus {
  const value = (env.PMS_SERVICE_STATUS ?? '').trim().toLowerCase();
  if (!value) return 'active';
  // An unrecognised value pauses payments rather than guessing which payment path was meant.
  return (STATUSES as string[]).includes(value) ? (value as ServiceStatus) : 'unavailable';
}

/** New orders and payments are refused while the service is paused. */
export function assertServiceOpen(): void {
  if (serviceStatus() === 'unavailable') throw OrderErrors.serviceUnavailable();
}

/**
 * Whether the app should try wx.requestOrderPayment for this mini program.
 * WeChat: "仅接入了自定义版交易组件的小程序需要使用，普通小程序可直接使用 wx.requestPayment"
 * (https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestOrderPayment.html),
 * and the client cannot tell whether a mini program is enrolled (wx.canIUse
 * only checks the base library), so only the deployment's declaration
 * (`orderPayment` in the registration record, default false) turns it on.
 */
export function usesOrderPayment(
  miniProgram: Pick<MiniProgramRecord, 'orderPayment'>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return miniProgram.orderPayment === true && serviceStatus(env) === 'active';
}

/** What the app needs before it shows checkout: which payment API to use, and whether the mini program can take payments. */
export async function checkoutStatus(
  deps: Pick<Deps, 'store'>,
  miniProgram: Pick<MiniProgramRecord, 'appid' | 'orderPayment'>,
  role: Role,
): Promise<CheckoutStatus> {
  const merchant = await findMerchant(deps, miniProgram.appid);
  return {
    service: serviceStatus(),
    orderPayment: usesOrderPayment(miniProgram),
    role,
    merchantBound: merchant !== null,
    merchantName: merchant?.name ?? null,
  };
}
