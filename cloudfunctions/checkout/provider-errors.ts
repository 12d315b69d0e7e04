// How a failed WeChat Pay call is read. A 4xx answer is WeChat refusing the
// request (it will refuse it again); anything else (no answer, 5xx, 429, an
// unreadable answer) leaves the outcome unknown, so the caller may retry.
import { OrderErrors } from '../core/domain/order';
import { PayError } from '../core/ports/pay';
import type { Logger } from '../core/runtime/log';

export function isRefusal(err: unknown): err is PayError {
  return err instanceof PayError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

/** Provider failures while paying or closing, logged, then as typed errors the app can act on. */
export function providerFailure(err: unknown, log: Logger): never {
  log.warn({ err }, 'WeChat Pay call failed');
  if (isRefusal(err)) throw OrderErrors.payRefused(err.code, err.message);
  throw OrderErrors.providerUnavailable();
}
