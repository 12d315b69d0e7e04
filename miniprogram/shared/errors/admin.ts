// Claiming the merchant admin role with a mini program's setup code.
import { declare } from './spec';

export const adminErrors = {
  'AUTH.SETUP_CODE_DISABLED': declare('auth'),
  'AUTH.SETUP_CODE_INVALID': declare('auth'),
  'AUTH.ADMIN_ALREADY_CLAIMED': declare('conflict'),
  'AUTH.ADMINS_CONFIGURED': declare('auth'),
  'AUTH.CLAIM_LOCKED': declare<{ retryAt: string }>('limit'),
} as const;
