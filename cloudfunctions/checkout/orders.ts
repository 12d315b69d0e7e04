// Orders: quote, create (idempotent), read, list, cancel. A buyer sees only
// their own orders; the merchant admin sees every order of the mini program.
import { z } from 'zod';
import type { Order, OrderDetail, OrderPage, Quote } from '../../typings/checkout';
import type { ProductDoc } from '../core/domain/catalogue';
import { describe, MAX_LINES, MAX_QUANTITY, ORDER_TTL_MS, type OrderDoc, OrderErrors, orderIdFor, priceOrder } from '../core/domain/order';
import type { RefundDoc } from '../core/domain/refund';
import { isDuplicate } from '../core/ports/store';
import { action, type CallContext } from '../core/runtime/action';
import type { Deps } from '../core/runtime/deps';
import { closeOrder } from './close';
import { providerFailure } from './provider-errors';
import { orderDto, refundDto } from './dto';
import { assertServiceOpen, boundMerchant } from './merchant';
import { findPage, pageInput } from './paging';

/** An order number as orderIdFor makes them. */
export const orderId = z.string().regex(/^O[0-9a-f]{31}$/, 'not an order number');

const cart = z
  .array(z.object({ productId: z.string().min(1).max(80), quantity: z.number().int().min(1).max(MAX_QUANTITY) }).strict())
  .min(1)
  .max(MAX_LINES)
  .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, 'list each product once');

async function price(deps: Deps, appid: string, lines: Array<{ productId: string; quantity: number }>) {
  const products = new Map<string, ProductDoc>();
  for (const line of lines) {
    const product = await deps.store.get<ProductDoc>('products', line.productId);
    if (product) products.set(product._id, product);
  }
  return priceOrder(lines, products, appid);
}

/** The caller's order: a buyer's own, or any of the mini program's for the admin. Others do not exist. */
export async function visibleOrder(ctx: CallContext, id: string): Promise<OrderDoc> {
  const order = await ctx.deps.store.get<OrderDoc>('orders', id);
  if (!order || order.appid !== ctx.identity.appid) throw OrderErrors.notFound();
  if (ctx.role !== 'admin' && order.buyerOpenid !== ctx.identity.openid) throw OrderErrors.notFound();
  return order;
}

/** The caller's own order (paying and cancelling are the buyer's, even for an admin). */
export async function ownOrder(ctx: CallContext, id: string): Promise<OrderDoc> {
  const order = await ctx.deps.store.get<OrderDoc>('orders', id);
  if (!order || order.appid !== ctx.identity.appid || order.buyerOpenid !== ctx.identity.openid) throw OrderErrors.notFound();
  return order;
}

export const orderActions = {
  /** The amount breakdown for the confirmation page, from the catalogue; nothing is stored. */
  quoteOrder: action({
    roles: ['buyer', 'admin'],
    input: z.object({ items: cart }).strict(),
    async handler({ items }, { deps, identity }): Promise<Quote> {
      return price(deps, identity.appid, items);
    },
  }),

  createOrder: action({
    roles: ['buyer', 'admin'],
    idempotent: true,
    input: z.object({ items: cart }).strict(),
    async handler({ items }, { deps, identity, role, idempotencyKey }): Promise<Order> {
      // The id comes from the key, so even a retry whose first attempt's result was lost finds the same order.
      const id = orderIdFor(identity.appid, identity.openid, idempotencyKey!);
      const existing = await deps.store.get<OrderDoc>('orders', id);
      if (existing) return orderDto(existing, role, deps.clock.now());
      assertServiceOpen();
      const merchant = await boundMerchant(deps, identity.appid);
      const priced = await price(deps, identity.appid, items);
      const now = deps.clock.now();
      const at = now.toISOString();
      const doc: OrderDoc = {
        _id: id,
        appid: identity.appid,
        buyerOpenid: identity.openid,
        subMchid: merchant.subMchid,
        state: 'CREATED',
        items: priced.items,
        totalFen: priced.totalFen,
        description: describe(priced.items),
        refundedFen: 0,
        feeReturnedFen: 0,
        expiresAt: new Date(now.getTime() + ORDER_TTL_MS).toISOString(),
        createdAt: at,
        updatedAt: at,
        rev: 0,
      };
      try {
        await deps.store.insert<OrderDoc>('orders', doc);
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        return orderDto((await deps.store.get<OrderDoc>('orders', id))!, role, now);
      }
      return orderDto(doc, role, now);
    },
  }),

  getOrder: action({
    roles: ['buyer', 'admin'],
    input: z.object({ orderId }).strict(),
    async handler(input, ctx): Promise<OrderDetail> {
      const order = await visibleOrder(ctx, input.orderId);
      const refunds = await ctx.deps.store.find<RefundDoc>('refunds', { where: { orderId: order._id }, orderBy: [['createdAt', 'desc']], limit: 100 });
      return { ...orderDto(order, ctx.role, ctx.deps.clock.now()), mine: order.buyerOpenid === ctx.identity.openid, refunds: refunds.items.map(refundDto) };
    },
  }),

  /** The caller's own orders, newest first. */
  listOrders: action({
    roles: ['buyer', 'admin'],
    input: z.object(pageInput).strict(),
    async handler({ after, limit }, { deps, identity, role }): Promise<OrderPage> {
      const page = await findPage<OrderDoc>(deps.store, 'orders', {
        where: { appid: identity.appid, buyerOpenid: identity.openid },
        orderBy: [['createdAt', 'desc']],
        limit: limit ?? 20,
        after,
      });
      const now = deps.clock.now();
      const items = page.items.map((o) => orderDto(o, role, now));
      return page.next ? { items, next: page.next } : { items };
    },
  }),

  /** Every order of the mini program, for the merchant admin, optionally of one state. */
  listMerchantOrders: action({
    roles: ['admin'],
    input: z.object({ state: z.enum(['CREATED', 'PAYING', 'PAID', 'CLOSED']).optional(), ...pageInput }).strict(),
    async handler({ state, after, limit }, { deps, identity }): Promise<OrderPage> {
      const page = await findPage<OrderDoc>(deps.store, 'orders', {
        where: state ? { appid: identity.appid, state } : { appid: identity.appid },
        orderBy: [['createdAt', 'desc']],
        limit: limit ?? 20,
        after,
      });
      const now = deps.clock.now();
      const items = page.items.map((o) => orderDto(o, 'admin', now));
      return page.next ? { items, next: page.next } : { items };
    },
  }),

  /** The buyer gives up on an unpaid order. Paid orders are refunded by the merchant instead. */
  cancelOrder: action({
    roles: ['buyer', 'admin'],
    input: z.object({ orderId }).strict(),
    async handler(input, ctx): Promise<Order> {
      const order = await ownOrder(ctx, input.orderId);
      if (order.state === 'PAID') throw OrderErrors.alreadyPaid();
      try {
        await closeOrder(ctx.deps, order, 'cancelled');
      } catch (err) {
        providerFailure(err, ctx.log);
      }
      const after = (await ctx.deps.store.get<OrderDoc>('orders', order._id))!;
      if (after.state === 'PAID') throw OrderErrors.alreadyPaid();
      return orderDto(after, ctx.role, ctx.deps.clock.now());
    },
  }),
};
