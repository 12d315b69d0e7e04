// The merchant account bound to the mini program: payments need one.
import { OrderErrors } from '../core/domain/order';
import type { Deps } from '../core/runtime/deps';
import type { MerchantDoc } from '../merchant/status';
import { serviceStatus } from './service-status';

export async function boundMerchant(deps: Deps, appid: string): Promise<MerchantDoc> {
  const merchant = await deps.store.get<MerchantDoc>('merchants', appid);
  if (!merchant) throw OrderErrors.noMerchant();
  return merchant;
}

/** New orders and payments are refused while the service is paused. */
export function assertServiceOpen(): void {
  if (serviceStatus() === 'unavailable') throw OrderErrors.serviceUnavailable();
}
