// The overview tab: every registered mini program and how its merchant admin
// is set up; the shown mini program's applications (with their history at
// WeChat Pay, the review's field reasons and the reviewer's buttons) and its
// bound merchant account. Personal data appears only as the app masks it
// (the application through the same viewOf the app's getApplication uses).
import type { ApplicationView } from '../../../typings/onboarding';
import { beijingDateTime } from '../../../miniprogram/shared/beijing';
import { formatFen } from '../../../miniprogram/shared/money';
import type { MiniProgramRecord } from '../../core/config';
import { maskMchid } from '../../core/domain/mask';
import type { BankAccountDoc } from '../../core/funds/docs';
import { accountView } from '../../core/funds/views';
import type { MerchantDoc } from '../../core/merchants/merchant';
import { type ApplicationDoc, viewOf } from '../../core/onboarding/application-doc';
import type { AdminDoc } from '../../core/runtime/roles';
import type { ApplymentDoc } from '../sandbox/applyment';
import { type PageCtx, pageUrl } from './context';
import { fmt } from './i18n';
import { reviewFields } from './review-fields';
import {
  actionForm,
  actions,
  code,
  facts,
  fen,
  type Html,
  html,
  nothing,
  section,
  stateTag,
  table,
  time,
} from './views';

/** Openids shown as the app shows a buyer's to the merchant: o_bu…0001. */
export function maskOpenid(openid: string): string {
  return openid.length <= 8 ? '****' : `${openid.slice(0, 4)}…${openid.slice(-4)}`;
}

export async function overviewTab(ctx: PageCtx): Promise<Html> {
  const record = ctx.env.deps.config.miniPrograms[ctx.appid];
  return html`${await miniPrograms(ctx)}${await applications(ctx, record)}${await merchant(ctx)}`;
}

async function adminSetup(ctx: PageCtx, record: MiniProgramRecord): Promise<string> {
  const { m } = ctx;
  const { config, store } = ctx.env.deps;
  if (record.admins.length > 0)
    return fmt(m.adminConfigured, { n: record.admins.length, who: record.admins.map(maskOpenid).join(', ') });
  const claimed = await store.get<AdminDoc>('admins', record.appid);
  if (claimed) return fmt(m.adminClaimed, { who: maskOpenid(claimed.openid), at: when(claimed.claimedAt) });
  if (record.setupCode) return fmt(m.adminSetupCode, { code: record.setupCode });
  return fmt(m.adminDisabled, { why: config.setupCodeProblems[record.appid] ?? '-' });
}

async function miniPrograms(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const rows: Html[][] = [];
  for (const record of Object.values(ctx.env.deps.config.miniPrograms)) {
    const bound = await ctx.env.deps.store.get<MerchantDoc>('merchants', record.appid);
    const thirdParty = record.serveThirdPartyPlatform ? m.thirdPartyServed : m.thirdParty;
    const flags = [
      record.thirdPartyPlatform || record.serveThirdPartyPlatform ? thirdParty : '',
      record.entity.domestic ? '' : m.notDomestic,
    ]
      .filter(Boolean)
      .join(' · ');
    const existing = record.existingMerchant;
    rows.push([
      html`${record.name}${flags ? html` <span class="tag bad">${flags}</span>` : nothing}`,
      code(record.appid),
      html`${record.entity.name}<br><code>${record.entity.creditCode}</code>`,
      html`${await adminSetup(ctx, record)}`,
      bound
        ? html`${bound.name} <code>${maskMchid(bound.subMchid)}</code>`
        : existing
          ? html`${fmt(m.existingMerchant, {
              mchid: maskMchid(existing.mchid),
              rate: `${existing.feeRatePpm / 10_000}%`,
              connection: existing.connection,
            })}`
          : html`<span class="muted">-</span>`,
      record.appid === ctx.appid
        ? html`<span class="muted">${m.showing}</span>`
        : html`<a href="${pageUrl('overview', record.appid, ctx.lang)}">${m.show}</a>`,
    ]);
  }
  return section(
    'mini-programs',
    m.secMiniPrograms,
    table([m.colName, 'AppID', m.colEntity, m.colAdmin, m.colMerchant, ''], rows, m.none),
  );
}

async function applications(ctx: PageCtx, record: MiniProgramRecord): Promise<Html> {
  const { deps, sandbox } = ctx.env;
  const page = await deps.store.find<ApplicationDoc>('applications', {
    where: { appid: ctx.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 10,
  });
  const cards: Html[] = [];
  for (const doc of page.items) {
    const view = await viewOf(deps, doc, record);
    // What GET /sandbox/applyments/<business_code> answers (due transitions applied first).
    const remote = sandbox.ctx.read<ApplymentDoc>('applyment', doc._id);
    cards.push(applicationCard(ctx, doc, view, remote));
  }
  return section(
    'applications',
    ctx.m.secApplications,
    cards.length ? cards : html`<p class="empty">${ctx.m.none}</p>`,
    ctx.m.appNote,
  );
}

function applicationCard(ctx: PageCtx, doc: ApplicationDoc, view: ApplicationView, remote: ApplymentDoc | null): Html {
  const { m } = ctx;
  const remoteState = remote?.state.replace(/^APPLYMENT_STATE_/, '');
  const v = view.review.accountValidation;
  return html`<article class="card" data-application="${doc._id}">
<h3>${fmt(m.application, { id: doc._id })} ${stateTag(ctx, 'application', view.state)}</h3>
${facts([
  [m.merchantType, stateTag(ctx, 'merchantType', view.merchantType)],
  [
    m.atWechat,
    remoteState ? stateTag(ctx, 'application', remoteState) : html`<span class="muted">${m.notAtWechat}</span>`,
  ],
  [m.applymentId, code(doc.applymentId ?? remote?.applyment_id)],
  [m.created, time(view.createdAt)],
  [m.submitted, time(view.submittedAt)],
  [m.checked, time(view.review.checkedAt)],
])}
${history(ctx, doc)}
${view.review.rejected.length ? rejected(ctx, view) : nothing}
${signLink(ctx, view.review.signUrl)}
${v ? html`<p>${fmt(m.accountValidation, { amount: formatFen(v.payAmountFen), account: v.destinationAccountNumber, deadline: when(v.deadline) })}</p>` : nothing}
${reviewer(ctx, doc, remote)}
<details><summary>${m.stepsMasked}</summary>${steps(view)}</details>
</article>`;
}

/** A time from WeChat in Beijing time, or as given when it does not parse. */
function when(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : beijingDateTime(at);
}

/** WeChat's signing page (only an http(s) link is ever made a link). */
function signLink(ctx: PageCtx, url: string | undefined): Html {
  if (!url) return nothing;
  return /^https?:\/\//.test(url)
    ? html`<p>${ctx.m.signUrl}: <a href="${url}">${url}</a></p>`
    : html`<p>${ctx.m.signUrl}: <code>${url}</code></p>`;
}

function history(ctx: PageCtx, doc: ApplicationDoc): Html {
  const { m } = ctx;
  const items: Array<{ at: string; what: Html }> = [{ at: doc.createdAt, what: html`${m.created}` }];
  if (doc.submittedAt) items.push({ at: doc.submittedAt, what: html`${m.submitted}` });
  for (const e of ctx.env.events.applyment(doc._id))
    items.push({
      at: e.at,
      what: html`${m.atWechat}: ${stateTag(ctx, 'application', e.state.replace(/^APPLYMENT_STATE_/, ''))}`,
    });
  if (doc.boundAt) items.push({ at: doc.boundAt, what: html`${m.bound}` });
  items.sort((a, b) => a.at.localeCompare(b.at));
  return html`<div class="history"><h4>${m.history}</h4><ol>${items.map(
    (i) => html`<li>${time(i.at)} ${i.what}</li>`,
  )}</ol><p class="note">${m.historyNote}</p></div>`;
}

function rejected(ctx: PageCtx, view: ApplicationView): Html {
  const { m } = ctx;
  return html`<h4>${m.rejected}</h4>${table(
    [m.colField, m.colReason, m.colFormField, m.colFixed],
    view.review.rejected.map((r) => [
      html`${r.label}<br><code>${r.wechatField}</code>`,
      html`<span class="reason">${r.reason}</span>`,
      code(r.formField),
      html`${r.fixed ? m.yes : m.no}`,
    ]),
    m.none,
  )}`;
}

/** The reviewer's buttons for the state the application is in at WeChat Pay. */
function reviewer(ctx: PageCtx, doc: ApplicationDoc, remote: ApplymentDoc | null): Html {
  if (!remote) return nothing;
  const { m } = ctx;
  const at = { business_code: doc._id, at: 'applications' };
  const approve = actionForm(ctx, 'applyment', { ...at, outcome: 'approve' }, m.approve, { tone: 'primary' });
  const rejectForm = rejectWith(ctx, doc, at);
  switch (remote.state) {
    case 'APPLYMENT_STATE_AUDITING':
      return actions([
        approve,
        actionForm(ctx, 'applyment', { ...at, outcome: 'require-confirmation' }, m.requireConfirmation),
        actionForm(ctx, 'applyment', { ...at, outcome: 'require-signing' }, m.requireSigning),
        rejectForm,
      ]);
    case 'APPLYMENT_STATE_TO_BE_CONFIRMED':
      return actions([
        actionForm(ctx, 'applyment', { ...at, outcome: 'confirm' }, m.confirmAccount, { tone: 'primary' }),
        rejectForm,
      ]);
    case 'APPLYMENT_STATE_TO_BE_SIGNED':
      return actions([
        actionForm(ctx, 'applyment', { ...at, outcome: 'sign' }, m.sign, { tone: 'primary' }),
        rejectForm,
      ]);
    case 'APPLYMENT_STATE_SIGNING':
      return actions([approve]);
    default:
      return nothing;
  }
}

function rejectWith(ctx: PageCtx, doc: ApplicationDoc, at: Record<string, string>): Html {
  const { m } = ctx;
  const fields = reviewFields(doc.merchantType);
  const row = (n: number, required: boolean) =>
    html`<label>${m.rejectField} ${n}<select name="field${n}"${required ? html` required` : nothing}>${
      required ? nothing : html`<option value="">-</option>`
    }${fields.map((f) => html`<option value="${f.path}">${ctx.lang === 'en-US' ? `${f.en} (${f.zh})` : f.zh}</option>`)}</select></label>
<label>${m.rejectReason} ${n}<input name="reason${n}" maxlength="200" placeholder="${m.rejectPlaceholder}"${required ? html` required` : nothing}></label>`;
  return actionForm(ctx, 'applyment', { ...at, outcome: 'reject' }, m.reject, {
    tone: 'danger',
    inputs: html`<div class="reject">${row(1, true)}${row(2, false)}</div>`,
  });
}

function steps(view: ApplicationView): Html {
  const rows: Html[][] = [];
  for (const [step, values] of Object.entries(view.steps))
    for (const [field, value] of Object.entries(values as Record<string, unknown>))
      if (value !== undefined && value !== '') rows.push([code(`${step}.${field}`), html`${String(value)}`]);
  return table(['', ''], rows, '-');
}

async function merchant(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const { deps, sandbox } = ctx.env;
  const bound = await deps.store.get<MerchantDoc>('merchants', ctx.appid);
  if (!bound) return section('merchant', m.secMerchant, html`<p class="empty">${m.notBound}</p>`);
  const account = (await deps.store.get<BankAccountDoc>('bankAccounts', ctx.appid))?.current;
  const shown = account ? accountView(account) : null;
  return section(
    'merchant',
    m.secMerchant,
    facts([
      [m.colName, bound.name],
      [m.subMchid, code(maskMchid(bound.subMchid))],
      [
        m.merchantType,
        bound.merchantType ? stateTag(ctx, 'merchantType', bound.merchantType) : code(bound.subjectType),
      ],
      [m.subjectType, code(bound.subjectType)],
      [m.feeRate, `${bound.feeRatePpm / 10_000}%`],
      [m.settlementRule, code(bound.settlementId)],
      [m.connection, code(bound.connection)],
      [m.boundAt, time(bound.boundAt)],
      [
        m.settlementAccount,
        shown ? `${shown.bankName ?? shown.accountBank} ${shown.accountNumber} ${shown.accountName}` : m.noAccount,
      ],
      // What GET /sandbox/sub-merchants/<sub_mchid> reports.
      [m.wechatBalance, fen(sandbox.balance(bound.subMchid))],
    ]),
  );
}
