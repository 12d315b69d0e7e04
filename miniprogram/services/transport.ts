// The one way the app talks to its cloud functions. Cloud mode goes through
// wx.cloud (WeChat attaches the caller's identity); local mode posts the same
// event to the gateway `npm start` runs, with the local identity in headers.
// Either way a call resolves with the action's data or rejects with an
// ApiFailure carrying a stable code that pages switch on.
import type { ActionEvent, ApiResult } from '../../typings/api';
import { config } from '../config';
import { errorText } from '../i18n/errors';
import { fieldTexts } from '../i18n/field-reasons';
import { lang as currentLang } from '../i18n';
import { type Details, type ErrorCode, type FieldProblems, isErrorCode } from '../shared/errors';

/** Codes the transport itself produces (the backend's are AREA.REASON too). */
export const TransportCodes = {
  /** No answer: offline, timed out, or the platform refused the call. */
  UNAVAILABLE: 'NETWORK.UNAVAILABLE',
  /** An answer that is not one of ours (a proxy's error page, a crashed function). */
  BAD_RESPONSE: 'NETWORK.BAD_RESPONSE',
  /** A bug on this side: something threw that was not a failed call. */
  UNEXPECTED: 'CLIENT.UNEXPECTED',
} as const;

/** What a failure is, without words: the catalogue words it (miniprogram/i18n/errors.ts). */
export interface FailureOf {
  code: ErrorCode;
  /** Per-field reasons (forms). */
  fields?: FieldProblems;
  details?: Details;
  correlationId?: string;
}

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  /** Per-field reasons in the user's words, keyed by field path. */
  readonly fields?: Record<string, string>;
  /** Machine-readable values the code declares (shared/errors). */
  readonly details?: Details;
  readonly correlationId?: string;
  /** What the server or the platform said, for logs; never shown. */
  readonly detail?: string;

  /** `message` is the code worded in the user's language; the server's own text only goes to `detail`. */
  constructor(failure: FailureOf, detail?: string) {
    const lang = currentLang();
    super(errorText(lang, failure.code, failure.details));
    this.name = 'ApiFailure';
    this.code = failure.code;
    if (failure.fields) this.fields = fieldTexts(lang, failure.fields);
    if (failure.details) this.details = failure.details;
    if (failure.correlationId) this.correlationId = failure.correlationId;
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
  return new ApiFailure({ code: TransportCodes.UNEXPECTED }, err instanceof Error ? err.message : String(err));
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

const unavailable = (detail?: string) => new ApiFailure({ code: TransportCodes.UNAVAILABLE }, detail);

const badResponse = (detail?: string) => new ApiFailure({ code: TransportCodes.BAD_RESPONSE }, detail);

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (r.ok === true) return 'data' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

function unwrap<T>(value: unknown, detail: string): T {
  if (!isApiResult(value)) throw badResponse(detail);
  // A code this app does not know (a newer backend) is still a failure, just not one it can explain.
  if (!value.ok) {
    const { error } = value;
    throw new ApiFailure(
      isErrorCode(error.code) ? error : { ...error, code: 'INTERNAL' },
      `${detail}: ${error.message}`,
    );
  }
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
