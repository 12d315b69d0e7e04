// Money that really exists at the sandbox: a sandbox sub-merchant bound the
// way onboarding leaves it (merchant doc with its subject type, first bank
// account recorded), orders bought and paid through the real checkout
// function and the sandbox buyer, settled by the real job.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { recordBankAccount } from '../../cloudfunctions/core/funds/record-account';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import { settleDueOrders } from '../../cloudfunctions/core/funds/settlement';
import type { Order } from '../../typings/checkout';
import { paidOrder, seededProduct } from '../checkout/support';
import type { TestDeps } from '../support/deps';
import { ENTITY, FIRST_ACCOUNT } from './support';

export async function bindSandboxMerchant(
  deps: TestDeps,
  extra: Partial<MerchantDoc> = {},
  sandboxExtra: Record<string, unknown> = {},
): Promise<MerchantDoc> {
  const sub = deps.sandbox.createSubMerchant({
    appids: [DEMO_APPID],
    rate_ppm: 6000,
    merchant_name: ENTITY,
    account: {
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      account_bank: FIRST_ACCOUNT.accountBank,
      account_name: ENTITY,
      account_number: FIRST_ACCOUNT.accountNumber,
    },
    ...sandboxExtra,
  });
  const doc: MerchantDoc = {
    _id: DEMO_APPID,
    appid: DEMO_APPID,
    subMchid: sub.sub_mchid,
    name: sub.merchant_name,
    feeRatePpm: 6000,
    boundAt: deps.clock.now().toISOString(),
    subjectType: 'SUBJECT_TYPE_ENTERPRISE',
    ...extra,
  };
  await deps.store.insert('merchants', doc);
  await recordBankAccount(deps, DEMO_APPID, FIRST_ACCOUNT);
  return doc;
}

/** `count` Oolong orders (99.00, fee 0.59) paid now through checkout and the sandbox. */
export async function realPaidOrders(deps: TestDeps, count: number): Promise<Order[]> {
  const oolong = await seededProduct(deps, /Oolong/);
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) orders.push(await paidOrder(deps, [{ productId: oolong.id, quantity: 1 }]));
  return orders;
}

export const OOLONG_NET_FEN = 9900 - 59;

/** Paid orders, then a day later settled: their net is available. */
export async function availableMoney(deps: TestDeps, orders: number): Promise<number> {
  await realPaidOrders(deps, orders);
  deps.clock.advance(24 * 3600_000);
  await settleDueOrders(deps);
  return orders * OOLONG_NET_FEN;
}
