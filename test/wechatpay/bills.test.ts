// Trade bills: WeChat's CSV (backtick-prefixed fields, yuan, header, rows,
// summary), fees by feeFen at the sub-merchant's rate, availability rules,
// snapshots, and the adapter's hash check.
import { feeFen, refundFeeFen } from '../../cloudfunctions/core/domain/fee';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { BILL_HEADER, SUMMARY_HEADER, yuan } from '../../cloudfunctions/local/sandbox/bills';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID, payError } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;

beforeEach(async () => {
  // 2026-01-05 09:00 Beijing.
  clock = new ManualClock(new Date('2026-01-05T01:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0 });
  // 0.38%: rounding shows up on small amounts.
  sub = t.sandbox.createSubMerchant({ appids: [APPID], settlement_id: '724' }).sub_mchid;
});
afterEach(async () => {
  await t.close();
});

async function pay(outTradeNo: string, totalFen: number, description = 'Tea') {
  const { prepayId } = await t.provider.prepay({
    subMchid: sub,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo,
    description,
    totalFen,
    attach: 'table=7',
    notifyUrl: t.inbox.url,
    expireAt: new Date(clock.now().getTime() + 600_000),
  });
  return t.sandbox.pay({ prepay_id: prepayId });
}

const cells = (line: string) => line.split(',').map((f) => f.replace(/^`/, ''));

test('yuan() formats integer fen exactly', () => {
  expect([yuan(0), yuan(1), yuan(1999), yuan(-12), yuan(6, 5), yuan(-130, 5)]).toEqual([
    '0.00',
    '0.01',
    '19.99',
    '-0.12',
    '0.06000',
    '-1.30000',
  ]);
});

test("a day's bill: payments by success time and refunds by acceptance time, with fees and totals", async () => {
  const a = await pay('T_bill_0001', 1999, 'Oolong, 250g'); // 09:00
  clock.advance(3600_000);
  await pay('T_bill_0002', 131); // 10:00
  clock.advance(3600_000);
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_bill_0001',
    outRefundNo: 'R_bill_01',
    refundFen: 500,
    totalFen: 1999,
    notifyUrl: t.inbox.url,
  }); // 11:00
  clock.set('2026-01-05T16:30:00Z'); // 00:30 on the 6th: the next day
  await pay('T_bill_0003', 5000);
  clock.set('2026-01-06T02:00:00Z'); // 10:00 on the 6th: the 5th's bill is ready

  const csv = await t.provider.tradeBill(sub, '2026-01-05');
  expect(csv).not.toBeNull();
  const lines = csv!.split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toBe(BILL_HEADER);
  expect(lines[4]).toBe(SUMMARY_HEADER);
  expect(lines).toHaveLength(6);
  const [p1, p2, r1] = lines.slice(1, 4).map(cells);
  const header = BILL_HEADER.split(',');
  const row = (c: string[]) => Object.fromEntries(header.map((h, i) => [h, c[i]]));
  expect(row(p1)).toMatchObject({
    交易时间: '2026-01-05 09:00:00',
    公众账号ID: APPID,
    商户号: t.sandbox.keys.mchid,
    特约商户号: sub,
    微信订单号: a.transaction_id,
    商户订单号: 'T_bill_0001',
    用户标识: OPENID,
    交易类型: 'JSAPI',
    交易状态: 'SUCCESS',
    货币种类: 'CNY',
    应结订单金额: '19.99',
    退款金额: '0.00',
    商品名称: 'Oolong， 250g', // a comma cannot break the line
    商户数据包: 'table=7',
    手续费: yuan(feeFen(1999, 3800), 5),
    费率: '0.38%',
    订单金额: '19.99',
  });
  expect(feeFen(1999, 3800)).toBe(8); // 7.5962 rounds up
  expect(row(p2)).toMatchObject({ 商户订单号: 'T_bill_0002', 应结订单金额: '1.31', 手续费: '0.00000' }); // 0.4978 rounds down
  expect(row(r1)).toMatchObject({
    交易时间: '2026-01-05 11:00:00',
    交易状态: 'REFUND',
    商户订单号: 'T_bill_0001',
    商户退款单号: 'R_bill_01',
    退款金额: '5.00',
    退款类型: 'ORIGINAL',
    退款状态: 'SUCCESS', // as of when the bill was made
    应结订单金额: '0.00',
    申请退款金额: '5.00',
    // The refund's share of the payment's fee (the ledger's cumulative rule; here also 2 fen).
    手续费: `-${yuan(refundFeeFen({ totalFen: 1999, feeFen: feeFen(1999, 3800), refundedFen: 0, feeReturnedFen: 0 }, 500), 5)}`,
  });
  expect(r1[14]).toMatch(/^5030/);
  // Every detail field starts with a backtick.
  for (const l of lines.slice(1, 4)) expect(l.split(',').every((f) => f.startsWith('`'))).toBe(true);
  const fees =
    feeFen(1999, 3800) +
    feeFen(131, 3800) -
    refundFeeFen({ totalFen: 1999, feeFen: feeFen(1999, 3800), refundedFen: 0, feeReturnedFen: 0 }, 500);
  expect(cells(lines[5])).toEqual(['3', '21.30', '5.00', '0.00', yuan(fees, 5), '21.30', '5.00']);
});

test('refund rows return the fee by the cumulative rule: two halves of a 1-fen fee return 1 then 0', async () => {
  await pay('T_half_0001', 200); // 0.76 fen: fee 1
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_half_0001',
    outRefundNo: 'R_half_01',
    refundFen: 100,
    totalFen: 200,
    notifyUrl: t.inbox.url,
  });
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_half_0001',
    outRefundNo: 'R_half_02',
    refundFen: 100,
    totalFen: 200,
    notifyUrl: t.inbox.url,
  });
  expect(feeFen(100, 3800)).toBe(0); // what a per-refund rate would give back each time
  clock.set('2026-01-06T02:00:00Z');
  const lines = (await t.provider.tradeBill(sub, '2026-01-05'))!.split('\r\n');
  const fee = BILL_HEADER.split(',').indexOf('手续费');
  expect(lines.slice(1, 4).map((l) => cells(l)[fee])).toEqual(['0.01000', '-0.01000', '0.00000']);
  expect(cells(lines[5])[4]).toBe('0.00000'); // a fully refunded payment keeps no fee
});

test('availability: not before 10:00 the next day, not today, not older than three months; no trades, no bill', async () => {
  await pay('T_bill_0001', 100);
  expect((await payError(t.provider.tradeBill(sub, '2026-01-05'))).message).toMatch(/今天以前/);
  clock.set('2026-01-06T01:59:59Z');
  const early = await payError(t.provider.tradeBill(sub, '2026-01-05'));
  expect([early.status, early.code]).toEqual([400, 'STATEMENT_CREATING']);
  clock.set('2026-01-06T02:00:00Z');
  expect(await t.provider.tradeBill(sub, '2026-01-05')).toContain('T_bill_0001');
  expect(await t.provider.tradeBill(sub, '2026-01-04')).toBeNull(); // NO_STATEMENT_EXIST
  clock.set('2026-04-06T02:00:00Z');
  expect((await payError(t.provider.tradeBill(sub, '2026-01-05'))).code).toBe('PARAM_ERROR');
  expect((await payError(t.provider.tradeBill(sub, '2026-02-30'))).code).toBe('PARAM_ERROR');
  expect((await payError(t.provider.tradeBill('1699999999', '2026-01-05'))).code).toBe('PARAM_ERROR');
});

test('a bill is a snapshot: later refund outcomes do not rewrite it', async () => {
  await pay('T_bill_0001', 1000);
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_bill_0001',
    outRefundNo: 'R1',
    refundFen: 1000,
    totalFen: 1000,
    notifyUrl: t.inbox.url,
  });
  t.sandbox.forceRefund('R1', 'ABNORMAL');
  clock.set('2026-01-06T02:00:00Z');
  const first = await t.provider.tradeBill(sub, '2026-01-05');
  expect(first).toContain('`ABNORMAL');
  t.sandbox.forceRefund('R1', 'SUCCESS');
  expect((await t.provider.queryRefund(sub, 'R1'))?.status).toBe('SUCCESS');
  expect(await t.provider.tradeBill(sub, '2026-01-05')).toBe(first);
});

test('SUCCESS and REFUND bills; uncompressed downloads; the hash is checked', async () => {
  await pay('T_bill_0001', 1000);
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_bill_0001',
    outRefundNo: 'R1',
    refundFen: 300,
    totalFen: 1000,
    notifyUrl: t.inbox.url,
  });
  clock.set('2026-01-06T02:00:00Z');
  const client = t.provider.client;
  const ask = async (bill_type: string) =>
    (
      await client.request<{ hash_value: string; download_url: string }>('GET', '/v3/bill/tradebill', {
        query: { bill_date: '2026-01-05', sub_mchid: sub, bill_type },
      })
    ).data!;
  const success = await ask('SUCCESS');
  const refunds = await ask('REFUND');
  const s = (await client.download(success.download_url, success.hash_value, false)).toString();
  const r = (await client.download(refunds.download_url, refunds.hash_value, false)).toString();
  const states = (csv: string) =>
    csv
      .split('\r\n')
      .slice(1, -3)
      .map((l) => cells(l)[9]);
  expect(states(s)).toEqual(['SUCCESS']);
  expect(states(r)).toEqual(['REFUND']);
  const wrong = await payError(client.download((await ask('ALL')).download_url, success.hash_value, false));
  expect(wrong.code).toBe('BILL_HASH_MISMATCH');
  // Download links last five minutes.
  const late = await ask('ALL');
  clock.advance(5 * 60_000);
  expect((await payError(client.download(late.download_url, late.hash_value, false))).code).toBe('PARAM_ERROR');
});

test('without sub_mchid: every merchant under the service provider', async () => {
  await pay('T_bill_0001', 1000);
  const other = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
  const { prepayId } = await t.provider.prepay({
    subMchid: other,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo: 'T_bill_other',
    description: 'x',
    totalFen: 200,
    notifyUrl: t.inbox.url,
    expireAt: new Date(clock.now().getTime() + 600_000),
  });
  t.sandbox.pay({ prepay_id: prepayId });
  clock.set('2026-01-06T02:00:00Z');
  const info = (
    await t.provider.client.request<{ hash_value: string; download_url: string }>('GET', '/v3/bill/tradebill', {
      query: { bill_date: '2026-01-05' },
    })
  ).data!;
  const all = (await t.provider.client.download(info.download_url, info.hash_value, false)).toString();
  expect(all).toContain('T_bill_0001');
  expect(all).toContain('T_bill_other');
  expect(await t.provider.tradeBill(sub, '2026-01-05')).not.toContain('T_bill_other');
});
