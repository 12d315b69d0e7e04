// checkout: the catalogue, orders, payments and refunds, plus the service
// status the app reads to choose its payment path. Payment and refund
// notifications arrive through payNotify; stuck and expired orders are
// handled by the jobs.
import { createMain } from '../core/runtime/main';
import { checkoutActions } from './actions';

export const main = createMain('checkout', checkoutActions);
