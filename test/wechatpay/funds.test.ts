// Settlement account changes and withdrawals through the adapter: review by
// rule or forced, five changes a day, the sandbox bank's outcomes, balances.
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import type { SettlementAccount } from '../../cloudfunctions/core/ports/pay';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID, payError } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;

const NAME = 'Shenzhen Demo Tea Co., Ltd.';
const account = (over: Partial<SettlementAccount> = {}): SettlementAccount => ({
  accountType: 'ACCOUNT_TYPE_BUSINESS',
  accountBank: '招商银行',
  bankAddressCode: '440300',
  bankName: '招商银行深圳分行',
  accountName: NAME,
  accountNumber: '755912345678901',
  ...over,
});

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0 });
  sub = t.sandbox.createSubMerchant({
    appids: [APPID],
    merchant_name: NAME,
    legal_person: '张三',
    subject_type: 'SUBJECT_TYPE_ENTERPRISE',
  }).sub_mchid;
});
afterEach(async () => {
  await t.close();
});

describe('settlement account changes', () => {
  test('AUDITING, then AUDIT_SUCCESS after the delay; the query shows the account masked', async () => {
    const { applicationNo } = await t.provider.modifySettlement(sub, account());
    expect(await t.provider.querySettlementModification(sub, applicationNo)).toEqual({ state: 'AUDITING' });
    const raw = (
      await t.provider.client.request<Record<string, string>>(
        'GET',
        `/v3/apply4sub/sub_merchants/${sub}/application/${applicationNo}`,
      )
    ).data!;
    expect(raw).toMatchObject({
      account_number: '75***********01',
      account_name: 'S**',
      account_type: 'ACCOUNT_TYPE_BUSINESS',
      verify_result: 'AUDITING',
    });
    expect(JSON.stringify(raw)).not.toContain('755912345678901');
    clock.advance(5_000);
    expect(await t.provider.querySettlementModification(sub, applicationNo)).toEqual({ state: 'AUDIT_SUCCESS' });
    // Withdrawals now go to the new account.
    const res = await fetch(`${t.url}/sandbox/sub-merchants/${sub}`);
    expect(((await res.json()) as { account: { account_number: string } }).account.account_number).toBe(
      '755912345678901',
    );
  });

  test('refused by rule: a personal card for an enterprise, a name that is not the merchant', async () => {
    const personal = await t.provider.modifySettlement(
      sub,
      account({ accountType: 'ACCOUNT_TYPE_PRIVATE', accountName: '张三' }),
    );
    clock.advance(5_000);
    expect(await t.provider.querySettlementModification(sub, personal.applicationNo)).toEqual({
      state: 'AUDIT_FAIL',
      reason: '该主体类型只能使用对公银行账户',
    });
    const wrongName = await t.provider.modifySettlement(sub, account({ accountName: 'Someone Else Ltd.' }));
    clock.advance(5_000);
    expect((await t.provider.querySettlementModification(sub, wrongName.applicationNo)).state).toBe('AUDIT_FAIL');
  });

  test('one change under review at a time; at most five a day (Beijing)', async () => {
    const first = await t.provider.modifySettlement(sub, account());
    expect((await payError(t.provider.modifySettlement(sub, account()))).code).toBe('INVALID_REQUEST');
    t.sandbox.forceSettlement(first.applicationNo, 'AUDIT_FAIL', '开户名称与账号不符');
    expect(await t.provider.querySettlementModification(sub, first.applicationNo)).toEqual({
      state: 'AUDIT_FAIL',
      reason: '开户名称与账号不符',
    });
    for (let i = 0; i < 4; i++) {
      await t.provider.modifySettlement(sub, account());
      clock.advance(5_000);
    }
    const sixth = await payError(t.provider.modifySettlement(sub, account()));
    expect([sixth.status, sixth.code]).toEqual([429, 'FREQUENCY_LIMITED']);
    clock.set('2026-01-05T16:00:00Z'); // midnight in Beijing
    expect((await t.provider.modifySettlement(sub, account())).applicationNo).toBeTruthy();
  });

  test('refused: unknown sub-merchant, unknown application, fields not encrypted for the platform key', async () => {
    expect((await payError(t.provider.modifySettlement('1699999999', account()))).code).toBe('PARAM_ERROR');
    expect((await payError(t.provider.querySettlementModification(sub, '102320260105999'))).status).toBe(404);
    const plain = await payError(
      t.provider.client.request('POST', `/v3/apply4sub/sub_merchants/${sub}/modify-settlement`, {
        sensitive: true,
        body: {
          account_type: 'ACCOUNT_TYPE_BUSINESS',
          account_bank: '招商银行',
          bank_address_code: '440300',
          account_number: '755912345678901',
        },
      }),
    );
    expect(plain.message).toMatch(/account_number/);
  });
});

describe('withdrawals and the sandbox bank', () => {
  async function earn(totalFen: number, no: string) {
    const { prepayId } = await t.provider.prepay({
      subMchid: sub,
      subAppid: APPID,
      openid: OPENID,
      outTradeNo: no,
      description: 'tea',
      totalFen,
      notifyUrl: t.inbox.url,
      expireAt: new Date(clock.now().getTime() + 600_000),
    });
    t.sandbox.pay({ prepay_id: prepayId });
  }

  test('CREATE_SUCCESS, then SUCCESS after the delay; idempotent by out_request_no; bounded by the balance', async () => {
    await earn(10_000, 'T_w_000001'); // 9940 after the 0.6% fee
    const w = await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 6000, remark: 'weekly' });
    expect(await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 6000 })).toEqual(w);
    expect(await t.provider.queryWithdraw(sub, 'W1')).toEqual({ status: 'CREATE_SUCCESS' });
    expect((await payError(t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 5000 }))).code).toBe(
      'INVALID_REQUEST',
    );
    const over = await payError(t.provider.withdraw({ subMchid: sub, outRequestNo: 'W2', amountFen: 3941 }));
    expect([over.status, over.code]).toEqual([403, 'NOT_ENOUGH']);
    await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W2', amountFen: 3940 });
    clock.advance(5_000);
    expect(await t.provider.queryWithdraw(sub, 'W1')).toEqual({ status: 'SUCCESS' });
    expect(t.sandbox.balance(sub)).toBe(0);
    expect(await t.provider.queryWithdraw(sub, 'W_unknown')).toBeNull();
    const raw = (
      await t.provider.client.request<Record<string, unknown>>('GET', '/v3/ecommerce/fund/withdraw/out-request-no/W1', {
        query: { sub_mchid: sub },
      })
    ).data!;
    expect(raw).toMatchObject({
      sub_mchid: sub,
      withdraw_id: w.withdrawId,
      amount: 6000,
      status: 'SUCCESS',
      remark: 'weekly',
      account_number: '0000',
    });
  });

  test('forced FAIL gives the money back; a returned (REFUND) withdrawal too', async () => {
    await earn(10_000, 'T_w_000002');
    const w1 = await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 9940 });
    expect(t.sandbox.balance(sub)).toBe(0);
    t.sandbox.forceWithdraw(w1.withdrawId, 'FAIL', '账户已冻结');
    expect(await t.provider.queryWithdraw(sub, 'W1')).toEqual({ status: 'FAIL', reason: '账户已冻结' });
    expect(t.sandbox.balance(sub)).toBe(9940);
    const w2 = await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W2', amountFen: 9940 });
    clock.advance(5_000);
    expect((await t.provider.queryWithdraw(sub, 'W2'))?.status).toBe('SUCCESS');
    expect(() => t.sandbox.forceWithdraw(w2.withdrawId, 'FAIL')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
    t.sandbox.forceWithdraw(w2.withdrawId, 'REFUND');
    expect(await t.provider.queryWithdraw(sub, 'W2')).toEqual({ status: 'REFUND', reason: '银行退票' });
    expect(t.sandbox.balance(sub)).toBe(9940);
  });

  test('a failing bank fails every withdrawal when it falls due', async () => {
    await earn(1000, 'T_w_000003');
    const res = await fetch(`${t.url}/sandbox/bank`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: 'fail', reason: '银行系统维护' }),
    });
    expect(res.status).toBe(200);
    await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W1', amountFen: 500 });
    clock.advance(5_000);
    expect(await t.provider.queryWithdraw(sub, 'W1')).toEqual({ status: 'FAIL', reason: '银行系统维护' });
    t.sandbox.setBank('succeed');
    await t.provider.withdraw({ subMchid: sub, outRequestNo: 'W2', amountFen: 500 });
    clock.advance(5_000);
    expect((await t.provider.queryWithdraw(sub, 'W2'))?.status).toBe('SUCCESS');
  });

  test('the balance endpoint', async () => {
    await earn(2000, 'T_w_000004');
    const b = (await t.provider.client.request<Record<string, unknown>>('GET', `/v3/ecommerce/fund/balance/${sub}`))
      .data;
    expect(b).toEqual({ sub_mchid: sub, available_amount: 1988, pending_amount: 0 });
  });
});
