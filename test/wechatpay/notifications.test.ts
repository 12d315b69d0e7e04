// Notifications end to end: the sandbox POSTs signed, encrypted
// TRANSACTION.SUCCESS / REFUND.* events to the notify_url, the adapter's
// parseNotification verifies and decrypts them, anything forged or stale is
// refused, and failures are retried on WeChat's schedule (sped up).
import crypto from 'node:crypto';
import {
  encryptResource,
  SignatureError,
  wechatpaySignatureHeaders,
} from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { ManualClock, systemClock } from '../../cloudfunctions/core/ports/clock';
import { RETRY_SCHEDULE_S } from '../../cloudfunctions/local/sandbox/notify';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { APPID, OPENID } from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let sub: string;

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  // No background ticker: the test decides when due work runs.
  t = await startTestSandbox({ clock, tickMs: 0 });
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
});
afterEach(async () => {
  await t.close();
});

async function payOrder(outTradeNo: string, totalFen = 1999) {
  const { prepayId } = await t.provider.prepay({
    subMchid: sub,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo,
    description: 'Green tea',
    totalFen,
    notifyUrl: t.inbox.url,
    expireAt: new Date(clock.now().getTime() + 600_000),
  });
  return t.sandbox.pay({ ...t.provider.clientParams(APPID, prepayId) });
}

async function reason(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof SignatureError) return err.reason;
    throw err;
  }
  throw new Error('expected a SignatureError');
}

test('a payment is notified: signed, encrypted, parsed by the adapter into the transaction', async () => {
  const paid = await payOrder('T_notify_0001');
  await t.sandbox.flush();
  const [note] = await t.inbox.waitFor(1);
  expect(note.status).toBe(204);
  expect(note.headers['content-type']).toBe('application/json');
  expect(note.headers['wechatpay-serial']).toBe(t.sandbox.keys.platformKeyId);
  const body = JSON.parse(note.body);
  expect(body).toMatchObject({
    event_type: 'TRANSACTION.SUCCESS',
    resource_type: 'encrypt-resource',
    summary: '支付成功',
  });
  expect(body.resource).toMatchObject({
    algorithm: 'AEAD_AES_256_GCM',
    original_type: 'transaction',
    associated_data: 'transaction',
  });
  expect(note.body).not.toContain('T_notify_0001'); // the resource is encrypted
  const parsed = await t.provider.parseNotification(note.headers, note.body);
  expect(parsed).toEqual({
    id: body.id,
    kind: 'transaction',
    eventType: 'TRANSACTION.SUCCESS',
    transaction: {
      subMchid: sub,
      subAppid: APPID,
      outTradeNo: 'T_notify_0001',
      transactionId: paid.transaction_id,
      tradeState: 'SUCCESS',
      totalFen: 1999,
      payerTotalFen: 1999,
      openid: OPENID,
      successTime: '2026-01-05T10:00:00+08:00',
    },
  });
  expect(t.sandbox.deliveries()[0]).toMatchObject({
    state: 'delivered',
    ref: `order:${sub}|T_notify_0001`,
    attempts: [expect.objectContaining({ status: 204 })],
  });
});

test('refund outcomes are notified with refund_status', async () => {
  await payOrder('T_notify_0002');
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_notify_0002',
    outRefundNo: 'R_ok',
    refundFen: 999,
    totalFen: 1999,
    notifyUrl: t.inbox.url,
  });
  await t.provider.refund({
    subMchid: sub,
    outTradeNo: 'T_notify_0002',
    outRefundNo: 'R_bad',
    refundFen: 1000,
    totalFen: 1999,
    notifyUrl: t.inbox.url,
  });
  t.sandbox.forceRefund('R_bad', 'ABNORMAL');
  clock.advance(3_000);
  await t.sandbox.flush();
  await t.sandbox.flush();
  const notes = await t.inbox.waitFor(3);
  const parsed = await Promise.all(notes.map((n) => t.provider.parseNotification(n.headers, n.body)));
  const refunds = parsed.filter((p) => p.kind === 'refund');
  expect(
    refunds
      .map((p) => [p.eventType, p.kind === 'refund' && p.refund.outRefundNo, p.kind === 'refund' && p.refund.status])
      .sort(),
  ).toEqual([
    ['REFUND.ABNORMAL', 'R_bad', 'ABNORMAL'],
    ['REFUND.SUCCESS', 'R_ok', 'SUCCESS'],
  ]);
  const ok = refunds.find((p) => p.eventType === 'REFUND.SUCCESS');
  expect(ok?.kind === 'refund' && ok.refund).toMatchObject({
    subMchid: sub,
    outTradeNo: 'T_notify_0002',
    refundFen: 999,
    totalFen: 1999,
    successTime: '2026-01-05T10:00:03+08:00',
  });
});

describe('refused notifications', () => {
  let note: { headers: Record<string, string>; body: string };
  beforeEach(async () => {
    await payOrder('T_notify_0003');
    await t.sandbox.flush();
    [note] = await t.inbox.waitFor(1);
  });

  test('a tampered body', async () => {
    const body = JSON.parse(note.body);
    body.summary = 'paid twice';
    expect(await reason(() => t.provider.parseNotification(note.headers, JSON.stringify(body)))).toBe('BAD_SIGNATURE');
    // Re-serialising alone breaks it: verification is over the raw bytes.
    expect(
      await reason(() => t.provider.parseNotification(note.headers, JSON.stringify(JSON.parse(note.body), null, 2))),
    ).toBe('BAD_SIGNATURE');
  });

  test('a stale one (more than 5 minutes old when it is checked)', async () => {
    clock.advance(301_000);
    expect(await reason(() => t.provider.parseNotification(note.headers, note.body))).toBe('STALE_TIMESTAMP');
  });

  test('a signature probe, an unknown serial, a forged signature', async () => {
    expect(
      await reason(() =>
        t.provider.parseNotification({ ...note.headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/x' }, note.body),
      ),
    ).toBe('SIGNTEST_PROBE');
    expect(
      await reason(() =>
        t.provider.parseNotification({ ...note.headers, 'wechatpay-serial': 'PUB_KEY_ID_0000' }, note.body),
      ),
    ).toBe('UNKNOWN_SERIAL');
    const forger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = wechatpaySignatureHeaders(note.body, t.sandbox.keys.platformKeyId, forger.privateKey, clock.now());
    expect(await reason(() => t.provider.parseNotification(forged, note.body))).toBe('BAD_SIGNATURE');
  });

  test('correctly signed, but encrypted with another APIv3 key or for another merchant', async () => {
    const body = JSON.parse(note.body);
    const sign = (b: string) =>
      wechatpaySignatureHeaders(b, t.sandbox.keys.platformKeyId, t.sandbox.keys.platformPrivateKey, clock.now());
    const wrongKey = JSON.stringify({
      ...body,
      resource: { ...body.resource, ...encryptResource('{}', Buffer.alloc(32, 1), 'transaction') },
    });
    expect(await reason(() => t.provider.parseNotification(sign(wrongKey), wrongKey))).toBe('DECRYPT_FAILED');
    const foreign = JSON.stringify({
      ...body,
      resource: {
        ...body.resource,
        ...encryptResource(
          JSON.stringify({
            sp_mchid: '1900000001',
            sub_mchid: sub,
            out_trade_no: 'X',
            trade_state: 'SUCCESS',
            amount: { total: 1 },
          }),
          t.sandbox.keys.apiV3Key,
          'transaction',
        ),
      },
    });
    expect(await reason(() => t.provider.parseNotification(sign(foreign), foreign))).toBe('BAD_BODY');
  });
});

test('failures are retried on WeChat schedule until a 200/204, each attempt freshly signed', async () => {
  let failuresLeft = 3;
  t.inbox.respond = () => (failuresLeft-- > 0 ? (failuresLeft === 1 ? 200 + 2 : 500) : 200);
  await payOrder('T_notify_0004');
  await t.sandbox.flush();
  // Failures: 500, then 202 (not 200/204: WeChat retries), then 500; then 200.
  for (const wait of RETRY_SCHEDULE_S.slice(0, 3)) {
    clock.advance(wait * 1000 - 1);
    expect(await t.sandbox.flush()).toBe(0); // not a millisecond early
    clock.advance(1);
    expect(await t.sandbox.flush()).toBe(1);
  }
  const d = t.sandbox.deliveries()[0];
  expect(d.attempts.map((a) => a.status)).toEqual([500, 202, 500, 200]);
  expect(d.attempts.map((a) => a.at)).toEqual([
    '2026-01-05T10:00:00+08:00',
    '2026-01-05T10:00:15+08:00',
    '2026-01-05T10:00:30+08:00',
    '2026-01-05T10:01:00+08:00',
  ]);
  expect(d.state).toBe('delivered');
  expect(new Set(t.inbox.received.map((r) => r.headers['wechatpay-nonce'])).size).toBe(4);
  expect(new Set(t.inbox.received.map((r) => r.body)).size).toBe(1);
  clock.advance(86_400_000);
  expect(await t.sandbox.flush()).toBe(0);
});

test('an endpoint that never accepts gets 16 attempts over 24h4m, then the sandbox gives up', async () => {
  t.inbox.respond = () => 503;
  await payOrder('T_notify_0005');
  await t.sandbox.flush();
  let elapsed = 0;
  for (const wait of RETRY_SCHEDULE_S) {
    clock.advance(wait * 1000);
    elapsed += wait;
    await t.sandbox.flush();
  }
  expect(elapsed).toBe(24 * 3600 + 4 * 60);
  const d = t.sandbox.deliveries()[0];
  expect(d.attempts).toHaveLength(16);
  expect(d.state).toBe('gave_up');
  clock.advance(86_400_000);
  expect(await t.sandbox.flush()).toBe(0);
});

test('no answer within the timeout counts as a failure', async () => {
  await t.close();
  t = await startTestSandbox({ clock, tickMs: 0, notifyTimeoutMs: 100 });
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
  t.inbox.respond = () => new Promise((resolve) => setTimeout(() => resolve(204), 400));
  await payOrder('T_notify_0006');
  await t.sandbox.flush();
  const d = t.sandbox.deliveries()[0];
  expect(d.state).toBe('pending');
  expect(d.attempts[0].error).toMatch(/no answer within 100 ms/);
  expect(d.next_attempt_at).toBe('2026-01-05T10:00:15+08:00');
});

test('with the real clock and timeScale, retries happen on their own, fast', async () => {
  await t.close();
  t = await startTestSandbox({ clock: systemClock, timeScale: 0.001, tickMs: 5 });
  sub = t.sandbox.createSubMerchant({ appids: [APPID] }).sub_mchid;
  let calls = 0;
  t.inbox.respond = () => (++calls <= 2 ? 500 : 204);
  const { prepayId } = await t.provider.prepay({
    subMchid: sub,
    subAppid: APPID,
    openid: OPENID,
    outTradeNo: 'T_realtime_01',
    description: 'tea',
    totalFen: 1,
    notifyUrl: t.inbox.url,
    expireAt: new Date(Date.now() + 600_000),
  });
  t.sandbox.pay({ prepay_id: prepayId });
  const received = await t.inbox.waitFor(3, 3_000);
  expect(received.map((r) => r.status)).toEqual([500, 500, 204]);
  expect((await t.provider.parseNotification(received[2].headers, received[2].body)).kind).toBe('transaction');
});

test('GET /sandbox/notifications lists deliveries for a developer', async () => {
  await payOrder('T_notify_0007');
  await t.sandbox.flush();
  const res = await fetch(`${t.url}/sandbox/notifications?ref=${encodeURIComponent(`order:${sub}|T_notify_0007`)}`);
  const { data } = (await res.json()) as { data: Array<{ event_type: string; state: string }> };
  expect(data).toEqual([expect.objectContaining({ event_type: 'TRANSACTION.SUCCESS', state: 'delivered' })]);
});
