// Shared steps for the checkout tests: a bound merchant (sandbox sub-merchant
// plus our merchants doc, as onboarding would leave them), orders bought and
// paid through the real function and the sandbox buyer, notifications routed
// from the sandbox into the real payNotify, and notifications crafted with
// the sandbox's own platform key for the attacks WeChat never sends.
import crypto, { type KeyObject } from 'node:crypto';
import { main as checkout } from '../../cloudfunctions/checkout';
import { main as payNotify } from '../../cloudfunctions/payNotify';
import { encryptResource, wechatpaySignatureHeaders } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { rfc3339 } from '../../miniprogram/shared/beijing';
import type { WxRefund, WxTransaction } from '../../cloudfunctions/core/adapters/wechatpay/wire';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { OrderDoc } from '../../cloudfunctions/core/domain/order';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { HttpResult } from '../../cloudfunctions/core/runtime/http';
import type { Order, Payment, Product } from '../../typings/checkout';
import { buyer, call, ok, type TestDeps } from '../support/deps';

export { checkout, payNotify };

let keySeq = 0;
export const key = (label = 'k') => `${label}-${Date.now().toString(36)}-${++keySeq}`.padEnd(12, '0');

/** Creates the sandbox sub-merchant and binds it to the demo mini program. */
export async function bindMerchant(deps: TestDeps, feeRatePpm = 6000): Promise<MerchantDoc> {
  const sub = deps.sandbox.createSubMerchant({
    appids: [DEMO_APPID],
    rate_ppm: feeRatePpm,
    merchant_name: 'Shenzhen Demo Tea Co., Ltd.',
  });
  const doc: MerchantDoc = {
    _id: DEMO_APPID,
    appid: DEMO_APPID,
    subMchid: sub.sub_mchid,
    name: sub.merchant_name,
    feeRatePpm,
    boundAt: deps.clock.now().toISOString(),
    subjectType: 'SUBJECT_TYPE_ENTERPRISE',
  };
  await deps.store.insert<MerchantDoc>('merchants', doc);
  return doc;
}

/** Sandbox notifications go to the real payNotify; what it answered is what the sandbox sees. */
export function routeNotificationsToPayNotify(deps: TestDeps): void {
  deps.inbox.respond = async (n) => (await notify(n.headers, n.body)).statusCode;
}

export function notify(headers: Record<string, string>, body: string): Promise<HttpResult> {
  return payNotify({
    httpMethod: 'POST',
    path: '/payNotify',
    headers,
    queryStringParameters: {},
    body,
    isBase64Encoded: false,
  });
}

export async function products(deps: TestDeps): Promise<Product[]> {
  void deps;
  return (await ok<{ items: Product[] }>(call(checkout, buyer, 'listProducts', {}))).items;
}

/** Orders `quantity` of the product priced `priceFen` (seeded catalogue) as the buyer. */
export async function order(
  deps: TestDeps,
  lines: Array<{ productId: string; quantity: number }>,
  who = buyer,
  idempotencyKey = key('order'),
): Promise<Order> {
  void deps;
  return ok<Order>(call(checkout, who, 'createOrder', { items: lines }, idempotencyKey));
}

export async function seededProduct(deps: TestDeps, name: RegExp): Promise<Product> {
  const found = (await products(deps)).find((p) => name.test(p.name));
  if (!found) throw new Error(`no seeded product ${name}`);
  return found;
}

export async function pay(orderId: string, who = buyer): Promise<Payment> {
  return ok<Payment>(call(checkout, who, 'pay', { orderId }));
}

/** The sandbox buyer confirms the payment sheet with the client parameters the app got. */
export function buyerPays(deps: TestDeps, payment: Payment, result: 'SUCCESS' | 'FAIL' = 'SUCCESS') {
  return deps.sandbox.pay({ appid: DEMO_APPID, ...payment.params, result });
}

/** Runs the sandbox's due work (notifications, refund outcomes) and waits for the deliveries. */
export async function deliver(deps: TestDeps): Promise<void> {
  await deps.sandbox.flush();
}

export async function orderDoc(deps: TestDeps, id: string): Promise<OrderDoc> {
  const doc = await deps.store.get<OrderDoc>('orders', id);
  if (!doc) throw new Error(`no order ${id}`);
  return doc;
}

/** A paid order of `lines`, notification delivered to payNotify. */
export async function paidOrder(deps: TestDeps, lines: Array<{ productId: string; quantity: number }>): Promise<Order> {
  routeNotificationsToPayNotify(deps);
  const created = await order(deps, lines);
  buyerPays(deps, await pay(created.id));
  await deliver(deps);
  const doc = await orderDoc(deps, created.id);
  if (doc.state !== 'PAID') throw new Error(`order ${created.id} is ${doc.state} after payment`);
  return created;
}

// ---- crafted notifications ------------------------------------------------------------

export interface Craft {
  /** Signing key and the serial announced (default: the sandbox platform key and its id). */
  signWith?: KeyObject;
  serial?: string;
  at?: Date;
  apiV3Key?: Buffer;
  signature?: string;
  /** Changes the body after signing. */
  tamper?: (body: string) => string;
}

export function craftNotification(
  deps: TestDeps,
  eventType: string,
  originalType: 'transaction' | 'refund',
  resource: object,
  craft: Craft = {},
): { headers: Record<string, string>; body: string } {
  const keys = deps.sandbox.keys;
  const now = craft.at ?? deps.clock.now();
  const body = JSON.stringify({
    id: crypto.randomUUID(),
    create_time: rfc3339(now),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: eventType,
    resource: {
      ...encryptResource(JSON.stringify(resource), craft.apiV3Key ?? keys.apiV3Key, originalType),
      original_type: originalType,
    },
  });
  const headers = wechatpaySignatureHeaders(
    body,
    craft.serial ?? keys.platformKeyId,
    craft.signWith ?? keys.platformPrivateKey,
    now,
  );
  if (craft.signature) headers['Wechatpay-Signature'] = craft.signature;
  return { headers, body: craft.tamper ? craft.tamper(body) : body };
}

/** The transaction resource WeChat would send for `doc`, with any field overridden. */
export function transactionResource(
  deps: TestDeps,
  doc: OrderDoc,
  overrides: Partial<WxTransaction> = {},
): WxTransaction {
  const keys = deps.sandbox.keys;
  return {
    sp_appid: keys.appid,
    sp_mchid: keys.mchid,
    sub_appid: doc.appid,
    sub_mchid: doc.subMchid,
    out_trade_no: doc._id,
    transaction_id: `42000${crypto.randomInt(1e9, 9e9)}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: rfc3339(deps.clock.now()),
    payer: { sub_openid: doc.buyerOpenid },
    amount: { total: doc.totalFen, payer_total: doc.totalFen, currency: 'CNY', payer_currency: 'CNY' },
    ...overrides,
  };
}

export function refundResource(
  deps: TestDeps,
  fields: { subMchid: string; orderId: string; refundNo: string; refundFen: number; totalFen: number; status: string },
): WxRefund {
  return {
    sp_mchid: deps.sandbox.keys.mchid,
    sub_mchid: fields.subMchid,
    refund_id: `50300${crypto.randomInt(1e9, 9e9)}`,
    out_refund_no: fields.refundNo,
    transaction_id: '4200000000',
    out_trade_no: fields.orderId,
    success_time: rfc3339(deps.clock.now()),
    refund_status: fields.status as WxRefund['refund_status'],
    amount: {
      total: fields.totalFen,
      refund: fields.refundFen,
      payer_total: fields.totalFen,
      payer_refund: fields.refundFen,
    },
  };
}
