// The transaction export: RFC 4180 CSV with CRLF line ends and a UTF-8 BOM
// (so Excel and WPS open it as UTF-8), amounts as yuan with two decimals
// computed from integer fen by the shared money formatter, times in Beijing
// time, headers and type words in the requester's language (Chinese unless
// asked otherwise), type words from the shared labels the app's lists use.
import { beijingDateTime } from '../../../../miniprogram/shared/beijing';
import { DEFAULT_LANG, type Lang } from '../../../../miniprogram/shared/lang';
import { fenToYuan } from '../../../../miniprogram/shared/money';
import { TYPE_LABELS } from '../../../../miniprogram/shared/transaction-types';
import type { TransactionRow } from './transactions';

export const BOM = '\uFEFF';

export const HEADERS: Record<Lang, string[]> = {
  'zh-CN': [
    '时间（北京时间）',
    '类型',
    '金额（元）',
    '待结算变动',
    '可用余额变动',
    '提现中变动',
    '订单号',
    '退款单号',
    '提现单号',
    '记账流水号',
  ],
  'en-US': [
    'Time (Beijing)',
    'Type',
    'Amount (CNY)',
    'Pending change',
    'Available change',
    'Withdrawing change',
    'Order',
    'Refund',
    'Withdrawal',
    'Entry',
  ],
};

/** Quotes a field when it must; a leading formula character is defused so a cell is never evaluated. */
export function csvField(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-\d+(\.\d+)?$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function transactionsCsv(rows: TransactionRow[], lang: Lang = DEFAULT_LANG): string {
  const types = TYPE_LABELS[lang];
  let out = BOM + line(HEADERS[lang]);
  for (const r of rows) {
    out += line([
      beijingDateTime(new Date(r.at)),
      types[r.type],
      fenToYuan(r.amountFen),
      fenToYuan(r.changes.pendingFen),
      fenToYuan(r.changes.availableFen),
      fenToYuan(r.changes.withdrawingFen),
      r.orderId ?? '',
      r.refundId ?? '',
      r.withdrawalId ?? '',
      r.entryId,
    ]);
  }
  return out;
}
