// checkout's actions: who may call each, the input it takes, and the use case
// in core/payments it runs.
import { z } from 'zod';
import { MAX_PRICE_FEN, NAME_MAX } from '../core/domain/catalogue';
import { MAX_LINES, MAX_ORDER_FEN, MAX_QUANTITY } from '../core/domain/order';
import { listProducts, saveProduct } from '../core/payments/catalogue';
import {
  cancelOrder,
  createOrder,
  getOrder,
  listMerchantOrders,
  listOwnOrders,
  quoteOrder,
} from '../core/payments/orders';
import { confirmPayment, payOrder } from '../core/payments/prepay';
import { requestRefund } from '../core/payments/refunds';
import { checkoutStatus } from '../core/payments/service-status';
import { because } from '../core/errors';
import { action } from '../core/runtime/action';
import { pageInput } from '../core/runtime/paging';

/** An order number as orderIdFor makes them. */
const orderId = z.string().regex(/^O[0-9a-f]{31}$/, 'not an order number');
const byOrder = z.object({ orderId }).strict();

const cart = z
  .array(
    z.object({ productId: z.string().min(1).max(80), quantity: z.number().int().min(1).max(MAX_QUANTITY) }).strict(),
  )
  .min(1)
  .max(MAX_LINES)
  .refine(
    (lines) => new Set(lines.map((l) => l.productId)).size === lines.length,
    because('listedTwice', 'list each product once'),
  );

export const checkoutActions = {
  /** Whether payment management is offered (which payment API to use) and whether a merchant is bound. */
  getCheckoutStatus: action({
    roles: ['buyer', 'admin'],
    input: z.object({}).strict(),
    handler: (_input, ctx) => checkoutStatus(ctx.deps, ctx.miniProgram, ctx.role),
  }),

  listProducts: action({
    roles: ['buyer', 'admin'],
    input: z.object({ includeInactive: z.boolean().optional(), ...pageInput }).strict(),
    handler: (input, ctx) => listProducts(ctx, input),
  }),

  saveProduct: action({
    roles: ['admin'],
    idempotent: true,
    input: z
      .object({
        id: z.string().min(1).max(80).optional(),
        name: z.string().trim().min(1).max(NAME_MAX),
        priceFen: z.number().int().min(1).max(MAX_PRICE_FEN),
        active: z.boolean(),
      })
      .strict(),
    handler: (input, ctx) => saveProduct(ctx, input),
  }),

  quoteOrder: action({
    roles: ['buyer', 'admin'],
    input: z.object({ items: cart }).strict(),
    handler: ({ items }, ctx) => quoteOrder(ctx, items),
  }),

  createOrder: action({
    roles: ['buyer', 'admin'],
    idempotent: true,
    input: z.object({ items: cart }).strict(),
    handler: ({ items }, ctx) => createOrder(ctx, items),
  }),

  getOrder: action({
    roles: ['buyer', 'admin'],
    input: byOrder,
    handler: (input, ctx) => getOrder(ctx, input.orderId),
  }),

  /** The caller's own orders, newest first. */
  listOrders: action({
    roles: ['buyer', 'admin'],
    input: z.object(pageInput).strict(),
    handler: (input, ctx) => listOwnOrders(ctx, input),
  }),

  /**
   * Every order of the mini program, for the merchant admin, optionally of one
   * state or, among paid orders, of one refund status (not, partly, fully refunded).
   */
  listMerchantOrders: action({
    roles: ['admin'],
    input: z
      .object({
        state: z.enum(['CREATED', 'PAYING', 'PAID', 'CLOSED']).optional(),
        refundStatus: z.enum(['NONE', 'PARTIAL', 'FULL']).optional(),
        ...pageInput,
      })
      .strict()
      .refine((q) => !q.refundStatus || !q.state || q.state === 'PAID', {
        path: ['refundStatus'],
        message: 'only paid orders have a refund status',
      }),
    handler: (input, ctx) => listMerchantOrders(ctx, input),
  }),

  cancelOrder: action({
    roles: ['buyer', 'admin'],
    input: byOrder,
    handler: (input, ctx) => cancelOrder(ctx, input.orderId),
  }),

  pay: action({
    roles: ['buyer', 'admin'],
    input: byOrder,
    handler: (input, ctx) => payOrder(ctx, input.orderId),
  }),

  /** After the payment sheet closes: asks WeChat Pay rather than trusting the client. */
  confirmPayment: action({
    roles: ['buyer', 'admin'],
    input: byOrder,
    handler: (input, ctx) => confirmPayment(ctx, input.orderId),
  }),

  refund: action({
    roles: ['admin'],
    idempotent: true,
    input: z
      .object({
        orderId,
        amountFen: z.number().int().min(1).max(MAX_ORDER_FEN),
        reason: z.string().trim().min(1).max(80).optional(),
      })
      .strict(),
    handler: (input, ctx) => requestRefund(ctx, input),
  }),
};
