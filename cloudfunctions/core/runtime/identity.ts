// Who is calling, taken from the runtime and never from the event. CloudBase
// puts the WeChat context in the invocation's environment (WX_OPENID,
// WX_APPID, and WX_FROM_APPID when another account calls on the mini
// program's behalf); the local gateway and the test harness build the same
// context from their own trusted sources.

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
  let vars: Record<string, string | undefined> = env;
  if (context?.environment) {
    try {
      vars = { ...env, ...(JSON.parse(context.environment) as Record<string, string>) };
    } catch {
      return null;
    }
  }
  const openid = vars.WX_OPENID;
  const appid = vars.WX_APPID;
  if (!openid || !appid) return null;
  const fromAppid = vars.WX_FROM_APPID && vars.WX_FROM_APPID !== appid ? vars.WX_FROM_APPID : undefined;
  return fromAppid ? { openid, appid, fromAppid } : { openid, appid };
}

/** The context CloudBase would pass for this identity (gateway and tests). */
export function contextFor(identity: Identity, requestId = 'local'): FunctionContext {
  const environment: Record<string, string> = { WX_OPENID: identity.openid, WX_APPID: identity.appid };
  if (identity.fromAppid) environment.WX_FROM_APPID = identity.fromAppid;
  return { environment: JSON.stringify(environment), request_id: requestId };
}
