// Sub-merchants (特约商户) under the sandbox's service provider: created when
// an application finishes (or directly, sandbox-only, for tests that need a
// bound account before onboarding runs), with the fee rate their bills use
// and the balance that refunds and withdrawals draw on.
import { feeFen, MAX_FEE_RATE_PPM } from '../../core/domain/fee';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { SandboxContext } from './context';
import { wx } from './errors';

export interface SettlementAccountDoc {
  account_type: 'ACCOUNT_TYPE_BUSINESS' | 'ACCOUNT_TYPE_PRIVATE';
  account_bank: string;
  bank_name?: string;
  account_name: string;
  account_number: string;
}

export interface MerchantDoc {
  /** The merchant of record (= sub_mchid). */
  merchant: string;
  sub_mchid: string;
  subject_type: string;
  merchant_name: string;
  legal_person: string;
  /** Appids the sub-merchant may take payments for (sub_appid). */
  appids: string[];
  settlement_id: string;
  rate_ppm: number;
  account: SettlementAccountDoc;
  business_code?: string;
  created_at: string;
}

/**
 * settlement_info.settlement_id -> fee rate (ppm). WeChat publishes its
 * settlement rule ids per industry; the sandbox models them as: 716
 * (enterprise, standard), 719 (individual business, standard), 717
 * (institutions), 718 (government), 720 (other organisations): 0.6%;
 * 724 and 725 (discounted public-service categories): 0.38%; 728 (charity): 0.2%.
 */
export const SETTLEMENT_RATES: Record<string, number> = {
  '716': 6000,
  '717': 6000,
  '718': 6000,
  '719': 6000,
  '720': 6000,
  '724': 3800,
  '725': 3800,
  '728': 2000,
};

/** The service provider itself taking direct-mode payments pays the standard rate. */
export const DIRECT_RATE_PPM = MAX_FEE_RATE_PPM;

export function merchantDoc(ctx: SandboxContext, subMchid: string): MerchantDoc | null {
  return ctx.state.get<MerchantDoc>('merchant', subMchid);
}

export function requireMerchant(ctx: SandboxContext, subMchid: string | undefined): MerchantDoc {
  const m = subMchid ? merchantDoc(ctx, subMchid) : null;
  if (!m)
    throw wx.param(`特约商户号 ${subMchid ?? ''} 不存在或未与服务商 ${ctx.keys.mchid} 建立绑定关系`, {
      location: 'body',
      field: '/sub_mchid',
    });
  return m;
}

export function rateOf(ctx: SandboxContext, merchant: string): number {
  return merchant === ctx.keys.mchid ? DIRECT_RATE_PPM : (merchantDoc(ctx, merchant)?.rate_ppm ?? DIRECT_RATE_PPM);
}

export interface NewSubMerchant {
  sub_mchid?: string;
  appids: string[];
  subject_type?: string;
  merchant_name?: string;
  legal_person?: string;
  settlement_id?: string;
  /** Overrides the rate the settlement id maps to. */
  rate_ppm?: number;
  account?: SettlementAccountDoc;
  business_code?: string;
}

export function createSubMerchant(ctx: SandboxContext, input: NewSubMerchant): MerchantDoc {
  const settlementId = input.settlement_id ?? '716';
  const rate = input.rate_ppm ?? SETTLEMENT_RATES[settlementId];
  if (rate === undefined) throw wx.param(`unknown settlement_id ${settlementId}`);
  if (!input.appids?.length) throw wx.param('a sub-merchant needs at least one appid');
  const sub = input.sub_mchid ?? ctx.ids.subMchid();
  if (merchantDoc(ctx, sub)) throw wx.invalid(`sub-merchant ${sub} already exists`);
  const name = input.merchant_name ?? `Sandbox Merchant ${sub}`;
  const doc: MerchantDoc = {
    merchant: sub,
    sub_mchid: sub,
    subject_type: input.subject_type ?? 'SUBJECT_TYPE_ENTERPRISE',
    merchant_name: name,
    legal_person: input.legal_person ?? 'Sandbox Legal Person',
    appids: input.appids,
    settlement_id: settlementId,
    rate_ppm: rate,
    account: input.account ?? {
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      account_bank: '工商银行',
      account_name: name,
      account_number: '6222000000000000',
    },
    ...(input.business_code ? { business_code: input.business_code } : {}),
    created_at: rfc3339(ctx.now()),
  };
  ctx.state.put('merchant', sub, doc);
  ctx.log('sub-merchant created', { sub_mchid: sub, rate_ppm: rate });
  return doc;
}

/**
 * What the merchant holds at WeChat Pay: payments net of fees, minus refunds
 * (their fee share comes back) and withdrawals not failed or returned.
 * Settlement timing (T+1) is the product's ledger's business; the sandbox only
 * refuses what the merchant could never cover.
 */
export function balanceOf(ctx: SandboxContext, merchant: string): number {
  const rate = rateOf(ctx, merchant);
  let balance = 0;
  for (const o of ctx.state.list<{ trade_state: string; amount_total: number }>('order', { merchant })) {
    if (o.trade_state === 'SUCCESS' || o.trade_state === 'REFUND')
      balance += o.amount_total - feeFen(o.amount_total, rate);
  }
  for (const r of ctx.state.list<{ status: string; amount_refund: number; fee_fen: number }>('refund', { merchant })) {
    if (r.status !== 'CLOSED') balance -= r.amount_refund - r.fee_fen;
  }
  for (const w of ctx.state.list<{ status: string; amount: number }>('withdraw', { merchant })) {
    if (w.status === 'CREATE_SUCCESS' || w.status === 'SUCCESS' || w.status === 'INIT') balance -= w.amount;
  }
  return balance;
}
