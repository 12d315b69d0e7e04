// Errors of the router every function runs behind (input, identity, roles,
// idempotency), of the merchant account lookup, and of the app's own side
// (network, payment sheet, phone features).
import { declare } from './spec';

export const commonErrors = {
  /** Per-field reasons travel in `fields`. */
  'INPUT.INVALID': declare('input'),
  'INPUT.UNKNOWN_ACTION': declare<{ fn: string; action: string }>('input'),
  'INPUT.IDEMPOTENCY_KEY_REQUIRED': declare('input'),
  'INPUT.IDEMPOTENCY_KEY_REUSED': declare('conflict'),
  'INPUT.IDEMPOTENCY_IN_PROGRESS': declare('conflict'),
  'AUTH.NO_IDENTITY': declare('auth'),
  'AUTH.FORBIDDEN': declare<{ action: string }>('auth'),
  'AUTH.THIRD_PARTY_PLATFORM': declare('auth'),
  'CONFIG.UNKNOWN_MINI_PROGRAM': declare<{ appid: string }>('auth'),
  'MERCHANT.NOT_BOUND': declare('conflict'),
  /** The local gateway (npm start) has no such function. */
  'GATEWAY.UNKNOWN_FUNCTION': declare<{ name: string }>('not_found'),
  /** The local gateway answers only requests addressed to 127.0.0.1 or localhost (DNS rebinding guard). */
  'GATEWAY.HOST_NOT_ALLOWED': declare<{ host: string; allowed: string }>('auth'),
  /** Anything unexpected on our side; the response carries a correlationId. */
  INTERNAL: declare('internal'),
} as const;

/** Produced by the app itself, never by a function. */
export const clientErrors = {
  'NETWORK.UNAVAILABLE': declare('provider'),
  'NETWORK.BAD_RESPONSE': declare('provider'),
  'CLIENT.UNEXPECTED': declare('internal'),
  'CLIENT.SOTER_UNAVAILABLE': declare('auth'),
  'CLIENT.SOTER_CANCELLED': declare('auth'),
  'CLIENT.FILE_WRITE_FAILED': declare('internal'),
  'CLIENT.SHARE_FAILED': declare('internal'),
  'CLIENT.CLIPBOARD_FAILED': declare('internal'),
  'PAYMENT.FAILED': declare('provider'),
  'PAYMENT.UNCONFIRMED': declare('provider'),
  'PAYMENT.NO_SANDBOX': declare('internal'),
} as const;
