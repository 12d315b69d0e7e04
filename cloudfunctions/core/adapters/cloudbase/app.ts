// One CloudBase SDK instance per process, configured from the environment.
// Inside a CloudBase function the runtime supplies the environment id
// (SYMBOL_CURRENT_ENV) and temporary credentials (TENCENTCLOUD_SECRETID/KEY/
// SESSIONTOKEN, read by the SDK on every request); elsewhere TCB_ENV,
// TCB_SECRET_ID and TCB_SECRET_KEY name them. TCB_SERVICE_URL replaces the
// whole endpoint (tests point it at a loopback server).
//
// Outside Tencent Cloud the SDK probes a metadata host before requests; set
// TENCENTCLOUD=true only where that host is not wanted AND serviceUrl is set
// (the flag also switches the SDK to the internal endpoint).
import * as tcb from '@cloudbase/node-sdk';

export type CloudBaseApp = ReturnType<typeof tcb.init>;

export interface CloudBaseOptions {
  /** Environment id; omitted inside CloudBase (the current environment). */
  env?: string;
  secretId?: string;
  secretKey?: string;
  serviceUrl?: string;
  /** Per-request timeout in ms (SDK default 15 s). */
  timeout?: number;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv): CloudBaseOptions {
  const secretId = env.TCB_SECRET_ID || undefined;
  const secretKey = env.TCB_SECRET_KEY || undefined;
  if (!secretId !== !secretKey) throw new Error('set both TCB_SECRET_ID and TCB_SECRET_KEY, or neither');
  const timeout = env.TCB_TIMEOUT_MS ? Number(env.TCB_TIMEOUT_MS) : undefined;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0))
    throw new Error('TCB_TIMEOUT_MS must be a positive integer');
  return { env: env.TCB_ENV || undefined, secretId, secretKey, serviceUrl: env.TCB_SERVICE_URL || undefined, timeout };
}

function hasRuntimeCredentials(): boolean {
  // Where the SDK itself looks when no keys are configured.
  const e = process.env;
  return Boolean((e.TENCENTCLOUD_SECRETID && e.TENCENTCLOUD_SECRETKEY) || e.CLOUDBASE_APIKEY);
}

export function createApp(options: CloudBaseOptions): CloudBaseApp {
  if (!options.secretId && !hasRuntimeCredentials()) {
    // Without this check the SDK fails later, from an unawaited promise.
    throw new Error('CloudBase credentials missing: set TCB_SECRET_ID and TCB_SECRET_KEY, or run inside CloudBase');
  }
  return tcb.init({
    env: options.env ?? tcb.SYMBOL_CURRENT_ENV,
    ...(options.secretId ? { secretId: options.secretId, secretKey: options.secretKey } : {}),
    ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
}
