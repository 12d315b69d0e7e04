// How WeChat Pay's failures read to funds and to a merchant.
import { AppError } from '../core/errors';
import { PayError } from '../core/ports/pay';

/**
 * WeChat Pay definitely refused (a 4xx other than rate limiting): retrying
 * the same request cannot succeed. Anything else (timeouts, 5xx, 429) leaves
 * the outcome unknown, to be settled by querying later.
 */
export function isDefinitiveRefusal(err: unknown): err is PayError {
  return err instanceof PayError && err.status >= 400 && err.status < 500 && err.status !== 429;
}

export function providerUnavailable(): AppError {
  return new AppError('FUNDS.PROVIDER_UNAVAILABLE', 'WeChat Pay could not be reached. Please try again in a moment.');
}
