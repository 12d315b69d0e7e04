// Funds test fixtures: a bound merchant, and paid orders written the way
// checkout writes them (order doc + payment entry in one transaction), so
// settlement and the transaction views run on real ledger data.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { feeFen } from '../../cloudfunctions/core/domain/fee';
import { paymentEntry, refundEntry } from '../../cloudfunctions/core/domain/ledger';
import { type OrderDoc, refundedWrite } from '../../cloudfunctions/core/domain/order';
import { feeToReturn, refundSource } from '../../cloudfunctions/core/domain/refund';
import { postInTransaction } from '../../cloudfunctions/core/ledger/book';
import type { Deps } from '../../cloudfunctions/core/runtime/deps';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';

export const SUB_MCHID = '1900000109';
export const RATE_PPM = 6000;

export async function bindMerchant(deps: Deps, extra: Partial<MerchantDoc> = {}): Promise<MerchantDoc> {
  const doc: MerchantDoc = {
    _id: DEMO_APPID,
    appid: DEMO_APPID,
    subMchid: SUB_MCHID,
    name: 'Shenzhen Demo Tea Co., Ltd.',
    feeRatePpm: RATE_PPM,
    boundAt: '2026-01-01T00:00:00.000Z',
    subjectType: 'SUBJECT_TYPE_ENTERPRISE',
    ...extra,
  };
  await deps.store.insert('merchants', doc);
  return doc;
}

let orderSeq = 0;

/** A paid order: PAID + settlementState PENDING, its payment posted at `paidAt`. */
export async function paidOrder(
  deps: Deps,
  totalFen: number,
  paidAt: string,
  extra: Partial<OrderDoc> = {},
): Promise<OrderDoc> {
  const id = extra._id ?? `O${String(++orderSeq).padStart(31, '0')}`;
  const fee = feeFen(totalFen, RATE_PPM);
  const order: OrderDoc = {
    _id: id,
    appid: DEMO_APPID,
    buyerOpenid: 'o_buyer_0000000000000000001',
    subMchid: SUB_MCHID,
    state: 'PAID',
    items: [],
    totalFen,
    description: 'Tea',
    feeFen: fee,
    refundedFen: 0,
    feeReturnedFen: 0,
    paidAt,
    settlementState: 'PENDING',
    expiresAt: paidAt,
    createdAt: paidAt,
    updatedAt: paidAt,
    rev: 2, // created, then paid
    ...extra,
  };
  await deps.store.transaction(async (tx) => {
    await tx.insert('orders', order);
    await postInTransaction(tx, paymentEntry(DEMO_APPID, id, totalFen, fee), new Date(paidAt));
  });
  return order;
}

/** A refund as checkout records it: order totals and the refund entry together, from pending or available. */
export async function refundOrder(
  deps: Deps,
  orderId: string,
  refundId: string,
  amountFen: number,
  at: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const order = (await tx.get<OrderDoc>('orders', orderId))!;
    const feeBack = feeToReturn(order, amountFen);
    await tx.update('orders', orderId, refundedWrite(order, amountFen, feeBack, at));
    await postInTransaction(
      tx,
      refundEntry(DEMO_APPID, orderId, refundId, amountFen, feeBack, refundSource(order)),
      new Date(at),
    );
  });
}

// ---- through the real checkout and the sandbox ---------------------------------------

export const ENTITY = 'Shenzhen Demo Tea Co., Ltd.';

/** The bank account the sandbox sub-merchant was created with, as our first account on file. */
export const FIRST_ACCOUNT = {
  accountType: 'CORPORATE' as const,
  accountBank: '工商银行',
  bankAddressCode: '440300',
  accountName: ENTITY,
  accountNumber: '6222000000000000',
};
