// Which WeChat Pay a process talks to: the real v3 API in cloud mode
// (PMS_WXPAY_* variables, see config.ts), the local sandbox in local mode
// (its key files under <dataDir>/sandbox and its base URL).
import path from 'node:path';
import type { Config } from '../../config';
import type { Clock } from '../../ports/clock';
import type { PayProvider } from '../../ports/pay';
import { WechatPayProvider } from './provider';

export { WechatPayProvider } from './provider';
export { WechatPayClient } from './client';
export { SignatureError } from './crypto';

export const DEFAULT_SANDBOX_PORT = 8788;

/** The sandbox's base URL: PMS_SANDBOX_URL, else loopback on SANDBOX_PORT (8788). */
export function sandboxUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.PMS_SANDBOX_URL || `http://127.0.0.1:${env.SANDBOX_PORT || DEFAULT_SANDBOX_PORT}`;
}

export function sandboxDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'sandbox');
}

export function payFromEnv(config: Config, env: NodeJS.ProcessEnv, clock: Clock): PayProvider {
  if (config.mode === 'cloud') return lazy(() => WechatPayProvider.fromEnv(env, clock));
  return lazy(() => WechatPayProvider.fromSandboxDir(sandboxDir(config), sandboxUrl(env), clock));
}

/**
 * Builds the provider on first use, so a process that never pays does not
 * need the keys (and a local process can start before the sandbox has
 * written them).
 */
export function lazy(build: () => PayProvider): PayProvider {
  let provider: PayProvider | null = null;
  return new Proxy({} as PayProvider, {
    get(_target, name) {
      provider ??= build();
      const value = (provider as unknown as Record<PropertyKey, unknown>)[name];
      return typeof value === 'function' ? value.bind(provider) : value;
    },
  });
}
