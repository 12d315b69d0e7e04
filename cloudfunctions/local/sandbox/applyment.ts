// applyment4sub: submit (sensitive fields must decrypt with the platform
// key, media ids must exist), a rule-based review after a short delay, query
// by business_code or applyment_id, resubmission of a rejected application
// under the same business_code, and sandbox-only outcome forcing: approve,
// reject with given reasons, require account confirmation, require signing
// (a sign_url page with a button: SIGNING, then FINISHED with a sub_mchid).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxApplymentStatus } from '../../core/adapters/wechatpay/wire';
import type { ApplymentState } from '../../core/ports/pay';
import { requirePlatformSerial } from './auth';
import type { SandboxContext } from './context';
import { parse, wx } from './errors';
import { createSubMerchant } from './merchants';
import { page, escapeHtml } from './pages';
import { type AuditItem, checkSubmittable, decrypted, merchantFacts, review } from './review';

export interface ApplymentDoc {
  business_code: string;
  applyment_id: number;
  state: ApplymentState;
  /** As submitted: sensitive fields stay encrypted at rest. */
  body: Record<string, unknown>;
  audit_detail: AuditItem[];
  sub_mchid?: string;
  sign_url?: string;
  legal_validation_url?: string;
  account_validation?: WxApplymentStatus['account_validation'];
  submitted_at: string;
  updated_at: string;
}

const STATE_MSG: Record<ApplymentState, string> = {
  APPLYMENT_STATE_EDITTING: '编辑中',
  APPLYMENT_STATE_AUDITING: '审核中',
  APPLYMENT_STATE_REJECTED: '已驳回',
  APPLYMENT_STATE_TO_BE_CONFIRMED: '待账户验证',
  APPLYMENT_STATE_TO_BE_SIGNED: '待签约',
  APPLYMENT_STATE_SIGNING: '开通权限中',
  APPLYMENT_STATE_FINISHED: '已完成',
  APPLYMENT_STATE_CANCELED: '已作废',
};

const FINAL: ApplymentState[] = ['APPLYMENT_STATE_FINISHED', 'APPLYMENT_STATE_CANCELED'];

export function applymentWire(a: ApplymentDoc): WxApplymentStatus {
  return {
    business_code: a.business_code,
    applyment_id: a.applyment_id,
    ...(a.sub_mchid ? { sub_mchid: a.sub_mchid } : {}),
    ...(a.sign_url ? { sign_url: a.sign_url } : {}),
    ...(a.legal_validation_url ? { legal_validation_url: a.legal_validation_url } : {}),
    applyment_state: a.state,
    applyment_state_msg: STATE_MSG[a.state],
    audit_detail: a.audit_detail,
    ...(a.account_validation ? { account_validation: a.account_validation } : {}),
  };
}

function save(ctx: SandboxContext, a: ApplymentDoc, dueAt: number | null = null): ApplymentDoc {
  const doc = { ...a, updated_at: rfc3339(ctx.now()) };
  ctx.state.put('applyment', a.business_code, doc, dueAt);
  ctx.log('applyment', { business_code: a.business_code, state: a.state });
  return doc;
}

export function submitApplyment(ctx: SandboxContext, body: Record<string, unknown>): { applyment_id: number } {
  checkSubmittable(ctx, body);
  decrypted(ctx, body); // every sensitive field must decrypt now, as on WeChat
  const code = body.business_code as string;
  const existing = ctx.read<ApplymentDoc>('applyment', code);
  if (existing) {
    // A retried submit of the same application is the same application.
    if (isDeepStrictEqual(existing.body, body) && existing.state !== 'APPLYMENT_STATE_REJECTED')
      return { applyment_id: existing.applyment_id };
    if (existing.state !== 'APPLYMENT_STATE_REJECTED' && existing.state !== 'APPLYMENT_STATE_CANCELED') {
      throw wx.invalid(
        `业务申请编号 ${code} 已存在申请单（${STATE_MSG[existing.state]}），仅被驳回的申请单可使用同一编号重新提交`,
      );
    }
  }
  const a: ApplymentDoc = {
    business_code: code,
    applyment_id: ctx.ids.applymentId(),
    state: 'APPLYMENT_STATE_AUDITING',
    body,
    audit_detail: [],
    submitted_at: rfc3339(ctx.now()),
    updated_at: rfc3339(ctx.now()),
  };
  save(ctx, a, ctx.review === 'auto' ? ctx.after(ctx.delays.reviewMs) : null);
  ctx.state.put('applyment_id', String(a.applyment_id), { business_code: code });
  return { applyment_id: a.applyment_id };
}

function load(ctx: SandboxContext, businessCode: string): ApplymentDoc {
  const a = ctx.read<ApplymentDoc>('applyment', businessCode);
  if (!a) throw wx.notExists('申请单不存在');
  return a;
}

export function byApplymentId(ctx: SandboxContext, applymentId: string): ApplymentDoc {
  const alias = ctx.state.get<{ business_code: string }>('applyment_id', applymentId);
  const a = alias ? ctx.read<ApplymentDoc>('applyment', alias.business_code) : null;
  // A resubmission replaces the old applyment_id.
  if (!a || String(a.applyment_id) !== applymentId) throw wx.notExists('申请单不存在');
  return a;
}

function finish(ctx: SandboxContext, a: ApplymentDoc): ApplymentDoc {
  const facts = merchantFacts(decrypted(ctx, a.body));
  const m = createSubMerchant(ctx, {
    appids: [facts.appid],
    subject_type: facts.subject_type,
    merchant_name: facts.merchant_name,
    legal_person: facts.legal_person,
    settlement_id: facts.settlement_id,
    business_code: a.business_code,
    account: {
      account_type:
        facts.account.type === 'BANK_ACCOUNT_TYPE_PERSONAL' ? 'ACCOUNT_TYPE_PRIVATE' : 'ACCOUNT_TYPE_BUSINESS',
      account_bank: facts.account.bank,
      ...(facts.account.bank_name ? { bank_name: facts.account.bank_name } : {}),
      account_name: facts.account.name,
      account_number: facts.account.number,
    },
  });
  return save(ctx, {
    ...a,
    state: 'APPLYMENT_STATE_FINISHED',
    sub_mchid: m.sub_mchid,
    audit_detail: [],
    account_validation: undefined,
    legal_validation_url: undefined,
  });
}

function toBeSigned(ctx: SandboxContext, a: ApplymentDoc): ApplymentDoc {
  return save(ctx, {
    ...a,
    state: 'APPLYMENT_STATE_TO_BE_SIGNED',
    audit_detail: [],
    account_validation: undefined,
    legal_validation_url: undefined,
    sign_url: `${ctx.baseUrl}/sandbox/applyments/${a.applyment_id}/sign`,
  });
}

function toBeConfirmed(ctx: SandboxContext, a: ApplymentDoc): ApplymentDoc {
  const facts = merchantFacts(decrypted(ctx, a.body));
  return save(ctx, {
    ...a,
    state: 'APPLYMENT_STATE_TO_BE_CONFIRMED',
    audit_detail: [],
    legal_validation_url: `${ctx.baseUrl}/sandbox/applyments/${a.applyment_id}/confirm`,
    account_validation: {
      account_name: facts.account.name.replace(/^(.).*$/u, '$1**'),
      pay_amount: 1 + (a.applyment_id % 99),
      destination_account_number: '7222223333322332',
      destination_account_name: '财付通支付科技有限公司',
      destination_account_bank: '招商银行威盛大厦支行',
      city: '深圳',
      remark: `${a.applyment_id % 1_000_000}`.padStart(6, '0'),
      deadline: rfc3339(new Date(ctx.now().getTime() + 7 * 86400_000)),
    },
  });
}

/** The automatic review, when it falls due. */
export function advanceApplyment(ctx: SandboxContext, code: string): void {
  const a = ctx.state.get<ApplymentDoc>('applyment', code);
  if (!a) return;
  if (a.state === 'APPLYMENT_STATE_SIGNING') {
    finish(ctx, a);
    return;
  }
  if (a.state !== 'APPLYMENT_STATE_AUDITING') return void save(ctx, a);
  const problems = review(ctx, decrypted(ctx, a.body));
  if (problems.length) return void save(ctx, { ...a, state: 'APPLYMENT_STATE_REJECTED', audit_detail: problems });
  if (ctx.approveTo === 'TO_BE_SIGNED') return void toBeSigned(ctx, a);
  if (ctx.approveTo === 'TO_BE_CONFIRMED') return void toBeConfirmed(ctx, a);
  finish(ctx, a);
}

// ---- sandbox-only outcomes ---------------------------------------------------------------

export type ForcedOutcome =
  | { outcome: 'approve' }
  | { outcome: 'reject'; audit_detail: Array<{ field: string; field_name?: string; reject_reason: string }> }
  | { outcome: 'require-confirmation' }
  | { outcome: 'require-signing' }
  | { outcome: 'cancel' };

const forcedSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('approve') }),
  z.object({
    outcome: z.literal('reject'),
    audit_detail: z
      .array(
        z.object({ field: z.string().min(1), field_name: z.string().optional(), reject_reason: z.string().min(1) }),
      )
      .min(1),
  }),
  z.object({ outcome: z.literal('require-confirmation') }),
  z.object({ outcome: z.literal('require-signing') }),
  z.object({ outcome: z.literal('cancel') }),
]);

export function forceApplyment(ctx: SandboxContext, businessCode: string, raw: ForcedOutcome): WxApplymentStatus {
  const f = parse(forcedSchema, raw);
  const a = load(ctx, businessCode);
  if (FINAL.includes(a.state)) throw wx.invalid(`申请单已${STATE_MSG[a.state]}`);
  switch (f.outcome) {
    case 'approve':
      return applymentWire(finish(ctx, a));
    case 'reject':
      return applymentWire(
        save(ctx, {
          ...a,
          state: 'APPLYMENT_STATE_REJECTED',
          audit_detail: f.audit_detail.map((d) => ({
            field: d.field,
            field_name: d.field_name ?? d.field,
            reject_reason: d.reject_reason,
          })),
        }),
      );
    case 'require-confirmation':
      return applymentWire(toBeConfirmed(ctx, a));
    case 'require-signing':
      return applymentWire(toBeSigned(ctx, a));
    case 'cancel':
      return applymentWire(save(ctx, { ...a, state: 'APPLYMENT_STATE_CANCELED' }));
  }
}

/** The legal person / account holder completes the verification: on to signing. */
export function confirmApplyment(ctx: SandboxContext, applymentId: string): ApplymentDoc {
  const a = byApplymentId(ctx, applymentId);
  if (a.state !== 'APPLYMENT_STATE_TO_BE_CONFIRMED') throw wx.invalid(`申请单${STATE_MSG[a.state]}，无需账户验证`);
  return toBeSigned(ctx, a);
}

/** The super administrator signs: SIGNING, then FINISHED after signingMs. */
export function signApplyment(ctx: SandboxContext, applymentId: string): ApplymentDoc {
  const a = byApplymentId(ctx, applymentId);
  if (a.state !== 'APPLYMENT_STATE_TO_BE_SIGNED') throw wx.invalid(`申请单${STATE_MSG[a.state]}，不能签约`);
  return save(ctx, { ...a, state: 'APPLYMENT_STATE_SIGNING' }, ctx.after(ctx.delays.signingMs));
}

// ---- routes -----------------------------------------------------------------------------------

function statusPage(a: ApplymentDoc, action: 'sign' | 'confirm', done?: string): string {
  const name = String(
    ((a.body.business_info as Record<string, unknown> | undefined)?.merchant_shortname as string | undefined) ??
      a.business_code,
  );
  const can =
    action === 'sign' ? a.state === 'APPLYMENT_STATE_TO_BE_SIGNED' : a.state === 'APPLYMENT_STATE_TO_BE_CONFIRMED';
  const label = action === 'sign' ? 'Sign the agreement (签约)' : 'Confirm the account (账户验证)';
  return page(
    action === 'sign' ? 'WeChat Pay sandbox: sign' : 'WeChat Pay sandbox: confirm',
    `<h1>${escapeHtml(name)}</h1>
     <p>Application ${a.applyment_id} (${escapeHtml(a.business_code)}): <b id="state">${escapeHtml(a.state)}</b> ${escapeHtml(STATE_MSG[a.state])}</p>
     ${done ? `<p class="ok">${escapeHtml(done)}</p>` : ''}
     ${can ? `<form method="post"><button id="go" type="submit">${label}</button></form>` : ''}`,
  );
}

export function applymentRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  ctx.advancers.set('applyment', advanceApplyment);
  // The sign/confirm pages post plain HTML forms.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, _body, done) =>
    done(null, {}),
  );

  app.post('/v3/applyment4sub/applyment/', async (request: FastifyRequest) => {
    requirePlatformSerial(ctx, request);
    if (typeof request.body !== 'object' || request.body === null) throw wx.param('请求体必填');
    return submitApplyment(ctx, request.body as Record<string, unknown>);
  });
  app.get<{ Params: { code: string } }>('/v3/applyment4sub/applyment/business_code/:code', async (request) =>
    applymentWire(load(ctx, request.params.code)),
  );
  app.get<{ Params: { id: string } }>('/v3/applyment4sub/applyment/applyment_id/:id', async (request) =>
    applymentWire(byApplymentId(ctx, request.params.id)),
  );

  // :ref is the business_code here and the applyment_id on the pages (one parameter name per position).
  app.post<{ Params: { ref: string } }>('/sandbox/applyments/:ref/outcome', async (request) =>
    forceApplyment(ctx, request.params.ref, request.body as ForcedOutcome),
  );
  app.get<{ Params: { ref: string } }>('/sandbox/applyments/:ref', async (request) =>
    applymentWire(load(ctx, request.params.ref)),
  );

  for (const action of ['sign', 'confirm'] as const) {
    app.get<{ Params: { ref: string } }>(`/sandbox/applyments/:ref/${action}`, async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(statusPage(byApplymentId(ctx, request.params.ref), action)),
    );
    app.post<{ Params: { ref: string } }>(`/sandbox/applyments/:ref/${action}`, async (request, reply) => {
      const a = action === 'sign' ? signApplyment(ctx, request.params.ref) : confirmApplyment(ctx, request.params.ref);
      const accept = request.headers.accept ?? '';
      if (!accept.includes('text/html')) return applymentWire(a);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          statusPage(
            a,
            action,
            action === 'sign' ? 'Signed. Permissions are being opened.' : 'Account verified. Next: sign.',
          ),
        );
    });
  }
}
