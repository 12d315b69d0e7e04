// Parse, don't cast: a notification that is correctly signed and encrypted
// but whose decrypted resource does not have WeChat's shape is refused like a
// bad signature (BAD_BODY), and so is an envelope without what it needs; an
// API answer of another shape is a BAD_RESPONSE. No refusal echoes the values
// it was given (openids, names, account numbers are personal data).
import { WechatPayClient } from '../../cloudfunctions/core/adapters/wechatpay/client';
import {
  encryptResource,
  SignatureError,
  wechatpaySignatureHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';
import type { WxRefund, WxTransaction } from '../../cloudfunctions/core/adapters/wechatpay/wire';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { PayError } from '../../cloudfunctions/core/ports/pay';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
const SUB = '1900000109';

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0 });
});
afterAll(async () => {
  await t.close();
});

function transaction(): WxTransaction {
  return {
    sp_appid: t.sandbox.keys.appid,
    sp_mchid: t.sandbox.keys.mchid,
    sub_appid: APPID,
    sub_mchid: SUB,
    out_trade_no: 'T_shape_0001',
    transaction_id: '4200000000000000000000000001',
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    success_time: '2026-01-05T10:00:00+08:00',
    payer: { sub_openid: OPENID },
    amount: { total: 1999, payer_total: 1999, currency: 'CNY', payer_currency: 'CNY' },
  };
}

function refund(): WxRefund {
  return {
    sp_mchid: t.sandbox.keys.mchid,
    sub_mchid: SUB,
    refund_id: '50300000000000000000000001',
    out_refund_no: 'R_shape_0001',
    transaction_id: '4200000000000000000000000001',
    out_trade_no: 'T_shape_0001',
    user_received_account: '支付用户零钱',
    success_time: '2026-01-05T10:00:03+08:00',
    refund_status: 'SUCCESS',
    amount: { total: 1999, refund: 999, payer_total: 1999, payer_refund: 999 },
  };
}

/** A notification exactly as WeChat would send it, signed and encrypted with the real keys, around any resource. */
function notification(
  eventType: string,
  originalType: 'transaction' | 'refund',
  resource: unknown,
  envelope: Record<string, unknown> = {},
) {
  const keys = t.sandbox.keys;
  const body = JSON.stringify({
    id: 'EV-2026-0001',
    create_time: '2026-01-05T10:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: eventType,
    resource: {
      ...encryptResource(JSON.stringify(resource), keys.apiV3Key, originalType),
      original_type: originalType,
    },
    ...envelope,
  });
  return { headers: wechatpaySignatureHeaders(body, keys.platformKeyId, keys.platformPrivateKey, clock.now()), body };
}

/** The refusal: a SignatureError (what payNotify answers 401 to). */
async function refusal(note: { headers: Record<string, string>; body: string }): Promise<SignatureError> {
  try {
    await t.provider.parseNotification(note.headers, note.body);
  } catch (err) {
    if (err instanceof SignatureError) return err;
    throw err;
  }
  throw new Error('expected the notification to be refused');
}

const without = <T extends object>(o: T, key: keyof T): Partial<T> => {
  const copy = { ...o };
  delete copy[key];
  return copy;
};

describe('a signed, encrypted transaction notification', () => {
  test('with the right shape still passes', async () => {
    expect(
      await t.provider.parseNotification(...args(notification('TRANSACTION.SUCCESS', 'transaction', transaction()))),
    ).toEqual({
      id: 'EV-2026-0001',
      kind: 'transaction',
      eventType: 'TRANSACTION.SUCCESS',
      transaction: {
        subMchid: SUB,
        subAppid: APPID,
        outTradeNo: 'T_shape_0001',
        transactionId: '4200000000000000000000000001',
        tradeState: 'SUCCESS',
        totalFen: 1999,
        payerTotalFen: 1999,
        openid: OPENID,
        successTime: '2026-01-05T10:00:00+08:00',
      },
    });
    // Fields WeChat adds later are ignored, and optional ones may be absent.
    const lean = {
      ...without(transaction(), 'payer'),
      promotion_detail: [{ coupon_id: 'c1' }],
      amount: { total: 1999 },
    };
    expect(
      await t.provider.parseNotification(...args(notification('TRANSACTION.SUCCESS', 'transaction', lean))),
    ).toMatchObject({
      transaction: { outTradeNo: 'T_shape_0001', totalFen: 1999 },
    });
  });

  const cases: Array<[string, () => unknown, RegExp]> = [
    ['missing amount', () => without(transaction(), 'amount'), /amount invalid_type/],
    [
      'amount as a string',
      () => ({ ...transaction(), amount: { ...transaction().amount, total: '1999' } }),
      /amount\.total invalid_type/,
    ],
    ['a fractional amount', () => ({ ...transaction(), amount: { total: 19.99 } }), /amount\.total/],
    ['a negative amount', () => ({ ...transaction(), amount: { total: -1 } }), /amount\.total too_small/],
    [
      'payer_total as a string',
      () => ({ ...transaction(), amount: { total: 1999, payer_total: '1999' } }),
      /amount\.payer_total invalid_type/,
    ],
    ['an unknown trade_state', () => ({ ...transaction(), trade_state: 'PAID' }), /trade_state invalid_value/],
    ['trade_state in lower case', () => ({ ...transaction(), trade_state: 'success' }), /trade_state invalid_value/],
    ['missing trade_state', () => without(transaction(), 'trade_state'), /trade_state/],
    ['out_trade_no as a number', () => ({ ...transaction(), out_trade_no: 1 }), /out_trade_no invalid_type/],
    ['missing out_trade_no', () => without(transaction(), 'out_trade_no'), /out_trade_no invalid_type/],
    [
      'transaction_id as a number',
      () => ({ ...transaction(), transaction_id: 4200000000 }),
      /transaction_id invalid_type/,
    ],
    ['sub_mchid as a number', () => ({ ...transaction(), sub_mchid: 1900000109 }), /sub_mchid invalid_type/],
    ['payer as a string', () => ({ ...transaction(), payer: OPENID }), /payer invalid_type/],
    [
      'an openid that is not a string',
      () => ({ ...transaction(), payer: { sub_openid: { id: OPENID } } }),
      /payer\.sub_openid invalid_type/,
    ],
  ];

  test.each(cases)('with %s is refused as BAD_BODY, echoing no value', async (_name, resource, where) => {
    const err = await refusal(notification('TRANSACTION.SUCCESS', 'transaction', resource()));
    expect(err.reason).toBe('BAD_BODY');
    expect(err.message).toMatch(/^decrypted transaction resource has an unexpected shape: /);
    expect(err.message).toMatch(where);
    for (const value of [OPENID, 'T_shape_0001', '1999', '19.99', 'PAID', '4200000000', SUB])
      expect(err.message).not.toContain(value);
  });

  test('a resource that is not an object at all is refused', async () => {
    for (const resource of [null, [transaction()], 'SUCCESS', 42]) {
      expect((await refusal(notification('TRANSACTION.SUCCESS', 'transaction', resource))).reason).toBe('BAD_BODY');
    }
  });
});

describe('a signed, encrypted refund notification', () => {
  test('with the right shape still passes', async () => {
    expect(await t.provider.parseNotification(...args(notification('REFUND.SUCCESS', 'refund', refund())))).toEqual({
      id: 'EV-2026-0001',
      kind: 'refund',
      eventType: 'REFUND.SUCCESS',
      refund: {
        subMchid: SUB,
        outTradeNo: 'T_shape_0001',
        outRefundNo: 'R_shape_0001',
        refundId: '50300000000000000000000001',
        status: 'SUCCESS',
        refundFen: 999,
        totalFen: 1999,
        successTime: '2026-01-05T10:00:03+08:00',
      },
    });
  });

  const cases: Array<[string, () => unknown, RegExp]> = [
    ['missing amount', () => without(refund(), 'amount'), /amount invalid_type/],
    [
      'the refund amount as a string',
      () => ({ ...refund(), amount: { ...refund().amount, refund: '999' } }),
      /amount\.refund invalid_type/,
    ],
    ['an unknown refund_status', () => ({ ...refund(), refund_status: 'DONE' }), /refund_status invalid_value/],
    ['no status at all', () => without(refund(), 'refund_status'), /status custom/],
    ['refund_id as a number', () => ({ ...refund(), refund_id: 503 }), /refund_id invalid_type/],
    ['missing out_refund_no', () => without(refund(), 'out_refund_no'), /out_refund_no invalid_type/],
  ];

  test.each(cases)('with %s is refused as BAD_BODY, echoing no value', async (_name, resource, where) => {
    const err = await refusal(notification('REFUND.SUCCESS', 'refund', resource()));
    expect(err.reason).toBe('BAD_BODY');
    expect(err.message).toMatch(/^decrypted refund resource has an unexpected shape: /);
    expect(err.message).toMatch(where);
    for (const value of ['R_shape_0001', 'T_shape_0001', '999', 'DONE', SUB]) expect(err.message).not.toContain(value);
  });
});

describe('a signed notification envelope', () => {
  test.each<[string, Record<string, unknown>]>([
    ['id as a number', { id: 17 }],
    ['no event_type', { event_type: undefined }],
    [
      'a resource without nonce',
      { resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext: 'AAAA', associated_data: 'transaction' } },
    ],
    [
      'another algorithm',
      { resource: { algorithm: 'AES_128_CBC', ciphertext: 'AAAA', nonce: 'n', associated_data: 'transaction' } },
    ],
  ])('with %s is refused as BAD_BODY', async (_name, envelope) => {
    expect((await refusal(notification('TRANSACTION.SUCCESS', 'transaction', transaction(), envelope))).reason).toBe(
      'BAD_BODY',
    );
  });
});

/** Spreads a crafted notification into parseNotification's arguments. */
function args(note: { headers: Record<string, string>; body: string }): [Record<string, string>, string] {
  return [note.headers, note.body];
}

// ---- API answers -----------------------------------------------------------------------

/** The adapter over a "WeChat" that answers every call with `body`, correctly signed. */
function answering(body: unknown): WechatPayProvider {
  const keys = t.sandbox.keys;
  const fetch = (async () => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    return new Response(raw, {
      status: 200,
      headers: wechatpaySignatureHeaders(raw, keys.platformKeyId, keys.platformPrivateKey, clock.now()),
    });
  }) as unknown as typeof globalThis.fetch;
  return new WechatPayProvider(new WechatPayClient(t.provider.client.config, { clock, fetch }));
}

async function badResponse(call: Promise<unknown>): Promise<PayError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PayError);
  expect((err as PayError).code).toBe('BAD_RESPONSE');
  return err as PayError;
}

describe('API answers are parsed before use', () => {
  test('well-formed answers still pass', async () => {
    expect(await answering(transaction()).queryTransaction(SUB, 'T_shape_0001')).toMatchObject({
      outTradeNo: 'T_shape_0001',
      totalFen: 1999,
      tradeState: 'SUCCESS',
    });
    const { refund_status, ...queried } = refund();
    expect(await answering({ ...queried, status: refund_status }).queryRefund(SUB, 'R_shape_0001')).toMatchObject({
      status: 'SUCCESS',
      refundFen: 999,
    });
    expect(
      await answering({ prepay_id: 'wx0000' }).prepay({
        subMchid: SUB,
        subAppid: APPID,
        openid: OPENID,
        outTradeNo: 'T',
        description: 'd',
        totalFen: 1,
        notifyUrl: 'https://x/n',
        expireAt: clock.now(),
      }),
    ).toEqual({ prepayId: 'wx0000' });
    expect(await answering({ status: 'SUCCESS', reason: '' }).queryWithdraw(SUB, 'W1')).toEqual({ status: 'SUCCESS' });
  });

  test('a transaction query answered with another shape', async () => {
    const err = await badResponse(
      answering({ ...transaction(), amount: { total: '1999' } }).queryTransaction(SUB, 'T_shape_0001'),
    );
    expect(err.message).toMatch(/transaction query .*amount\.total invalid_type/);
    expect(err.message).not.toContain(OPENID);
    await badResponse(answering({ ...transaction(), trade_state: 'PAID' }).queryTransaction(SUB, 'T_shape_0001'));
    await badResponse(answering(undefined).queryTransaction(SUB, 'T_shape_0001'));
  });

  test('refund create and query answered with another shape', async () => {
    const req = {
      subMchid: SUB,
      outTradeNo: 'T_shape_0001',
      outRefundNo: 'R_shape_0001',
      refundFen: 999,
      totalFen: 1999,
      notifyUrl: 'https://x/n',
    };
    await badResponse(answering({ ...refund(), refund_status: undefined, status: 'DONE' }).refund(req));
    await badResponse(answering({ ...refund(), amount: undefined }).queryRefund(SUB, 'R_shape_0001'));
  });

  test('ids, states and amounts of the other calls', async () => {
    await badResponse(
      answering({ prepay_id: 123 }).prepay({
        subMchid: SUB,
        subAppid: APPID,
        openid: OPENID,
        outTradeNo: 'T',
        description: 'd',
        totalFen: 1,
        notifyUrl: 'https://x/n',
        expireAt: clock.now(),
      }),
    );
    await badResponse(answering({ withdraw_id: 7 }).withdraw({ subMchid: SUB, outRequestNo: 'W1', amountFen: 1 }));
    await badResponse(answering({ status: 'PAID_OUT' }).queryWithdraw(SUB, 'W1'));
    await badResponse(answering({ applyment_id: '2000' }).submitApplyment({}));
    await badResponse(
      answering({
        business_code: 'B1',
        applyment_id: 1,
        applyment_state: 'DONE',
        applyment_state_msg: '',
      }).queryApplyment('B1'),
    );
    await badResponse(answering({ hash_type: 'SHA1' }).tradeBill(SUB, '2026-01-05'));
  });

  test('a settlement application answer refused without echoing the account holder', async () => {
    const err = await badResponse(
      answering({
        account_name: '张三',
        account_number: '6222********1234',
        verify_result: 'DONE',
      }).querySettlementModification(SUB, 'A1'),
    );
    expect(err.message).toMatch(/verify_result invalid_value/);
    expect(err.message).not.toMatch(/张三|6222|DONE/);
  });
});
