// What the console's buttons do. Each acts where WeChat would, through the
// same paths the app and WeChat use: the sandbox's own operations (the ones
// its /sandbox HTTP endpoints call), then, where WeChat would not tell the
// app, the job that asks it (through runJob), so the page shows what the app
// will see. Each answers with the flash message shown after the redirect.
import { beijingDate, beijingDateTime, beijingMidnight, addDays } from '../../../miniprogram/shared/beijing';
import { AppError } from '../../core/errors';
import type { OrderDoc } from '../../core/domain/order';
import type { RefundDoc } from '../../core/domain/refund';
import type { BankChangeDoc, WithdrawalDoc } from '../../core/funds/docs';
import { settleDueOrders } from '../../core/funds/settlement';
import type { ApplicationDoc } from '../../core/onboarding/application-doc';
import { jobs } from '../../jobs/registry';
import type { ApplymentDoc, ForcedOutcome } from '../sandbox/applyment';
import { WxError } from '../sandbox/errors';
import { orderKey } from '../sandbox/payments';
import type { JobRun } from '../timers';
import type { ConsoleEnv } from './context';
import { fmt, type Lang, type Messages } from './i18n';
import { type StateKind, stateLabel } from './states';
import type { Flash } from './pages';
import { fieldName } from './review-fields';

/** A form the console itself would never send. */
export class BadForm extends Error {}

interface ActionCtx {
  env: ConsoleEnv;
  form: URLSearchParams;
  m: Messages;
  lang: Lang;
}

type Action = (a: ActionCtx) => Promise<Flash>;

function field(form: URLSearchParams, name: string): string {
  const value = form.get(name)?.trim();
  if (!value) throw new BadForm(`${name} is missing`);
  return value;
}

function oneOf<T extends string>(form: URLSearchParams, name: string, allowed: readonly T[]): T {
  const value = field(form, name);
  if (!(allowed as readonly string[]).includes(value))
    throw new BadForm(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const label = (a: ActionCtx, kind: StateKind, state: string | undefined) =>
  state ? stateLabel(a.lang, kind, state).label : '-';

/** A job's result in one short line. */
function summary(run: JobRun): string {
  const text = JSON.stringify(run.result) ?? '';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The newest notification about `ref` and how its delivery went. */
function delivery(a: ActionCtx, ref: string): { delivery: string; delivered: string } {
  const d = a.env.sandbox.deliveries({ ref, limit: 1 })[0];
  return d ? { delivery: d.id, delivered: label(a, 'delivery', d.state) } : { delivery: '-', delivered: '-' };
}

const applyment: Action = async (a) => {
  const { env, form } = a;
  const code = field(form, 'business_code');
  const outcome = oneOf(form, 'outcome', [
    'approve',
    'reject',
    'require-confirmation',
    'require-signing',
    'confirm',
    'sign',
  ] as const);
  if (outcome === 'confirm' || outcome === 'sign') {
    // The legal person's verification and the super admin's signature, on WeChat's pages.
    const doc = env.sandbox.ctx.read<ApplymentDoc>('applyment', code);
    if (!doc) throw new BadForm(`no applyment ${code}`);
    const id = String(doc.applyment_id);
    if (outcome === 'confirm') env.sandbox.confirmApplyment(id);
    else env.sandbox.signApplyment(id);
  } else if (outcome === 'reject') {
    const audit_detail = [1, 2, 3]
      .map((n) => ({ field: form.get(`field${n}`)?.trim() ?? '', reject_reason: form.get(`reason${n}`)?.trim() ?? '' }))
      .filter((d) => d.field && d.reject_reason)
      .map((d) => ({ ...d, field_name: fieldName(d.field) }));
    if (audit_detail.length === 0) throw new BadForm('a rejection needs a field and its reason');
    env.sandbox.forceApplyment(code, { outcome: 'reject', audit_detail });
  } else {
    env.sandbox.forceApplyment(code, { outcome } as ForcedOutcome);
  }
  const run = await env.jobs.run('pollApplications', 'console');
  const app = await env.deps.store.get<ApplicationDoc>('applications', code);
  return {
    ok: !run.failed,
    text: fmt(a.m.flashApplyment, { id: code, state: label(a, 'application', app?.state), result: summary(run) }),
  };
};

const pay: Action = async (a) => {
  const { env, form } = a;
  const id = field(form, 'order');
  const result = oneOf(form, 'result', ['SUCCESS', 'FAIL'] as const);
  const order = await env.deps.store.get<OrderDoc>('orders', id);
  if (!order?.prepay) throw new BadForm(`order ${id} has no prepay to pay`);
  // What POST /sandbox/pay does with a bare prepay_id (the buyer at the payment sheet).
  const paid = env.sandbox.pay({ prepay_id: order.prepay.prepayId, result });
  if (result === 'FAIL')
    return { ok: true, text: fmt(a.m.flashPayFailed, { id, state: label(a, 'trade', paid.trade_state) }) };
  // Sends the TRANSACTION.SUCCESS notification now and waits for payNotify's answer.
  await env.sandbox.flush();
  const after = await env.deps.store.get<OrderDoc>('orders', id);
  return {
    ok: after?.state === 'PAID',
    text: fmt(a.m.flashPaid, {
      id,
      state: label(a, 'order', after?.state),
      ...delivery(a, `order:${orderKey(order.subMchid, id)}`),
    }),
  };
};

const refund: Action = async (a) => {
  const { env, form } = a;
  const id = field(form, 'refund');
  const status = oneOf(form, 'status', ['SUCCESS', 'ABNORMAL', 'CLOSED'] as const);
  const doc = await env.deps.store.get<RefundDoc>('refunds', id);
  if (!doc) throw new BadForm(`no refund ${id}`);
  env.sandbox.forceRefund(id, status, doc.subMchid);
  await env.sandbox.flush();
  const after = await env.deps.store.get<RefundDoc>('refunds', id);
  return {
    ok: after?.state === status,
    text: fmt(a.m.flashRefund, {
      id,
      state: label(a, 'refund', after?.state),
      ...delivery(a, `refund:${orderKey(doc.subMchid, id)}`),
    }),
  };
};

const withdraw: Action = async (a) => {
  const { env, form } = a;
  const id = field(form, 'withdrawal');
  const status = oneOf(form, 'status', ['SUCCESS', 'FAIL', 'REFUND'] as const);
  const doc = await env.deps.store.get<WithdrawalDoc>('withdrawals', id);
  if (!doc?.withdrawId) throw new BadForm(`withdrawal ${id} has not reached WeChat Pay`);
  env.sandbox.forceWithdraw(doc.withdrawId, status);
  const run = await env.jobs.run('pollWithdrawals', 'console');
  const after = await env.deps.store.get<WithdrawalDoc>('withdrawals', id);
  return {
    ok: !run.failed,
    text: fmt(a.m.flashWithdraw, { id, state: label(a, 'withdrawal', after?.state), result: summary(run) }),
  };
};

const bankChange: Action = async (a) => {
  const { env, form } = a;
  const id = field(form, 'change');
  const result = oneOf(form, 'result', ['AUDIT_SUCCESS', 'AUDIT_FAIL'] as const);
  const doc = await env.deps.store.get<BankChangeDoc>('bankChanges', id);
  if (!doc?.applicationNo) throw new BadForm(`bank change ${id} has not reached WeChat Pay`);
  env.sandbox.forceSettlement(doc.applicationNo, result, form.get('reason')?.trim() || undefined);
  const run = await env.jobs.run('pollBankChanges', 'console');
  const after = await env.deps.store.get<BankChangeDoc>('bankChanges', id);
  return {
    ok: !run.failed,
    text: fmt(a.m.flashBankChange, { id, state: label(a, 'bankChange', after?.state), result: summary(run) }),
  };
};

const jobFlash = (a: ActionCtx, run: JobRun): Flash => ({
  ok: !run.failed,
  text: fmt(a.m.flashJob, { job: run.note ? `${run.job} ${run.note}` : run.job, ms: run.ms, result: summary(run) }),
});

const job: Action = async (a) => {
  const name = oneOf(a.form, 'job', Object.keys(jobs));
  return jobFlash(a, await a.env.jobs.run(name, 'console'));
};

/** The settle job's use case with a zero-day period: every paid order settles now. */
const settle: Action = async (a) =>
  jobFlash(
    a,
    await a.env.jobs.record('settle', 'console', () => settleDueOrders(a.env.deps, { settlementDays: 0 }), 'T+0'),
  );

const HOUR = 3_600_000;

const clock: Action = async (a) => {
  const { env } = a;
  const by = oneOf(a.form, 'by', ['hour', 'day', 'bills'] as const);
  const now = env.clock.now();
  // "bills": 10:05 tomorrow in Beijing, when WeChat Pay's bill of today can be downloaded.
  const ms =
    by === 'hour'
      ? HOUR
      : by === 'day'
        ? 24 * HOUR
        : beijingMidnight(addDays(beijingDate(now), 1)).getTime() + 10 * HOUR + 5 * 60_000 - now.getTime();
  const moved = env.clock.advance(ms);
  const handled = await env.sandbox.flush();
  return { ok: true, text: fmt(a.m.flashClock, { now: beijingDateTime(moved), handled }) };
};

const tick: Action = async (a) => ({
  ok: true,
  text: fmt(a.m.flashTick, { handled: await a.env.sandbox.flush() }),
});

/** A platform certificate change, as WeChat makes one: the new in effect now, the old valid 24 hours more. */
const certificate: Action = async (a) => ({
  ok: true,
  text: fmt(a.m.flashCertificate, { serial: (await a.env.sandbox.rotateCertificate()).serial_no }),
});

export const ACTIONS: Record<string, Action> = {
  applyment,
  pay,
  refund,
  withdraw,
  bankChange,
  job,
  settle,
  clock,
  tick,
  certificate,
};

/**
 * Runs one action (undefined: there is no such action). A refusal, by the
 * sandbox, the app's rules or the form, becomes an error flash.
 */
export async function runAction(
  env: ConsoleEnv,
  name: string,
  form: URLSearchParams,
  m: Messages,
  lang: Lang,
): Promise<Flash | undefined> {
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (!action) return undefined;
  try {
    return await action({ env, form, m, lang });
  } catch (err) {
    const known = err instanceof WxError || err instanceof AppError;
    const message = known ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    if (!known && !(err instanceof BadForm) && !(err instanceof RangeError))
      env.deps.log.warn({ action: name, err }, 'console action failed');
    return { ok: false, text: fmt(m.flashFailed, { message }) };
  }
}
