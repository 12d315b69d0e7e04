// The transport in cloud mode, through the harness: wx.cloud -> the real
// functions. Local mode: transport-local.test.ts.
import { config } from '../../../miniprogram/config';
import { fetchStatus } from '../../../miniprogram/services/merchant';
import {
  ApiFailure,
  callFunction,
  failureOf,
  initTransport,
  newIdempotencyKey,
} from '../../../miniprogram/services/transport';
import { speak, useHarness } from '../harness';

const h = useHarness();

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiFailure);
    return err as ApiFailure;
  }
  throw new Error('expected the call to fail');
}

describe('cloud mode', () => {
  test('sends {action, data, idempotencyKey} to the named function and resolves its data', async () => {
    h.as('admin');
    const status = await fetchStatus();
    expect(status).toMatchObject({ appid: 'wxd0c0ffee5a1e5a1e', miniProgramName: 'Demo Tea Shop', role: 'admin' });
    expect(h.calls).toEqual([expect.objectContaining({ name: 'merchant', action: 'getStatus', data: {} })]);
    expect(h.calls[0].idempotencyKey).toBeUndefined();

    const key = newIdempotencyKey();
    await callFunction('merchant', 'getStatus', {}, { idempotencyKey: key });
    expect(h.calls[1].idempotencyKey).toBe(key);
  });

  test("a backend refusal rejects with the backend's code, worded by the app; the server's text only for logs", async () => {
    const err = await failure(callFunction('merchant', 'getStatus', { unexpected: 1 }));
    expect(err.code).toBe('INPUT.INVALID');
    expect(err.fields).toBeDefined();
    expect(err.message).toBe('请检查填写的内容');
    expect(err.detail).toMatch(/Please correct/);
    expect(err.retryable).toBe(false);
  });

  test('a dropped call rejects with NETWORK.UNAVAILABLE and keeps the platform message for logs', async () => {
    h.failNext();
    const err = await failure(fetchStatus());
    expect(err.code).toBe('NETWORK.UNAVAILABLE');
    expect(err.message).toBe('网络不可用，请检查网络后重试');
    expect(err.detail).toMatch(/merchant\.getStatus: -504003 cloud\.callFunction:fail request:fail timeout/);
    expect(err.retryable).toBe(true);
  });

  test('an unknown function is a transport failure too', async () => {
    const err = await failure(callFunction('nosuchfunction', 'x'));
    expect(err.code).toBe('NETWORK.UNAVAILABLE');
    expect(err.detail).toMatch(/-501000/);
  });

  describe('with the platform answering oddly', () => {
    let original: unknown;
    beforeEach(() => {
      original = wx.cloud.callFunction;
    });
    afterEach(() => {
      (wx.cloud as any).callFunction = original;
    });

    test("a refusal's details fill its words: amounts as yuan, instants in Beijing time, in the client's language", async () => {
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: {
          ok: false,
          error: { code: 'REFUND.EXCEEDS_PAID', message: 'server words', details: { refundableFen: 123456 } },
        },
      }));
      expect((await failure(fetchStatus())).message).toBe('退款金额超过可退金额 ¥1,234.56');
      speak('en-US');
      expect((await failure(fetchStatus())).message).toBe(
        'The refund is more than the ¥1,234.56 that can still be refunded',
      );
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: {
          ok: false,
          error: { code: 'AUTH.CLAIM_LOCKED', message: 'x', details: { retryAt: '2026-01-05T02:15:00.000Z' } },
        },
      }));
      expect((await failure(fetchStatus())).message).toBe(
        'Too many attempts. Try again after 2026-01-05 10:15 (Beijing time)',
      );
    });

    test('field problems arrive as reasons and are worded per field', async () => {
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: {
          ok: false,
          error: {
            code: 'INPUT.INVALID',
            message: 'x',
            fields: {
              'bank.accountNumber': { reason: 'tooLong', params: { max: 32 } },
              name: { reason: 'required' },
              odd: 'a sentence',
            },
          },
        },
      }));
      expect((await failure(fetchStatus())).fields).toEqual({
        'bank.accountNumber': '最多 32 个字',
        name: '必填',
        // A reason this app cannot read is never shown as sent.
        odd: '格式不正确',
      });
    });

    test('a result that is not ours is NETWORK.BAD_RESPONSE', async () => {
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: 'Internal Server Error',
      }));
      expect((await failure(fetchStatus())).code).toBe('NETWORK.BAD_RESPONSE');
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: { ok: false },
      }));
      expect((await failure(fetchStatus())).code).toBe('NETWORK.BAD_RESPONSE');
    });

    test('an INTERNAL error keeps its correlation id and may be retried', async () => {
      const error = {
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Please try again.',
        correlationId: 'c0ffee',
      };
      (wx.cloud as any).callFunction = jest.fn(async () => ({
        errMsg: 'cloud.callFunction:ok',
        result: { ok: false, error },
      }));
      const err = await failure(fetchStatus());
      expect(err).toMatchObject({ code: 'INTERNAL', correlationId: 'c0ffee', retryable: true });
    });

    test('wx.cloud throwing (never initialised) is NETWORK.UNAVAILABLE, not a crash', async () => {
      (wx.cloud as any).callFunction = jest.fn(() => {
        throw new Error("cloud.callFunction:fail Cloud API isn't enabled, please call wx.cloud.init first");
      });
      expect((await failure(fetchStatus())).code).toBe('NETWORK.UNAVAILABLE');
    });
  });

  test('the app initialises wx.cloud with the configured environment at launch', () => {
    const init = jest.spyOn(wx.cloud, 'init');
    initTransport();
    expect(init).toHaveBeenCalledWith({ env: config.cloud.env, traceUser: true });
    init.mockRestore();
  });
});

describe('idempotency keys and failures', () => {
  test('keys are URL-safe, 8-64 characters, and do not repeat', async () => {
    const keys = new Set(Array.from({ length: 2000 }, newIdempotencyKey));
    expect(keys.size).toBe(2000);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  test('the backend accepts a generated key', async () => {
    await expect(
      callFunction('merchant', 'getStatus', {}, { idempotencyKey: newIdempotencyKey() }),
    ).resolves.toBeTruthy();
    expect(h.calls[0].result?.ok).toBe(true);
  });

  test('failureOf passes ApiFailures through and wraps anything else', () => {
    const known = new ApiFailure({ code: 'FUNDS.INSUFFICIENT_BALANCE' });
    expect(known.message).toBe('可用余额不足');
    expect(failureOf(known)).toBe(known);
    const wrapped = failureOf(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(wrapped).toMatchObject({
      code: 'CLIENT.UNEXPECTED',
      message: '小程序出了点问题，请重试',
    });
    expect(wrapped.detail).toMatch(/Cannot read properties/);
    expect(failureOf('weird').detail).toBe('weird');
  });
});
