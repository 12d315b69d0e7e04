// The funds tab: the ledger (every account's balance, the self-check, the
// latest journal entries), settlement, withdrawals (with the bank's
// buttons), the settlement bank account and its change requests (with the
// reviewer's buttons) and reconciliation. Withdrawals, accounts and changes
// go through the app's own views, so bank numbers and names appear masked
// exactly as the app shows them, and sealed values never leave the store.
import { settlementDaysFrom } from '../../core/domain/funds/settlement';
import { accountKeyOf } from '../../core/domain/ledger';
import type { BankAccountDoc, BankChangeDoc, ReconciliationDoc, WithdrawalDoc } from '../../core/funds/docs';
import { accountView, bankChangeView, reconciliationDetail, withdrawalView } from '../../core/funds/views';
import type { OrderDoc } from '../../core/domain/order';
import type { BalanceDoc, JournalDoc } from '../../core/ledger/book';
import { verifyLedger } from '../../core/ledger/verify';
import type { SettlementChangeDoc } from '../sandbox/settlement';
import type { WithdrawDoc } from '../sandbox/withdraw';
import type { PageCtx } from './context';
import { fmt } from './i18n';
import {
  actionForm,
  actions,
  code,
  facts,
  fen,
  type Html,
  html,
  nothing,
  remoteTag,
  section,
  stateTag,
  table,
  time,
} from './views';

export async function fundsTab(ctx: PageCtx): Promise<Html> {
  return html`${await ledger(ctx)}${await settlement(ctx)}${await withdrawals(ctx)}${await bankAccount(ctx)}${await reconciliation(ctx)}`;
}

function accountName(ctx: PageCtx, account: string): Html {
  const key = accountKeyOf(ctx.appid, account);
  return key ? html`${stateTag(ctx, 'account', key)} <code>${account}</code>` : code(account);
}

async function ledger(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const { store } = ctx.env.deps;
  const balances = await store.find<BalanceDoc>('balances', { where: { appid: ctx.appid }, limit: 20 });
  const check = await verifyLedger(store, ctx.appid);
  const journal = await store.find<JournalDoc>('journal', {
    where: { appid: ctx.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 15,
  });
  const problems = [...check.unbalancedEntries, ...check.differences.map((d) => d.account)].join(', ');
  return section(
    'ledger',
    m.secLedger,
    html`${table(
      [m.colAccount, m.colBalance, m.updated],
      balances.items.map((b) => [accountName(ctx, b._id), fen(b.balanceFen), time(b.updatedAt)]),
      m.none,
    )}
<p class="check">${m.ledgerCheck}: ${
      check.ok
        ? html`<span class="tag ok">${fmt(m.ledgerOk, { entries: check.entries, accounts: check.accounts })}</span>`
        : html`<span class="tag bad">${fmt(m.ledgerBad, { problems })}</span>`
    }</p>
<h3>${m.journal}</h3>${table(
      [m.colTime, m.colKind, m.colPostings, m.colRef],
      journal.items.map((e) => [
        time(e.createdAt),
        stateTag(ctx, 'entry', e.kind),
        html`<ul class="postings">${e.postings.map((p) => html`<li>${accountName(ctx, p.account)} ${fen(p.amountFen, true)}</li>`)}</ul>`,
        html`${Object.entries(e.ref).map(([k, v]) => html`<div>${k}: <code>${v}</code></div>`)}${e.memo ? html`<div class="muted">${e.memo}</div>` : nothing}`,
      ]),
      m.none,
    )}`,
  );
}

async function settlement(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  // The latest paid orders (a paidAt range, so the index on appid and paidAt serves it).
  const paid = await ctx.env.deps.store.find<OrderDoc>('orders', {
    where: { appid: ctx.appid, paidAt: { $gt: '' } },
    orderBy: [['paidAt', 'desc']],
    limit: 10,
  });
  return section(
    'settlement',
    m.secSettlement,
    html`${actions([actionForm(ctx, 'settle', { at: 'settlement' }, m.settleNow, { tone: 'primary' })])}${table(
      [m.colOrder, m.colTotal, m.colFee, m.colPaid, m.colSettlement, m.colSettled],
      paid.items.map((o) => [
        code(o._id),
        fen(o.totalFen),
        fen(o.feeFen),
        time(o.paidAt),
        stateTag(ctx, 'settlement', o.settlementState),
        time(typeof o.settledAt === 'string' ? o.settledAt : null),
      ]),
      m.none,
    )}`,
    fmt(m.settlementNote, { days: settlementDays() }),
  );
}

/** T+N as the settle job reads it (a bad PMS_SETTLEMENT_DAYS shows as written: the job reports it). */
function settlementDays(): string {
  try {
    return String(settlementDaysFrom(process.env));
  } catch {
    return `? (PMS_SETTLEMENT_DAYS=${process.env.PMS_SETTLEMENT_DAYS})`;
  }
}

/** The withdrawal as the sandbox bank holds it (what WeChat's query by withdraw_id answers). */
function atBank(ctx: PageCtx, withdrawId: string | undefined): WithdrawDoc | null {
  const { state } = ctx.env.sandbox.ctx;
  const alias = withdrawId ? state.get<{ key: string }>('withdraw_id', withdrawId) : null;
  return alias ? state.get<WithdrawDoc>('withdraw', alias.key) : null;
}

async function withdrawals(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const page = await ctx.env.deps.store.find<WithdrawalDoc>('withdrawals', {
    where: { appid: ctx.appid },
    orderBy: [['createdAt', 'desc']],
    limit: 20,
  });
  const rows = page.items.map((doc) => {
    const w = withdrawalView(doc);
    const bank = atBank(ctx, doc.withdrawId);
    const force = (status: string, label: string, tone: 'primary' | 'danger' | 'plain' = 'plain') =>
      actionForm(ctx, 'withdraw', { withdrawal: doc._id, status, at: 'withdrawals' }, label, { tone });
    const buttons =
      bank?.status === 'CREATE_SUCCESS'
        ? [force('SUCCESS', m.bankSuccess, 'primary'), force('FAIL', m.bankFail, 'danger')]
        : bank?.status === 'SUCCESS'
          ? [force('REFUND', m.bankReturn, 'danger')]
          : [];
    return [
      code(w.id),
      fen(w.amountFen),
      html`${stateTag(ctx, 'withdrawal', w.state)}${bank ? remoteTag(ctx, 'wxWithdraw', bank.status) : nothing}`,
      html`${w.bankName ?? ''} ${w.bankAccount ?? ''}`,
      time(w.createdAt),
      time(w.confirmedAt),
      time(w.finishedAt),
      html`<span class="reason">${w.reason ?? ''}</span>`,
      actions(buttons),
    ];
  });
  return section(
    'withdrawals',
    m.secWithdrawals,
    table(
      [
        m.colWithdrawal,
        m.colAmount,
        m.state,
        m.colToAccount,
        m.colRequested,
        m.colConfirmed,
        m.colFinished,
        m.colReason,
        m.actionsCol,
      ],
      rows,
      m.none,
    ),
    m.withdrawalsNote,
  );
}

async function bankAccount(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const { store } = ctx.env.deps;
  const doc = await store.get<BankAccountDoc>('bankAccounts', ctx.appid);
  const current = doc?.current ? accountView(doc.current) : null;
  // Every change, newest first: one index arm per state, merged (bankChanges is indexed by state and updatedAt).
  const changes = await store.find<BankChangeDoc>('bankChanges', {
    where: { state: { $in: ['SUBMITTING', 'AUDITING', 'APPROVED', 'REJECTED', 'FAILED', 'UNKNOWN'] } },
    orderBy: [['updatedAt', 'desc']],
    limit: 100,
  });
  const rows = changes.items
    .filter((c) => c.appid === ctx.appid)
    .slice(0, 20)
    .map((c) => {
      const v = bankChangeView(c);
      const wx = c.applicationNo
        ? ctx.env.sandbox.ctx.state.get<SettlementChangeDoc>('settlement', c.applicationNo)
        : null;
      const buttons =
        wx?.verify_result === 'AUDITING'
          ? [
              actionForm(ctx, 'bankChange', { change: c._id, result: 'AUDIT_SUCCESS', at: 'bank' }, m.approveChange, {
                tone: 'primary',
              }),
              actionForm(ctx, 'bankChange', { change: c._id, result: 'AUDIT_FAIL', at: 'bank' }, m.rejectChange, {
                tone: 'danger',
                inputs: html`<input name="reason" maxlength="100" placeholder="${m.rejectPlaceholder}">`,
              }),
            ]
          : [];
      return [
        code(v.id),
        html`${stateTag(ctx, 'bankChange', v.state)}${wx ? remoteTag(ctx, 'wxSettlement', wx.verify_result) : nothing}`,
        html`${v.account.bankName ?? v.account.accountBank} ${v.account.accountNumber} ${v.account.accountName}`,
        time(v.submittedAt),
        time(v.decidedAt),
        html`<span class="reason">${v.reason ?? ''}</span>`,
        actions(buttons),
      ];
    });
  return section(
    'bank',
    m.secBank,
    html`${facts([
      [
        m.inForce,
        current
          ? `${current.bankName ?? current.accountBank} ${current.accountNumber} ${current.accountName}`
          : m.noAccount,
      ],
    ])}<h3>${m.changes}</h3>${table(
      [m.colRequested, m.state, m.colNewAccount, m.submitted, m.colDecided, m.colReason, m.actionsCol],
      rows,
      m.none,
    )}`,
  );
}

async function reconciliation(ctx: PageCtx): Promise<Html> {
  const { m } = ctx;
  const page = await ctx.env.deps.store.find<ReconciliationDoc>('reconciliations', {
    where: { appid: ctx.appid },
    orderBy: [['billDate', 'desc']],
    limit: 14,
  });
  const rows = page.items.map((doc) => {
    const r = reconciliationDetail(doc);
    return [
      code(r.billDate),
      html`${stateTag(ctx, 'reconciliation', r.state)}${r.note ? html`<br><span class="reason">${r.note}</span>` : nothing}`,
      html`${r.billPayments} / ${r.billRefunds}`,
      html`${r.ledgerPayments} / ${r.ledgerRefunds}`,
      fen(r.billPaidFen),
      fen(r.ledgerPaidFen),
      html`${r.mismatchCount}${r.mismatches.length ? html`<ul>${r.mismatches.slice(0, 5).map((x) => html`<li><code>${x.kind}</code> ${x.orderId ?? ''} ${x.detail}</li>`)}</ul>` : nothing}`,
      time(r.checkedAt),
    ];
  });
  return section(
    'reconciliation',
    m.secReconciliation,
    html`${actions([actionForm(ctx, 'job', { job: 'reconcile', at: 'reconciliation' }, m.reconcileNow)])}${table(
      [
        m.colBillDate,
        m.colResult,
        m.colBillCount,
        m.colLedgerCount,
        m.colBillFen,
        m.colLedgerFen,
        m.colMismatches,
        m.colChecked,
      ],
      rows,
      m.none,
    )}`,
    m.reconcileNote,
  );
}
