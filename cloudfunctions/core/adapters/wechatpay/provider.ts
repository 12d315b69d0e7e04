// PayProvider on WeChat Pay API v3 in service-provider (partner) mode. Every
// method is one v3 call on WeChat's own path; the local sandbox serves the
// same paths, so this class is what runs in production and in local mode.
// Every answer and notification the code reads is checked against a schema
// (wire.ts) before use: a shape WeChat never sends is refused, not guessed at.
import { z } from 'zod';
import type { Clock } from '../../ports/clock';
import {
  type ApplymentStatus,
  type ClientPayParams,
  type PayNotification,
  PayError,
  type PayProvider,
  type PrepayRequest,
  type Refund,
  type RefundRequest,
  type SettlementAccount,
  type SettlementModifyState,
  type Transaction,
  type WithdrawStatus,
} from '../../ports/pay';
import { WechatPayClient } from './client';
import { configFromEnv, configFromSandboxDir } from './config';
import { clientPaySign, SignatureError, sha256Hex, unixSeconds } from './crypto';
import { rfc3339 } from '../../../../miniprogram/shared/beijing';
import {
  describeIssues,
  toApplymentStatus,
  toRefund,
  toTransaction,
  wxApplymentStatusSchema,
  wxNotificationSchema,
  wxRefundSchema,
  wxSettlementApplicationSchema,
  wxTransactionSchema,
  wxWithdrawSchema,
} from './wire';

const seg = encodeURIComponent;

/** A query's 404 (ORDER_NOT_EXIST, RESOURCE_NOT_EXISTS, …) means "no such thing". */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof PayError && err.status === 404) return null;
    throw err;
  }
}

/** An answer the code relies on, checked: a missing body or another shape is BAD_RESPONSE (no values echoed). */
function answer<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  if (data === undefined) throw new PayError(200, 'BAD_RESPONSE', `${what} answered without a body`);
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new PayError(
      200,
      'BAD_RESPONSE',
      `${what} answered with an unexpected shape: ${describeIssues(parsed.error)}`,
    );
  return parsed.data;
}

const prepayAnswer = z.object({ prepay_id: z.string().min(1) });
const billAnswer = z.object({ hash_type: z.string(), hash_value: z.string().min(1), download_url: z.string().min(1) });
const mediaAnswer = z.object({ media_id: z.string().min(1) });
const applymentAnswer = z.object({ applyment_id: z.int() });
const modifySettlementAnswer = z.object({ application_no: z.string().min(1) });
const withdrawAnswer = z.object({ withdraw_id: z.string().min(1) });

/** Image type by content (WeChat takes JPG, BMP and PNG). */
export function imageType(file: Buffer): 'image/jpeg' | 'image/png' | 'image/bmp' | null {
  if (file.length >= 3 && file[0] === 0xff && file[1] === 0xd8 && file[2] === 0xff) return 'image/jpeg';
  if (file.length >= 8 && file.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (file.length >= 2 && file[0] === 0x42 && file[1] === 0x4d) return 'image/bmp';
  return null;
}

export class WechatPayProvider implements PayProvider {
  constructor(readonly client: WechatPayClient) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env, clock?: Clock): WechatPayProvider {
    return new WechatPayProvider(new WechatPayClient(configFromEnv(env), { clock }));
  }

  static fromSandboxDir(dir: string, baseUrl: string, clock?: Clock): WechatPayProvider {
    return new WechatPayProvider(new WechatPayClient(configFromSandboxDir(dir, baseUrl), { clock }));
  }

  private get sp() {
    return this.client.config;
  }

  // ---- payments ------------------------------------------------------------------

  async prepay(r: PrepayRequest): Promise<{ prepayId: string }> {
    const { data } = await this.client.request<unknown>('POST', '/v3/pay/partner/transactions/jsapi', {
      body: {
        sp_appid: this.sp.spAppid,
        sp_mchid: this.sp.spMchid,
        sub_appid: r.subAppid,
        sub_mchid: r.subMchid,
        description: r.description,
        out_trade_no: r.outTradeNo,
        time_expire: rfc3339(r.expireAt),
        ...(r.attach ? { attach: r.attach } : {}),
        notify_url: r.notifyUrl,
        amount: { total: r.totalFen, currency: 'CNY' },
        payer: { sub_openid: r.openid },
      },
    });
    return { prepayId: answer(prepayAnswer, data, 'prepay').prepay_id };
  }

  clientParams(appid: string, prepayId: string): ClientPayParams {
    return clientPaySign(appid, prepayId, this.sp.merchantPrivateKey, unixSeconds(this.client.clock.now()));
  }

  async queryTransaction(subMchid: string, outTradeNo: string): Promise<Transaction | null> {
    const res = await orNull(
      this.client.request<unknown>('GET', `/v3/pay/partner/transactions/out-trade-no/${seg(outTradeNo)}`, {
        query: { sp_mchid: this.sp.spMchid, sub_mchid: subMchid },
      }),
    );
    return res ? toTransaction(answer(wxTransactionSchema, res.data, 'transaction query')) : null;
  }

  async closeTransaction(subMchid: string, outTradeNo: string): Promise<void> {
    await this.client.request('POST', `/v3/pay/partner/transactions/out-trade-no/${seg(outTradeNo)}/close`, {
      body: { sp_mchid: this.sp.spMchid, sub_mchid: subMchid },
    });
  }

  async refund(r: RefundRequest): Promise<Refund> {
    const { data } = await this.client.request<unknown>('POST', '/v3/refund/domestic/refunds', {
      body: {
        sub_mchid: r.subMchid,
        out_trade_no: r.outTradeNo,
        out_refund_no: r.outRefundNo,
        ...(r.reason ? { reason: r.reason } : {}),
        notify_url: r.notifyUrl,
        amount: { refund: r.refundFen, total: r.totalFen, currency: 'CNY' },
      },
    });
    return { ...toRefund(answer(wxRefundSchema, data, 'refund')), subMchid: r.subMchid };
  }

  async queryRefund(subMchid: string, outRefundNo: string): Promise<Refund | null> {
    const res = await orNull(
      this.client.request<unknown>('GET', `/v3/refund/domestic/refunds/${seg(outRefundNo)}`, {
        query: { sub_mchid: subMchid },
      }),
    );
    return res ? { ...toRefund(answer(wxRefundSchema, res.data, 'refund query')), subMchid } : null;
  }

  async parseNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<PayNotification> {
    await this.client.verify(headers, rawBody);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new SignatureError('BAD_BODY', 'notification body is not JSON');
    }
    const envelope = wxNotificationSchema.safeParse(body);
    if (!envelope.success)
      throw new SignatureError(
        'BAD_BODY',
        `notification without id, event_type or resource (${describeIssues(envelope.error)})`,
      );
    const note = envelope.data;
    const plain = this.client.decrypt(note.resource);
    let resource: unknown;
    try {
      resource = JSON.parse(plain);
    } catch {
      throw new SignatureError('BAD_BODY', 'decrypted resource is not JSON');
    }
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource))
      throw new SignatureError('BAD_BODY', 'decrypted resource is not an object');
    // A correctly signed notification for another merchant is still not ours to process.
    const { sp_mchid, mchid } = resource as { sp_mchid?: unknown; mchid?: unknown };
    const owner = sp_mchid ?? mchid;
    if (owner !== this.sp.spMchid)
      throw new SignatureError(
        'BAD_BODY',
        `notification for merchant ${typeof owner === 'string' ? owner : typeof owner}, not ${this.sp.spMchid}`,
      );
    // Signed and decrypted is not yet well-formed: what is read must have WeChat's shape (refused like a bad signature).
    const parsed = <S extends z.ZodType>(schema: S, what: string): z.output<S> => {
      const result = schema.safeParse(resource);
      if (!result.success)
        throw new SignatureError(
          'BAD_BODY',
          `decrypted ${what} resource has an unexpected shape: ${describeIssues(result.error)}`,
        );
      return result.data;
    };
    if (note.event_type.startsWith('TRANSACTION.')) {
      return {
        id: note.id,
        kind: 'transaction',
        eventType: note.event_type,
        transaction: toTransaction(parsed(wxTransactionSchema, 'transaction')),
      };
    }
    if (note.event_type.startsWith('REFUND.')) {
      return {
        id: note.id,
        kind: 'refund',
        eventType: note.event_type,
        refund: toRefund(parsed(wxRefundSchema, 'refund')),
      };
    }
    throw new SignatureError('BAD_BODY', `unsupported event ${note.event_type}`);
  }

  async tradeBill(subMchid: string, billDate: string): Promise<string | null> {
    let data: unknown;
    try {
      ({ data } = await this.client.request<unknown>('GET', '/v3/bill/tradebill', {
        query: { bill_date: billDate, sub_mchid: subMchid, bill_type: 'ALL', tar_type: 'GZIP' },
      }));
    } catch (err) {
      // WeChat has no bill for a day without transactions.
      if (err instanceof PayError && err.code === 'NO_STATEMENT_EXIST') return null;
      throw err;
    }
    const info = answer(billAnswer, data, 'tradebill');
    if (info.hash_type !== 'SHA1')
      throw new PayError(200, 'BAD_RESPONSE', `unexpected bill answer (hash_type ${info.hash_type})`);
    return (await this.client.download(info.download_url, info.hash_value, true)).toString('utf8');
  }

  // ---- merchant application ------------------------------------------------------

  async uploadImage(file: Buffer, filename: string): Promise<{ mediaId: string }> {
    const type = imageType(file);
    if (!type) throw new PayError(400, 'PARAM_ERROR', 'only JPG, BMP and PNG images can be uploaded');
    const data = await this.client.upload<unknown>(
      '/v3/merchant/media/upload',
      file,
      { filename, sha256: sha256Hex(file) },
      type,
    );
    return { mediaId: answer(mediaAnswer, data, 'media upload').media_id };
  }

  prepareSensitive(): Promise<void> {
    return this.client.prepareSensitive();
  }

  encryptSensitive(plain: string): string {
    return this.client.encryptSensitive(plain);
  }

  async submitApplyment(body: Record<string, unknown>): Promise<{ applymentId: string }> {
    const { data } = await this.client.request<unknown>('POST', '/v3/applyment4sub/applyment/', {
      body,
      sensitive: true,
    });
    return { applymentId: String(answer(applymentAnswer, data, 'applyment').applyment_id) };
  }

  async queryApplyment(businessCode: string): Promise<ApplymentStatus | null> {
    const res = await orNull(
      this.client.request<unknown>('GET', `/v3/applyment4sub/applyment/business_code/${seg(businessCode)}`),
    );
    return res ? toApplymentStatus(answer(wxApplymentStatusSchema, res.data, 'applyment query')) : null;
  }

  // ---- settlement account --------------------------------------------------------

  async modifySettlement(subMchid: string, a: SettlementAccount): Promise<{ applicationNo: string }> {
    await this.prepareSensitive();
    const { data } = await this.client.request<unknown>(
      'POST',
      `/v3/apply4sub/sub_merchants/${seg(subMchid)}/modify-settlement`,
      {
        sensitive: true,
        body: {
          // Without it WeChat may answer synchronously and return no application_no.
          modify_mode: 'MODIFY_MODE_ASYNC',
          account_type: a.accountType,
          account_bank: a.accountBank,
          bank_address_code: a.bankAddressCode,
          ...(a.bankName ? { bank_name: a.bankName } : {}),
          account_name: this.encryptSensitive(a.accountName),
          account_number: this.encryptSensitive(a.accountNumber),
        },
      },
    );
    return { applicationNo: answer(modifySettlementAnswer, data, 'modify-settlement').application_no };
  }

  async querySettlementModification(
    subMchid: string,
    applicationNo: string,
  ): Promise<{ state: SettlementModifyState; reason?: string }> {
    const res = await this.client.request<unknown>(
      'GET',
      `/v3/apply4sub/sub_merchants/${seg(subMchid)}/application/${seg(applicationNo)}`,
    );
    const data = answer(wxSettlementApplicationSchema, res.data, 'settlement application query');
    return { state: data.verify_result, ...(data.verify_fail_reason ? { reason: data.verify_fail_reason } : {}) };
  }

  // ---- withdrawals ---------------------------------------------------------------

  async withdraw(r: {
    subMchid: string;
    outRequestNo: string;
    amountFen: number;
    remark?: string;
  }): Promise<{ withdrawId: string }> {
    const { data } = await this.client.request<unknown>('POST', '/v3/ecommerce/fund/withdraw', {
      body: {
        sub_mchid: r.subMchid,
        out_request_no: r.outRequestNo,
        amount: r.amountFen,
        ...(r.remark ? { remark: r.remark } : {}),
      },
    });
    return { withdrawId: answer(withdrawAnswer, data, 'withdraw').withdraw_id };
  }

  async queryWithdraw(
    subMchid: string,
    outRequestNo: string,
  ): Promise<{ status: WithdrawStatus; reason?: string } | null> {
    const res = await orNull(
      this.client.request<unknown>('GET', `/v3/ecommerce/fund/withdraw/out-request-no/${seg(outRequestNo)}`, {
        query: { sub_mchid: subMchid },
      }),
    );
    if (!res) return null;
    const data = answer(wxWithdrawSchema, res.data, 'withdraw query');
    return { status: data.status, ...(data.reason ? { reason: data.reason } : {}) };
  }
}
