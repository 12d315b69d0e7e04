// WeChat Pay's error answers: an HTTP status plus {code, message[, detail]}.
import type { z } from 'zod';

export interface WxErrorDetail {
  location?: 'body' | 'query' | 'path' | 'header';
  field?: string;
  value?: unknown;
  issue?: string;
}

export class WxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: WxErrorDetail,
  ) {
    super(message);
    this.name = 'WxError';
  }

  body(): { code: string; message: string; detail?: WxErrorDetail } {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message };
  }
}

export const wx = {
  param: (message: string, detail?: WxErrorDetail) => new WxError(400, 'PARAM_ERROR', message, detail),
  invalid: (message: string) => new WxError(400, 'INVALID_REQUEST', message),
  sign: (message: string) => new WxError(401, 'SIGN_ERROR', message),
  noAuth: (message: string) => new WxError(403, 'NO_AUTH', message),
  notEnough: (message = '余额不足') => new WxError(403, 'NOT_ENOUGH', message),
  frequency: (message: string) => new WxError(429, 'FREQUENCY_LIMITED', message),
  orderNotExist: () => new WxError(404, 'ORDER_NOT_EXIST', '订单不存在'),
  notExists: (message = '资源不存在') => new WxError(404, 'RESOURCE_NOT_EXISTS', message),
};

/** Validates a body/query against a schema, answering PARAM_ERROR with the first offending field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, location: 'body' | 'query' = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = `/${issue.path.join('/')}`;
  throw wx.param(`输入源“/${location}${field}”校验失败: ${issue.message}`, { location, field, issue: issue.message });
}
