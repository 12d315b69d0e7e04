// Who is calling, taken from the runtime and never from the event. CloudBase
// puts the WeChat context in the invocation's environment (WX_OPENID,
// WX_APPID, and WX_FROM_APPID when another account calls on the mini
// program's behalf); the local gateway and the test harness build the same
// context from their own trusted sources (contextFor).
//
// Only the invocation's own context counts: never variables merged in from
// the process, and in cloud mode never the process environment at all (one
// instance serves many invocations, and its environment belongs to none of
// them). Outside cloud mode a process run by hand may still name its caller
// with WX_OPENID and WX_APPID when it passes no context.

import type { Identity } from '../domain/mini-program';

export type { Identity };

export interface FunctionContext {
  /** JSON string of the invocation environment, as CloudBase passes it. */
  environment?: string;
  request_id?: string;
  [key: string]: unknown;
}

export function identityFrom(
  context: FunctionContext | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Identity | null {
  let vars: Record<string, unknown>;
  if (context?.environment !== undefined) {
    if (typeof context.environment !== 'string') return null;
    try {
      const parsed: unknown = JSON.parse(context.environment);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
      vars = parsed as Record<string, unknown>;
    } catch {
      return null;
    }
  } else if (env.PMS_MODE === 'cloud') {
    return null;
  } else {
    vars = env;
  }
  const openid = text(vars.WX_OPENID);
  const appid = text(vars.WX_APPID);
  if (!openid || !appid) return null;
  const from = text(vars.WX_FROM_APPID);
  const fromAppid = from && from !== appid ? from : undefined;
  return fromAppid ? { openid, appid, fromAppid } : { openid, appid };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The context CloudBase would pass for this identity (gateway and tests). */
export function contextFor(identity: Identity, requestId = 'local'): FunctionContext {
  const environment: Record<string, string> = { WX_OPENID: identity.openid, WX_APPID: identity.appid };
  if (identity.fromAppid) environment.WX_FROM_APPID = identity.fromAppid;
  return { environment: JSON.stringify(environment), request_id: requestId };
}
