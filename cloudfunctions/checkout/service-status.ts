// Whether payment management is offered, from PMS_SERVICE_STATUS:
// - active (default): checkout through wx.requestOrderPayment;
// - discontinued: WeChat switched the service off, so the app falls back to
//   regular wx.requestPayment (what every mini program did after the shutdown);
//   orders and payments still work;
// - unavailable: payments are paused (maintenance); new orders and payments
//   are refused with CHECKOUT.SERVICE_UNAVAILABLE.
import type { ServiceStatus } from '../../typings/checkout';

const STATUSES: ServiceStatus[] = ['active', 'discontinued', 'unavailable'];

/** Read on every call, so a changed environment variable applies without a redeploy of code. */
export function serviceStatus(env: NodeJS.ProcessEnv = process.env): ServiceStatus {
  const value = (env.PMS_SERVICE_STATUS ?? '').trim().toLowerCase();
  if (!value) return 'active';
  // An unrecognised value pauses payments rather than guessing which payment path was meant.
  return (STATUSES as string[]).includes(value) ? (value as ServiceStatus) : 'unavailable';
}
