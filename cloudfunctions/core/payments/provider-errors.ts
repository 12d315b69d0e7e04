// Provider failures while paying or closing, logged, then as typed errors
// the app can act on (see isRefusal in ports/pay.ts for how they are read).
import { OrderErrors } from '../domain/order';
import { isRefusal } from '../ports/pay';
import type { Logger } from '../runtime/log';

export function providerFailure(err: unknown, log: Logger): never {
  log.warn({ err }, 'WeChat Pay call failed');
  if (isRefusal(err)) throw OrderErrors.payRefused(err.code, err.message);
  throw OrderErrors.providerUnavailable();
}
