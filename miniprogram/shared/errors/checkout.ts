// Errors of the catalogue, orders, payments and refunds.
import { declare } from './spec';

export const checkoutErrors = {
  'CATALOGUE.PRODUCT_NOT_FOUND': declare('not_found'),
  'CHECKOUT.SERVICE_UNAVAILABLE': declare('provider'),
  /** The refused lines travel in `fields` (items.<i>.productId). */
  'CHECKOUT.PRODUCT_UNAVAILABLE': declare('conflict'),
  'CHECKOUT.AMOUNT_TOO_LARGE': declare<{ maxFen: number }>('limit'),
  'CHECKOUT.ORDER_NOT_FOUND': declare('not_found'),
  'CHECKOUT.ORDER_PAID': declare('conflict'),
  'CHECKOUT.ORDER_CLOSED': declare('conflict'),
  'CHECKOUT.ORDER_EXPIRED': declare('conflict'),
  'CHECKOUT.PAY_REFUSED': declare<{ providerCode: string }>('provider'),
  'CHECKOUT.PROVIDER_UNAVAILABLE': declare('provider'),
  'REFUND.ORDER_NOT_PAID': declare('conflict'),
  'REFUND.EXCEEDS_PAID': declare<{ refundableFen: number }>('limit'),
  'REFUND.REJECTED': declare<{ providerCode: string }>('provider'),
} as const;
