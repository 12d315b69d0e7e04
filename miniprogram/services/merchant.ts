// The mini program's merchant status and the merchant admin role
// (cloudfunctions/merchant).
import type { MerchantStatus, Role } from '../../typings/api';
import { callFunction } from './transport';

/** Who the caller is here, and the merchant account and application, masked. */
export function fetchStatus(): Promise<MerchantStatus> {
  return callFunction<MerchantStatus>('merchant', 'getStatus');
}

/**
 * Claims the merchant admin role with the deployment's one-time setup code.
 * Fails with AUTH.SETUP_CODE_INVALID, AUTH.ADMIN_ALREADY_CLAIMED or
 * AUTH.SETUP_CODE_DISABLED.
 */
export function dispatchClaimAdmin(code: string): Promise<{ role: Role }> {
  return callFunction<{ role: Role }>('merchant', 'claimAdmin', { code });
}
