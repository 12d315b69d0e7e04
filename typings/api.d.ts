// The wire contract between the mini program and the cloud functions.
// Type-only: the mini program imports it with `import type`, so nothing here
// is packed into the app.
import type { Details, ErrorCode, FieldProblems } from '../miniprogram/shared/errors';

/** What the client sends to a router function. */
export interface ActionEvent<I = unknown> {
  action: string;
  data?: I;
  /** Required by actions that a client may retry (creates, payments, withdrawals). */
  idempotencyKey?: string;
}

export interface ApiError {
  /** Stable, `AREA.REASON`, from the catalogue. Pages switch on this, never on the message. */
  code: ErrorCode;
  /** Human-readable English for developers and logs; the app shows its own message for the code. */
  message: string;
  /** Per-field problems, for forms: field path -> reason. */
  fields?: FieldProblems;
  /** Machine-readable values the code declares (miniprogram/shared/errors). */
  details?: Details;
  /** Present on INTERNAL errors: quote it when reporting a problem. */
  correlationId?: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export type Role = 'buyer' | 'admin';

/** home page: what the caller and the mini program look like right now. */
export interface MerchantStatus {
  appid: string;
  miniProgramName: string;
  role: Role;
  /** Merchant account bound to this mini program, masked. */
  merchant: null | { mchid: string; name: string; feeRatePpm: number; boundAt: string };
  /** The open application, if any. */
  application: null | { id: string; state: string; updatedAt: string };
}
