// The mini program's merchant status and the merchant admin role
// (cloudfunctions/merchant).
import type { MerchantStatus, Role } from '../../typings/api';
import { callFunction } from './transport';

/** Who the caller is here, and the merchant account and application, masked. */
export function fetchStatus(): Promise<MerchantStatus> {
  return callFunction<MerchantStatus>('merchant', 'getStatus');
}

/**
 * Claims the merchant admin role with this mini program's one-time setup code.
 * Fails with AUTH.SETUP_CODE_INVALID, AUTH.ADMIN_ALREADY_CLAIMED (the code is
 * spent), AUTH.ADMINS_CONFIGURED (the registration lists the admins),
 * AUTH.SETUP_CODE_DISABLED, or AUTH.CLAIM_LOCKED (too many attempts;
 * details.retryAt is when to try again).
 */
export function dispatchClaimAdmin(code: string): Promise<{ role: Role }> {
  return callFunction<{ role: Role }>('merchant', 'claimAdmin', { code });
}
