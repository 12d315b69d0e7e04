// The one way the app talks to its cloud functions. Cloud mode goes through
// wx.cloud (WeChat attaches the caller's identity); local mode posts the same
// event to the gateway `npm start` runs, with the local identity in headers.
// Either way a call resolves with the action's data or rejects with an
// ApiFailure carrying a stable code that pages switch on.
import type { ActionEvent, ApiError, ApiResult } from '../../typings/api';
import { config } from '../config';
import { type Details, type ErrorCode, isErrorCode } from '../shared/errors';

/** Codes the transport itself produces (the backend's are AREA.REASON too). */
export const TransportCodes = {
  /** No answer: offline, timed out, or the platform refused the call. */
  UNAVAILABLE: 'NETWORK.UNAVAILABLE',
  /** An answer that is not one of ours (a proxy's error page, a crashed function). */
  BAD_RESPONSE: 'NETWORK.BAD_RESPONSE',
  /** A bug on this side: something threw that was not a failed call. */
  UNEXPECTED: 'CLIENT.UNEXPECTED',
} as const;

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  /** Machine-readable values the code declares (shared/errors). */
  readonly details?: Details;
  readonly correlationId?: string;
  /** What the platform said, for logs; never shown. */
  readonly detail?: string;

  constructor(error: ApiError, detail?: string) {
    super(error.message);
    this.name = 'ApiFailure';
    this.code = error.code;
    if (error.fields) this.fields = error.fields;
    if (error.details) this.details = error.details;
    if (error.correlationId) this.correlationId = error.correlationId;
    if (detail) this.detail = detail;
  }

  /** Worth offering "try again" as is: the call may not have reached us, or failed on our side. */
  get retryable(): boolean {
    return this.code.startsWith('NETWORK.') || this.code === 'INTERNAL';
  }
}

/** Any caught value as an ApiFailure, so pages handle one shape. */
export function failureOf(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new ApiFailure(
    { code: TransportCodes.UNEXPECTED, message: 'Something went wrong in the app. Please try again.' },
    detail,
  );
}

export interface CallOptions {
  /** Required by actions a client may retry; reuse the same key for every retry of one intent. */
  idempotencyKey?: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A fresh key for one write intent (URL-safe, 32 chars). Keys only need to be
 * unique per caller (the backend scopes them by openid), so a timestamp plus
 * Math.random is enough and works on every base library.
 */
export function newIdempotencyKey(): string {
  let key = `${Date.now().toString(36)}_`;
  while (key.length < 32) key += KEY_ALPHABET[Math.floor(Math.random() * KEY_ALPHABET.length)];
  return key;
}

/** Cloud mode needs wx.cloud initialised once, before the first call (App.onLaunch). */
export function initTransport(): void {
  if (config.mode === 'cloud') wx.cloud.init({ env: config.cloud.env, traceUser: true });
}

const unavailable = (detail?: string) =>
  new ApiFailure(
    {
      code: TransportCodes.UNAVAILABLE,
      message: "Can't reach the service right now. Check your connection and try again.",
    },
    detail,
  );

const badResponse = (detail?: string) =>
  new ApiFailure(
    { code: TransportCodes.BAD_RESPONSE, message: 'The service gave an unexpected answer. Please try again.' },
    detail,
  );

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'data' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

function unwrap<T>(value: unknown, detail: string): T {
  if (!isApiResult(value)) throw badResponse(detail);
  // A code this app does not know (a newer backend) is still a failure, just not one it can explain.
  if (!value.ok)
    throw new ApiFailure(isErrorCode(value.error.code) ? value.error : { ...value.error, code: 'INTERNAL' });
  return value.data as T;
}

function viaCloud(name: string, event: ActionEvent): Promise<unknown> {
  const where = `cloud ${name}.${event.action}`;
  // wx.cloud throws synchronously when it was never initialised: same outcome as offline.
  return Promise.resolve()
    .then(() => wx.cloud.callFunction({ name, data: event as unknown as WechatMiniprogram.IAnyObject }))
    .then(
      (res) => unwrap(res.result, `${where}: ${res.errMsg}`),
      (err: { errMsg?: string; errCode?: number } | undefined) => {
        throw unavailable(`${where}: ${err?.errCode ?? ''} ${err?.errMsg ?? String(err)}`);
      },
    );
}

function viaGateway(name: string, event: ActionEvent): Promise<unknown> {
  const { gateway, openid, appid } = config.local;
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${gateway}/functions/${encodeURIComponent(name)}`,
      method: 'POST',
      data: event as unknown as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json', 'X-Wx-Openid': openid, 'X-Wx-Appid': appid },
      dataType: 'json',
      timeout: config.timeoutMs,
      success(res) {
        try {
          resolve(unwrap(res.data, `gateway ${name}.${event.action}: HTTP ${res.statusCode}`));
        } catch (err) {
          reject(err);
        }
      },
      fail(err) {
        reject(unavailable(`gateway ${name}.${event.action}: ${err.errMsg}`));
      },
    });
  });
}

/**
 * Calls `action` on the cloud function `name`. Resolves with its data; rejects
 * with an ApiFailure (the backend's typed error, or a NETWORK.* code).
 */
export function callFunction<T>(name: string, action: string, data?: unknown, options: CallOptions = {}): Promise<T> {
  const event: ActionEvent = { action, data: data ?? {} };
  if (options.idempotencyKey) event.idempotencyKey = options.idempotencyKey;
  const call = config.mode === 'cloud' ? viaCloud(name, event) : viaGateway(name, event);
  return call as Promise<T>;
}
