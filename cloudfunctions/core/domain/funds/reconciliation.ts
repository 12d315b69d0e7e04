// Daily reconciliation: WeChat Pay's trade bill of a day against our ledger.
// The bill is WeChat's CSV: a header row, one row per trade or refund with
// every field prefixed by a backtick (so spreadsheets keep long numbers as
// text), then a summary header and a summary row. Amounts are yuan; they are
// read as text into integer fen, never through a float. Columns are found by
// their header names, so extra or reordered columns do not break the parse.
import { AppError } from '../../errors';

export interface BillTrade {
  tradeTime: string;
  outTradeNo: string;
  transactionId: string;
  /** SUCCESS or REFUND (the ALL bill's two row kinds). */
  tradeState: string;
  /** 应结订单金额: the settled order amount, fen. */
  settledFen: number;
  /** 订单金额 */
  totalFen: number;
  /** 手续费, fen (negative on refund rows: the fee returned). */
  feeFen: number;
  outRefundNo: string;
  refundId: string;
  /** 退款金额 */
  refundFen: number;
  refundStatus: string;
}

export interface BillSummary {
  trades: number;
  settledFen: number;
  refundFen: number;
  feeFen: number;
}

export interface ParsedBill {
  trades: BillTrade[];
  summary: BillSummary | null;
}

const COLUMNS = {
  tradeTime: '交易时间',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  tradeState: '交易状态',
  settledFen: '应结订单金额',
  refundId: '微信退款单号',
  outRefundNo: '商户退款单号',
  refundFen: '退款金额',
  refundStatus: '退款状态',
  feeFen: '手续费',
  totalFen: '订单金额',
} as const;

const SUMMARY = {
  trades: '总交易单数',
  settledFen: '应结订单总金额',
  refundFen: '退款总金额',
  feeFen: '手续费总金额',
} as const;

function badBill(reason: string): AppError {
  return new AppError('FUNDS.BILL_UNREADABLE', `The trade bill could not be read: ${reason}`);
}

/** "`12.34" -> 1234; "`0.60000" -> 60 (digits past the fen must be zero). */
export function yuanToFen(text: string): number {
  const t = text.replace(/^`/, '').trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) throw badBill(`"${text}" is not an amount`);
  const decimals = m[3] ?? '';
  if (/[1-9]/.test(decimals.slice(2))) throw badBill(`"${text}" is not a whole number of fen`);
  const fen = Number(m[2] + decimals.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw badBill(`"${text}" is out of range`);
  return m[1] === '-' && fen !== 0 ? -fen : fen;
}

function cells(line: string): string[] {
  return line.split(',').map((c) => c.replace(/^`/, '').trim());
}

export function parseTradeBill(csv: string): ParsedBill {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return { trades: [], summary: null };
  const header = cells(lines[0]);
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw badBill(`no ${name} column`);
    return i;
  };
  const col = Object.fromEntries(Object.entries(COLUMNS).map(([key, name]) => [key, index(name)])) as Record<
    keyof typeof COLUMNS,
    number
  >;
  const trades: BillTrade[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    if (lines[i].startsWith(SUMMARY.trades)) break;
    const row = cells(lines[i]);
    if (row.length < header.length) throw badBill(`row ${i + 1} has ${row.length} of ${header.length} fields`);
    trades.push({
      tradeTime: row[col.tradeTime],
      transactionId: row[col.transactionId],
      outTradeNo: row[col.outTradeNo],
      tradeState: row[col.tradeState],
      settledFen: yuanToFen(row[col.settledFen]),
      totalFen: yuanToFen(row[col.totalFen]),
      feeFen: yuanToFen(row[col.feeFen]),
      outRefundNo: row[col.outRefundNo] === '0' ? '' : row[col.outRefundNo],
      refundId: row[col.refundId] === '0' ? '' : row[col.refundId],
      refundFen: yuanToFen(row[col.refundFen]),
      refundStatus: row[col.refundStatus],
    });
  }
  let summary: BillSummary | null = null;
  if (i < lines.length - 1) {
    const names = cells(lines[i]);
    const values = cells(lines[i + 1]);
    const at = (name: string) => {
      const k = names.indexOf(name);
      if (k < 0 || values[k] === undefined) throw badBill(`no ${name} in the summary`);
      return values[k];
    };
    const trades = Number(at(SUMMARY.trades));
    if (!Number.isSafeInteger(trades)) throw badBill('the trade count is not a number');
    summary = {
      trades,
      settledFen: yuanToFen(at(SUMMARY.settledFen)),
      refundFen: yuanToFen(at(SUMMARY.refundFen)),
      feeFen: yuanToFen(at(SUMMARY.feeFen)),
    };
  }
  return { trades, summary };
}

// ---- comparison ---------------------------------------------------------------------

/** A paid order of the day as our side knows it: the order and its payment entry. */
export interface LedgerPayment {
  orderId: string;
  /** The order's amount. */
  totalFen: number;
  /** Gross and fee as posted in the journal; null when the payment was never posted. */
  postedFen: number | null;
  postedFeeFen: number | null;
}

/** A refund entry of the day. */
export interface LedgerRefund {
  refundId: string;
  orderId: string;
  refundFen: number;
  feeReturnedFen: number;
}

export type MismatchKind =
  | 'MISSING_IN_LEDGER' // WeChat Pay has a payment we do not
  | 'MISSING_IN_BILL' // we have a paid order WeChat Pay does not
  | 'NOT_POSTED' // the order is paid but its payment never reached the ledger
  | 'AMOUNT_MISMATCH'
  | 'FEE_MISMATCH'
  | 'REFUND_MISSING_IN_LEDGER'
  | 'REFUND_MISSING_IN_BILL'
  | 'REFUND_AMOUNT_MISMATCH'
  | 'REFUND_FEE_MISMATCH' // the fee share a refund gave back differs
  | 'BILL_TOTALS_MISMATCH'; // the bill's summary disagrees with its own rows

export interface Mismatch {
  kind: MismatchKind;
  orderId?: string;
  refundId?: string;
  billFen?: number;
  ledgerFen?: number;
  detail: string;
}

export interface DayComparison {
  billPayments: number;
  billRefunds: number;
  ledgerPayments: number;
  ledgerRefunds: number;
  billPaidFen: number;
  ledgerPaidFen: number;
  mismatches: Mismatch[];
}

export function compareDay(bill: ParsedBill, payments: LedgerPayment[], refunds: LedgerRefund[]): DayComparison {
  const mismatches: Mismatch[] = [];
  const billPayments = bill.trades.filter((t) => t.tradeState !== 'REFUND');
  const billRefunds = bill.trades.filter((t) => t.tradeState === 'REFUND');

  const ours = new Map(payments.map((p) => [p.orderId, p]));
  for (const t of billPayments) {
    const p = ours.get(t.outTradeNo);
    if (!p) {
      mismatches.push({
        kind: 'MISSING_IN_LEDGER',
        orderId: t.outTradeNo,
        billFen: t.totalFen,
        detail: `WeChat Pay has payment ${t.transactionId} that our ledger does not`,
      });
      continue;
    }
    ours.delete(t.outTradeNo);
    if (p.postedFen === null) {
      mismatches.push({
        kind: 'NOT_POSTED',
        orderId: p.orderId,
        billFen: t.totalFen,
        detail: 'The order is paid but its payment was never posted to the ledger',
      });
      continue;
    }
    if (t.totalFen !== p.postedFen || t.totalFen !== p.totalFen) {
      mismatches.push({
        kind: 'AMOUNT_MISMATCH',
        orderId: p.orderId,
        billFen: t.totalFen,
        ledgerFen: p.postedFen,
        detail: 'The paid amount differs',
      });
    }
    if (t.feeFen !== p.postedFeeFen) {
      mismatches.push({
        kind: 'FEE_MISMATCH',
        orderId: p.orderId,
        billFen: t.feeFen,
        ledgerFen: p.postedFeeFen ?? undefined,
        detail: 'The fee differs',
      });
    }
  }
  for (const p of ours.values()) {
    mismatches.push({
      kind: 'MISSING_IN_BILL',
      orderId: p.orderId,
      ledgerFen: p.postedFen ?? p.totalFen,
      detail: "WeChat Pay's bill does not have this paid order",
    });
  }

  const ourRefunds = new Map(refunds.map((r) => [r.refundId, r]));
  for (const t of billRefunds) {
    const r = ourRefunds.get(t.outRefundNo);
    if (!r) {
      mismatches.push({
        kind: 'REFUND_MISSING_IN_LEDGER',
        orderId: t.outTradeNo,
        refundId: t.outRefundNo,
        billFen: t.refundFen,
        detail: `WeChat Pay has refund ${t.refundId} that our ledger does not`,
      });
      continue;
    }
    ourRefunds.delete(t.outRefundNo);
    if (r.refundFen !== t.refundFen) {
      mismatches.push({
        kind: 'REFUND_AMOUNT_MISMATCH',
        orderId: r.orderId,
        refundId: r.refundId,
        billFen: t.refundFen,
        ledgerFen: r.refundFen,
        detail: 'The refunded amount differs',
      });
    }
    // The bill prints the fee returned as a negative fee; the ledger keeps it positive.
    const billFeeReturned = -t.feeFen;
    if (billFeeReturned !== r.feeReturnedFen) {
      mismatches.push({
        kind: 'REFUND_FEE_MISMATCH',
        orderId: r.orderId,
        refundId: r.refundId,
        billFen: billFeeReturned,
        ledgerFen: r.feeReturnedFen,
        detail: 'The fee returned by the refund differs',
      });
    }
  }
  for (const r of ourRefunds.values()) {
    mismatches.push({
      kind: 'REFUND_MISSING_IN_BILL',
      orderId: r.orderId,
      refundId: r.refundId,
      ledgerFen: r.refundFen,
      detail: "WeChat Pay's bill does not have this refund",
    });
  }

  const billPaidFen = billPayments.reduce((s, t) => s + t.totalFen, 0);
  if (bill.summary) {
    const rowsFee = bill.trades.reduce((s, t) => s + t.feeFen, 0);
    const rowsRefund = billRefunds.reduce((s, t) => s + t.refundFen, 0);
    const rowsSettled = bill.trades.reduce((s, t) => s + t.settledFen, 0);
    if (
      bill.summary.trades !== bill.trades.length ||
      bill.summary.feeFen !== rowsFee ||
      bill.summary.refundFen !== rowsRefund ||
      bill.summary.settledFen !== rowsSettled
    ) {
      mismatches.push({
        kind: 'BILL_TOTALS_MISMATCH',
        billFen: bill.summary.settledFen,
        detail: "The bill's summary does not add up to its rows",
      });
    }
  }
  return {
    billPayments: billPayments.length,
    billRefunds: billRefunds.length,
    ledgerPayments: payments.length,
    ledgerRefunds: refunds.length,
    billPaidFen,
    ledgerPaidFen: payments.reduce((s, p) => s + (p.postedFen ?? 0), 0),
    mismatches,
  };
}
