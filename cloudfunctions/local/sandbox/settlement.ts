// Settlement account changes (apply4sub modify-settlement): account name and
// number arrive RSA-OAEP encrypted, one change under review at a time, at most
// five a day (Beijing), AUDITING then AUDIT_SUCCESS / AUDIT_FAIL after a short
// delay by rule (or forced, sandbox-only). The old account stays in force
// until the new one is approved.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { beijingDate, rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxSettlementApplication } from '../../core/adapters/wechatpay/wire';
import { requirePlatformSerial } from './auth';
import type { SandboxContext } from './context';
import { parse, wx } from './errors';
import { type MerchantDoc, requireMerchant, type SettlementAccountDoc } from './merchants';
import { encryptionKeyName } from './review';

export const CHANGES_PER_DAY = 5;

export interface SettlementChangeDoc {
  application_no: string;
  merchant: string;
  day: string;
  account: SettlementAccountDoc & { bank_address_code: string; bank_branch_id?: string };
  verify_result: 'AUDITING' | 'AUDIT_SUCCESS' | 'AUDIT_FAIL';
  verify_fail_reason?: string;
  verify_finish_time?: string;
  created_at: string;
}

const schema = z.object({
  modify_mode: z.enum(['MODIFY_MODE_ASYNC']).optional(),
  account_type: z.enum(['ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE']),
  account_bank: z.string().min(1).max(128),
  bank_address_code: z.string().regex(/^\d{6}$/),
  bank_name: z.string().max(128).optional(),
  bank_branch_id: z.string().max(128).optional(),
  account_name: z.string().min(1).optional(),
  account_number: z.string().min(1),
});

function decryptField(ctx: SandboxContext, field: string, value: string): string {
  try {
    return ctx.decryptSensitive(value);
  } catch {
    throw wx.param(`${field} 解密失败：请使用${encryptionKeyName(ctx)}加密`, { location: 'body', field: `/${field}` });
  }
}

/** MASK_V1: the first and last two characters. */
const maskNumber = (n: string): string =>
  n.length <= 4 ? '*'.repeat(n.length) : `${n.slice(0, 2)}${'*'.repeat(n.length - 4)}${n.slice(-2)}`;
const maskName = (n: string): string => `${[...n][0] ?? ''}**`;

export function settlementWire(c: SettlementChangeDoc): WxSettlementApplication {
  return {
    account_name: maskName(c.account.account_name),
    account_type: c.account.account_type,
    account_bank: c.account.account_bank,
    ...(c.account.bank_name ? { bank_name: c.account.bank_name } : {}),
    ...(c.account.bank_branch_id ? { bank_branch_id: c.account.bank_branch_id } : {}),
    account_number: maskNumber(c.account.account_number),
    verify_result: c.verify_result,
    ...(c.verify_fail_reason ? { verify_fail_reason: c.verify_fail_reason } : {}),
    ...(c.verify_finish_time ? { verify_finish_time: c.verify_finish_time } : {}),
  };
}

export function modifySettlement(ctx: SandboxContext, subMchid: string, raw: unknown): { application_no: string } {
  const b = parse(schema, raw);
  const m = requireMerchant(ctx, subMchid);
  const accountNumber = decryptField(ctx, 'account_number', b.account_number);
  const accountName = b.account_name ? decryptField(ctx, 'account_name', b.account_name) : m.account.account_name;
  const changes = ctx.state.list<SettlementChangeDoc>('settlement', { merchant: subMchid });
  if (
    changes.some((c) => ctx.read<SettlementChangeDoc>('settlement', c.application_no)?.verify_result === 'AUDITING')
  ) {
    throw wx.invalid('存在审核中的结算账户修改申请，请等待审核完成后再提交');
  }
  const today = beijingDate(ctx.now());
  if (changes.filter((c) => c.day === today).length >= CHANGES_PER_DAY)
    throw wx.frequency(`每个商户每天最多提交${CHANGES_PER_DAY}次修改申请，请次日再试`);
  const doc: SettlementChangeDoc = {
    application_no: ctx.ids.applicationNo(),
    merchant: subMchid,
    day: today,
    account: {
      account_type: b.account_type,
      account_bank: b.account_bank,
      bank_address_code: b.bank_address_code,
      ...(b.bank_name ? { bank_name: b.bank_name } : {}),
      ...(b.bank_branch_id ? { bank_branch_id: b.bank_branch_id } : {}),
      account_name: accountName,
      account_number: accountNumber,
    },
    verify_result: 'AUDITING',
    created_at: rfc3339(ctx.now()),
  };
  ctx.state.put('settlement', doc.application_no, doc, ctx.after(ctx.delays.settlementMs));
  return { application_no: doc.application_no };
}

/** Why a reviewer would refuse the new account; null when it passes. */
function reviewAccount(m: MerchantDoc, a: SettlementChangeDoc['account']): string | null {
  if (a.account_type === 'ACCOUNT_TYPE_PRIVATE' && m.subject_type !== 'SUBJECT_TYPE_INDIVIDUAL')
    return '该主体类型只能使用对公银行账户';
  if (a.account_type === 'ACCOUNT_TYPE_BUSINESS' && a.account_name !== m.merchant_name)
    return '对公账户开户名称与商户名称不一致';
  if (a.account_type === 'ACCOUNT_TYPE_PRIVATE' && a.account_name !== m.legal_person)
    return '个人银行卡开户名称与经营者姓名不一致';
  if (!/^\d{8,30}$/.test(a.account_number)) return '银行账号格式不正确';
  return null;
}

function decide(ctx: SandboxContext, c: SettlementChangeDoc, failReason: string | null): SettlementChangeDoc {
  const next: SettlementChangeDoc = {
    ...c,
    verify_result: failReason ? 'AUDIT_FAIL' : 'AUDIT_SUCCESS',
    ...(failReason ? { verify_fail_reason: failReason } : {}),
    verify_finish_time: rfc3339(ctx.now()),
  };
  ctx.state.transaction(() => {
    ctx.state.put('settlement', c.application_no, next, null);
    const m = ctx.state.get<MerchantDoc>('merchant', c.merchant);
    if (!failReason && m) {
      const a = c.account;
      const account: SettlementAccountDoc = {
        account_type: a.account_type,
        account_bank: a.account_bank,
        ...(a.bank_name ? { bank_name: a.bank_name } : {}),
        account_name: a.account_name,
        account_number: a.account_number,
      };
      ctx.state.put('merchant', m.sub_mchid, { ...m, account });
    }
  });
  return next;
}

export function advanceSettlement(ctx: SandboxContext, applicationNo: string): void {
  const c = ctx.state.get<SettlementChangeDoc>('settlement', applicationNo);
  if (!c) return;
  if (c.verify_result !== 'AUDITING') return void ctx.state.put('settlement', applicationNo, c, null);
  const m = ctx.state.get<MerchantDoc>('merchant', c.merchant);
  decide(ctx, c, m ? reviewAccount(m, c.account) : '商户不存在');
}

export function forceSettlement(
  ctx: SandboxContext,
  applicationNo: string,
  result: 'AUDIT_SUCCESS' | 'AUDIT_FAIL',
  reason?: string,
): WxSettlementApplication {
  const c = ctx.read<SettlementChangeDoc>('settlement', applicationNo);
  if (!c) throw wx.notExists('申请单不存在');
  if (c.verify_result !== 'AUDITING') throw wx.invalid(`申请单已${c.verify_result}`);
  return settlementWire(
    decide(ctx, c, result === 'AUDIT_FAIL' ? reason || '银行账户信息有误，请核实后重新提交' : null),
  );
}

export function settlementRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  ctx.advancers.set('settlement', advanceSettlement);
  app.post<{ Params: { sub: string } }>('/v3/apply4sub/sub_merchants/:sub/modify-settlement', async (request) => {
    requirePlatformSerial(ctx, request);
    return modifySettlement(ctx, request.params.sub, request.body);
  });
  app.get<{ Params: { sub: string; no: string } }>(
    '/v3/apply4sub/sub_merchants/:sub/application/:no',
    async (request) => {
      const c = ctx.read<SettlementChangeDoc>('settlement', request.params.no);
      if (!c || c.merchant !== request.params.sub) throw wx.notExists('申请单不存在');
      return settlementWire(c);
    },
  );
  app.post<{ Params: { no: string } }>('/sandbox/settlement/:no', async (request) => {
    const b = parse(
      z.object({ result: z.enum(['AUDIT_SUCCESS', 'AUDIT_FAIL']), reason: z.string().optional() }),
      request.body,
    );
    return forceSettlement(ctx, request.params.no, b.result, b.reason);
  });
}
