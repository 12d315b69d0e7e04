// Whether payment management is offered, from PMS_SERVICE_STATUS:
// - active (default): checkout through wx.requestOrderPayment;
// - discontinued: WeChat switched the service off, so the app falls back to
//   regular wx.requestPayment (what every mini program did after the shutdown);
//   orders and payments still work;
// - unavailable: payments are paused (maintenance); new orders and payments
//   are refused with CHECKOUT.SERVICE_UNAVAILABLE.
import type { Role } from '../../../typings/api';
import type { CheckoutStatus, ServiceStatus } from '../../../typings/checkout';
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

/** What the app needs before it shows checkout: which payment API to use, and whether the mini program can take payments. */
export async function checkoutStatus(deps: Pick<Deps, 'store'>, appid: string, role: Role): Promise<CheckoutStatus> {
  const merchant = await findMerchant(deps, appid);
  return { service: serviceStatus(), role, merchantBound: merchant !== null, merchantName: merchant?.name ?? null };
}
