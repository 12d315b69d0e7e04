// Withdrawals from a sub-merchant's balance to its settlement account, and
// the sandbox bank that completes them: CREATE_SUCCESS, then SUCCESS after a
// short delay, or FAIL when the bank is told to fail (all withdrawals, or one,
// sandbox-only); a successful one can still come back (REFUND, "returned").
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxWithdraw } from '../../core/adapters/wechatpay/wire';
import type { WithdrawStatus } from '../../core/ports/pay';
import type { SandboxContext } from './context';
import { parse, wx } from './errors';
import { balanceOf, requireMerchant } from './merchants';

export interface WithdrawDoc {
  key: string;
  merchant: string;
  sub_mchid: string;
  withdraw_id: string;
  out_request_no: string;
  amount: number;
  remark: string;
  bank_memo: string;
  status: WithdrawStatus;
  reason: string;
  account: { account_number: string; account_bank: string; bank_name: string };
  create_time: string;
  update_time: string;
}

interface BankSettings {
  mode: 'succeed' | 'fail';
  reason?: string;
}

const schema = z.object({
  sub_mchid: z.string().min(1).max(32),
  out_request_no: z.string().regex(/^[0-9A-Za-z]{1,32}$/, 'out_request_no: 1-32 digits or letters'),
  amount: z.number().int().min(1),
  remark: z.string().max(56).optional(),
  bank_memo: z.string().max(32).optional(),
  account_type: z.string().optional(),
});

const key = (sub: string, no: string) => `${sub}|${no}`;

export function withdrawWire(ctx: SandboxContext, w: WithdrawDoc): WxWithdraw {
  const n = w.account.account_number;
  return {
    sp_mchid: ctx.keys.mchid,
    sub_mchid: w.sub_mchid,
    status: w.status,
    withdraw_id: w.withdraw_id,
    out_request_no: w.out_request_no,
    amount: w.amount,
    create_time: w.create_time,
    update_time: w.update_time,
    reason: w.reason,
    remark: w.remark,
    bank_memo: w.bank_memo,
    account_type: 'BASIC',
    account_number: n.slice(-4),
    account_bank: w.account.account_bank,
    bank_name: w.account.bank_name,
  };
}

export function createWithdraw(
  ctx: SandboxContext,
  raw: unknown,
): { sub_mchid: string; withdraw_id: string; out_request_no: string } {
  const b = parse(schema, raw);
  const m = requireMerchant(ctx, b.sub_mchid);
  const existing = ctx.state.get<WithdrawDoc>('withdraw', key(b.sub_mchid, b.out_request_no));
  if (existing) {
    if (existing.amount !== b.amount) throw wx.invalid('商户提现单号重复，且与原请求参数不一致');
    return {
      sub_mchid: existing.sub_mchid,
      withdraw_id: existing.withdraw_id,
      out_request_no: existing.out_request_no,
    };
  }
  if (balanceOf(ctx, b.sub_mchid) < b.amount) throw wx.notEnough('可用余额不足');
  const now = rfc3339(ctx.now());
  const doc: WithdrawDoc = {
    key: key(b.sub_mchid, b.out_request_no),
    merchant: b.sub_mchid,
    sub_mchid: b.sub_mchid,
    withdraw_id: ctx.ids.withdrawId(),
    out_request_no: b.out_request_no,
    amount: b.amount,
    remark: b.remark ?? '',
    bank_memo: b.bank_memo ?? '',
    status: 'CREATE_SUCCESS',
    reason: '',
    // The account in force when the money left.
    account: {
      account_number: m.account.account_number,
      account_bank: m.account.account_bank,
      bank_name: m.account.bank_name ?? m.account.account_bank,
    },
    create_time: now,
    update_time: now,
  };
  ctx.state.transaction(() => {
    ctx.state.put('withdraw', doc.key, doc, ctx.after(ctx.delays.withdrawMs));
    ctx.state.put('withdraw_id', doc.withdraw_id, { key: doc.key });
  });
  return { sub_mchid: doc.sub_mchid, withdraw_id: doc.withdraw_id, out_request_no: doc.out_request_no };
}

function setStatus(ctx: SandboxContext, w: WithdrawDoc, status: WithdrawStatus, reason = ''): WithdrawDoc {
  const next = { ...w, status, reason, update_time: rfc3339(ctx.now()) };
  ctx.state.put('withdraw', w.key, next, null);
  return next;
}

/** The sandbox bank processes a withdrawal that fell due. */
export function advanceWithdraw(ctx: SandboxContext, k: string): void {
  const w = ctx.state.get<WithdrawDoc>('withdraw', k);
  if (!w) return;
  if (w.status !== 'CREATE_SUCCESS') return void ctx.state.put('withdraw', k, w, null);
  const bank = ctx.state.get<BankSettings>('settings', 'bank') ?? { mode: 'succeed' };
  if (bank.mode === 'fail') setStatus(ctx, w, 'FAIL', bank.reason || '银行卡户名或账号有误，提现失败');
  else setStatus(ctx, w, 'SUCCESS');
}

function byWithdrawId(ctx: SandboxContext, withdrawId: string): WithdrawDoc {
  const alias = ctx.state.get<{ key: string }>('withdraw_id', withdrawId);
  const w = alias ? ctx.read<WithdrawDoc>('withdraw', alias.key) : null;
  if (!w) throw wx.notExists('提现单不存在');
  return w;
}

/** Sandbox-only: FAIL or SUCCESS a pending withdrawal, or return (REFUND) a successful one. */
export function forceWithdraw(
  ctx: SandboxContext,
  withdrawId: string,
  status: 'SUCCESS' | 'FAIL' | 'REFUND',
  reason?: string,
): WxWithdraw {
  const w = byWithdrawId(ctx, withdrawId);
  const from: WithdrawStatus = status === 'REFUND' ? 'SUCCESS' : 'CREATE_SUCCESS';
  if (w.status !== from) throw wx.invalid(`withdrawal is ${w.status}; only ${from} can become ${status}`);
  const why =
    status === 'FAIL' ? reason || '银行卡户名或账号有误，提现失败' : status === 'REFUND' ? reason || '银行退票' : '';
  return withdrawWire(ctx, setStatus(ctx, w, status, why));
}

export function setBank(ctx: SandboxContext, settings: BankSettings): BankSettings {
  ctx.state.put('settings', 'bank', settings);
  return settings;
}

export function withdrawRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  ctx.advancers.set('withdraw', advanceWithdraw);
  app.post('/v3/ecommerce/fund/withdraw', async (request) => createWithdraw(ctx, request.body));
  app.get<{ Params: { no: string }; Querystring: { sub_mchid?: string } }>(
    '/v3/ecommerce/fund/withdraw/out-request-no/:no',
    async (request) => {
      const w = ctx.read<WithdrawDoc>('withdraw', key(request.query.sub_mchid ?? '', request.params.no));
      if (!w) throw wx.notExists('提现单不存在');
      return withdrawWire(ctx, w);
    },
  );
  app.get<{ Params: { id: string }; Querystring: { sub_mchid?: string } }>(
    '/v3/ecommerce/fund/withdraw/:id',
    async (request) => {
      const w = byWithdrawId(ctx, request.params.id);
      if (w.sub_mchid !== request.query.sub_mchid) throw wx.notExists('提现单不存在');
      return withdrawWire(ctx, w);
    },
  );
  // Balance as the sandbox sees it (no T+1 split: available holds everything received).
  app.get<{ Params: { sub: string } }>('/v3/ecommerce/fund/balance/:sub', async (request) => {
    requireMerchant(ctx, request.params.sub);
    return { sub_mchid: request.params.sub, available_amount: balanceOf(ctx, request.params.sub), pending_amount: 0 };
  });

  app.post<{ Params: { id: string } }>('/sandbox/withdrawals/:id', async (request) => {
    const b = parse(
      z.object({ status: z.enum(['SUCCESS', 'FAIL', 'REFUND']), reason: z.string().optional() }),
      request.body,
    );
    return forceWithdraw(ctx, request.params.id, b.status, b.reason);
  });
  app.post('/sandbox/bank', async (request) =>
    setBank(ctx, parse(z.object({ mode: z.enum(['succeed', 'fail']), reason: z.string().optional() }), request.body)),
  );
}
