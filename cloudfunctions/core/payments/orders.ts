// Orders: quote, create (idempotent), read, list, cancel. A buyer sees only
// their own orders; the merchant admin sees every order of the mini program.
import type { Order, OrderDetail, OrderPage, OrderState, Quote, RefundStatus } from '../../../typings/checkout';
import type { ProductDoc } from '../domain/catalogue';
import { describe, ORDER_TTL_MS, type OrderDoc, OrderErrors, orderIdFor, priceOrder } from '../domain/order';
import type { RefundDoc } from '../domain/refund';
import { boundMerchant } from '../merchants/merchant';
import { type Filter, isDuplicate, mustGet } from '../ports/store';
import { type CallContext, idempotencyKeyOf } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import { findPage, type PageRequest } from '../runtime/paging';
import { closeOrder } from './close-order';
import { providerFailure } from './provider-errors';
import { assertServiceOpen } from './service-status';
import { orderDto, refundDto } from './views';

export type CartLine = { productId: string; quantity: number };

async function price(deps: Deps, appid: string, lines: CartLine[]): Promise<Quote> {
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
  if (!order || order.appid !== ctx.identity.appid || order.buyerOpenid !== ctx.identity.openid)
    throw OrderErrors.notFound();
  return order;
}

/** The amount breakdown for the confirmation page, from the catalogue; nothing is stored. */
export function quoteOrder({ deps, identity }: CallContext, items: CartLine[]): Promise<Quote> {
  return price(deps, identity.appid, items);
}

export async function createOrder(ctx: CallContext, items: CartLine[]): Promise<Order> {
  const { deps, identity, role } = ctx;
  // The id comes from the key, so even a retry whose first attempt's result was lost finds the same order.
  const id = orderIdFor(identity.appid, identity.openid, idempotencyKeyOf(ctx));
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
    refundStatus: 'NONE',
    expiresAt: new Date(now.getTime() + ORDER_TTL_MS).toISOString(),
    createdAt: at,
    updatedAt: at,
    rev: 0,
  };
  try {
    await deps.store.insert<OrderDoc>('orders', doc);
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    return orderDto(await mustGet<OrderDoc>(deps.store, 'orders', id), role, now);
  }
  return orderDto(doc, role, now);
}

export async function getOrder(ctx: CallContext, orderId: string): Promise<OrderDetail> {
  const order = await visibleOrder(ctx, orderId);
  const refunds = await ctx.deps.store.find<RefundDoc>('refunds', {
    where: { orderId: order._id },
    orderBy: [['createdAt', 'desc']],
    limit: 100,
  });
  return {
    ...orderDto(order, ctx.role, ctx.deps.clock.now()),
    mine: order.buyerOpenid === ctx.identity.openid,
    refunds: refunds.items.map(refundDto),
  };
}

async function orderPage(ctx: CallContext, where: Filter, { after, limit }: PageRequest): Promise<OrderPage> {
  const page = await findPage<OrderDoc>(ctx.deps.store, 'orders', {
    where,
    orderBy: [['createdAt', 'desc']],
    limit: limit ?? 20,
    after,
  });
  const now = ctx.deps.clock.now();
  const items = page.items.map((o) => orderDto(o, ctx.role, now));
  return page.next ? { items, next: page.next } : { items };
}

/** The caller's own orders, newest first. */
export function listOwnOrders(ctx: CallContext, page: PageRequest): Promise<OrderPage> {
  return orderPage(ctx, { appid: ctx.identity.appid, buyerOpenid: ctx.identity.openid }, page);
}

export interface MerchantOrderFilter {
  state?: OrderState;
  /** Paid orders by how much was refunded (refundStatusOf): none, part or all of it. */
  refundStatus?: RefundStatus;
}

/** The store filter for a merchant's list: refunds exist on paid orders only, so a refund status means PAID. */
function merchantOrderFilter(appid: string, { state, refundStatus }: MerchantOrderFilter): Filter {
  if (refundStatus) return { appid, state: 'PAID', refundStatus };
  return state ? { appid, state } : { appid };
}

/** Every order of the mini program (the admin's view), optionally of one state or refund status. */
export function listMerchantOrders(
  ctx: CallContext,
  { state, refundStatus, ...page }: PageRequest & MerchantOrderFilter,
): Promise<OrderPage> {
  return orderPage(ctx, merchantOrderFilter(ctx.identity.appid, { state, refundStatus }), page);
}

/** The buyer gives up on an unpaid order. Paid orders are refunded by the merchant instead. */
export async function cancelOrder(ctx: CallContext, orderId: string): Promise<Order> {
  const order = await ownOrder(ctx, orderId);
  if (order.state === 'PAID') throw OrderErrors.alreadyPaid();
  try {
    await closeOrder(ctx.deps, order, 'cancelled');
  } catch (err) {
    providerFailure(err, ctx.log);
  }
  const after = await mustGet<OrderDoc>(ctx.deps.store, 'orders', order._id);
  if (after.state === 'PAID') throw OrderErrors.alreadyPaid();
  return orderDto(after, ctx.role, ctx.deps.clock.now());
}
