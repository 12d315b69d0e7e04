// The local WeChat Pay v3 sandbox: WeChat's own paths on 127.0.0.1, signed
// requests required, signed answers, notifications with the retry schedule,
// and sandbox-only endpoints (under /sandbox) standing in for the buyer, the
// reviewer and the bank. Everything it knows survives a restart.
import Fastify, { type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  applymentRoutes,
  confirmApplyment,
  forceApplyment,
  type ForcedOutcome,
  signApplyment,
  applymentWire,
} from './applyment';
import { installProtocol } from './auth';
import { billRoutes } from './bills';
import { type PlatformCertInfo, PLATFORM_MODES, type RotateOptions } from './certificates';
import { createContext, type SandboxContext, type SandboxOptions } from './context';
import { loadOrCreateKeys, type SandboxKeys } from './keys';
import { mediaRoutes } from './media';
import { createSubMerchant, balanceOf, type MerchantDoc, type NewSubMerchant } from './merchants';
import { attemptDelivery, type DeliveryDoc, listDeliveries, notifyRoutes } from './notify';
import { page, escapeHtml } from './pages';
import { type BuyerPayInput, type BuyerPayResult, buyerPay, buyerRoutes } from './buyer';
import { paymentRoutes } from './payments';
import { forceRefund, refundRoutes } from './refunds';
import { forceSettlement, settlementRoutes } from './settlement';
import { SandboxState } from './state';
import { forceWithdraw, setBank, withdrawRoutes } from './withdraw';
import { parse } from './errors';
import { SANDBOX_FILES } from '../../core/adapters/wechatpay/config';
import { acceptOnlyLoopbackHosts, hostRefusal } from '../loopback-host';
import type {
  WxApplymentStatus,
  WxRefund,
  WxSettlementApplication,
  WxWithdraw,
} from '../../core/adapters/wechatpay/wire';

export type { SandboxOptions } from './context';

export class Sandbox {
  private ticker: NodeJS.Timeout | null = null;
  private pass: Promise<number> = Promise.resolve(0);
  private readonly inflight = new Set<Promise<void>>();

  private constructor(
    readonly app: FastifyInstance,
    readonly ctx: SandboxContext,
    readonly dir: string,
    private readonly tickMs: number,
  ) {}

  static async create(options: SandboxOptions): Promise<Sandbox> {
    const keys = await loadOrCreateKeys(options.dir, options.seedKeys);
    const state = new SandboxState(path.join(options.dir, 'sandbox.sqlite'));
    const ctx = createContext(state, keys, options);
    if (!PLATFORM_MODES.includes(ctx.platformMode)) throw new RangeError(`unknown platform mode ${ctx.platformMode}`);
    // Certificate mode signs with a platform certificate from the first answer on.
    if (ctx.platformMode === 'certificate') await ctx.certificates.ensure();
    // Tells the local adapter (configFromSandboxDir) how to verify this sandbox.
    fs.writeFileSync(path.join(options.dir, SANDBOX_FILES.platformMode), `${ctx.platformMode}\n`, { mode: 0o600 });
    // A delivery cut off by a stop goes out again.
    for (const d of state.list<DeliveryDoc>('delivery', { state: 'sending' }))
      state.put('delivery', d.id, { ...d, state: 'pending' }, ctx.now().getTime());
    const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, forceCloseConnections: true });
    // Before every route: only requests addressed to 127.0.0.1 or localhost (DNS rebinding guard).
    acceptOnlyLoopbackHosts(app, (reply, host, allowed) =>
      reply.send({ code: 'HOST_NOT_ALLOWED', message: hostRefusal(host, allowed) }),
    );
    installProtocol(app, ctx);
    paymentRoutes(app, ctx);
    buyerRoutes(app, ctx);
    refundRoutes(app, ctx);
    billRoutes(app, ctx);
    mediaRoutes(app, ctx);
    applymentRoutes(app, ctx);
    settlementRoutes(app, ctx);
    withdrawRoutes(app, ctx);
    notifyRoutes(app, ctx);
    const sandbox = new Sandbox(app, ctx, options.dir, options.tickMs ?? 200);
    sandbox.adminRoutes();
    await app.ready();
    return sandbox;
  }

  get keys(): SandboxKeys {
    return this.ctx.keys;
  }

  get url(): string {
    return this.ctx.baseUrl;
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and starts the background ticker. */
  async listen(port = 8788, host = '127.0.0.1'): Promise<string> {
    await this.app.listen({ port, host });
    const address = this.app.server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    this.ctx.baseUrl = `http://${host}:${actual}`;
    if (this.tickMs > 0) {
      this.ticker = setInterval(
        () => void this.runDue().catch((err) => this.ctx.log('tick failed', { error: (err as Error).message })),
        this.tickMs,
      );
      this.ticker.unref();
    }
    return this.ctx.baseUrl;
  }

  /** Stops the background passes (runDue/flush still work). */
  stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** Lets the process exit while the sandbox is still listening (tests). */
  unref(): void {
    this.app.server.unref();
  }

  async close(): Promise<void> {
    this.stopTicker();
    await this.pass.catch(() => undefined);
    await Promise.allSettled([...this.inflight]);
    await this.app.close();
    this.ctx.state.close();
  }

  /**
   * Applies every transition due at the sandbox clock's now and starts due
   * notification attempts; passes never overlap. Resolves with how many
   * documents it handled (deliveries still in flight: see flush()).
   */
  runDue(): Promise<number> {
    this.pass = this.pass.catch(() => 0).then(() => this.onePass());
    return this.pass;
  }

  private async onePass(): Promise<number> {
    let handled = this.ctx.applyDue();
    for (const { kind, id } of this.ctx.state.due(this.ctx.now().getTime())) {
      if (kind !== 'delivery') continue;
      const p = attemptDelivery(this.ctx, id).catch((err) =>
        this.ctx.log('delivery failed', { id, error: (err as Error).message }),
      );
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
      handled++;
    }
    return handled;
  }

  /** runDue, then waits for every notification attempt it started. */
  async flush(): Promise<number> {
    const n = await this.runDue();
    await Promise.allSettled([...this.inflight]);
    return n;
  }

  // ---- sandbox-only operations (also served under /sandbox) ----------------------------------

  pay(input: BuyerPayInput): BuyerPayResult {
    this.ctx.applyDue();
    return buyerPay(this.ctx, input);
  }

  createSubMerchant(input: NewSubMerchant): MerchantDoc {
    return createSubMerchant(this.ctx, input);
  }

  balance(subMchid: string): number {
    this.ctx.applyDue();
    return balanceOf(this.ctx, subMchid);
  }

  forceRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED', subMchid?: string): WxRefund {
    this.ctx.applyDue();
    return forceRefund(this.ctx, outRefundNo, status, subMchid);
  }

  forceApplyment(businessCode: string, outcome: ForcedOutcome): WxApplymentStatus {
    return forceApplyment(this.ctx, businessCode, outcome);
  }

  confirmApplyment(applymentId: string): WxApplymentStatus {
    return applymentWire(confirmApplyment(this.ctx, applymentId));
  }

  signApplyment(applymentId: string): WxApplymentStatus {
    return applymentWire(signApplyment(this.ctx, applymentId));
  }

  forceSettlement(
    applicationNo: string,
    result: 'AUDIT_SUCCESS' | 'AUDIT_FAIL',
    reason?: string,
  ): WxSettlementApplication {
    this.ctx.applyDue();
    return forceSettlement(this.ctx, applicationNo, result, reason);
  }

  forceWithdraw(withdrawId: string, status: 'SUCCESS' | 'FAIL' | 'REFUND', reason?: string): WxWithdraw {
    this.ctx.applyDue();
    return forceWithdraw(this.ctx, withdrawId, status, reason);
  }

  setBank(mode: 'succeed' | 'fail', reason?: string): void {
    setBank(this.ctx, { mode, ...(reason ? { reason } : {}) });
  }

  deliveries(filter: { ref?: string; state?: string; limit?: number } = {}): DeliveryDoc[] {
    return listDeliveries(this.ctx, filter);
  }

  /** The platform certificates, oldest first, with the one signing now marked (no private keys). */
  async certificates(): Promise<PlatformCertInfo[]> {
    await this.ctx.certificates.ensure();
    return this.ctx.certificates.info();
  }

  /** A platform certificate change (see SandboxCertificates.rotate); resolves with the new certificate. */
  async rotateCertificate(options: RotateOptions = {}): Promise<PlatformCertInfo> {
    const cert = await this.ctx.certificates.rotate(options);
    this.ctx.log('platform certificate rotated', { serial: cert.serial_no, effective: cert.effective_time });
    const info = this.ctx.certificates.info().find((c) => c.serial_no === cert.serial_no);
    if (!info) throw new Error('rotated certificate missing');
    return info;
  }

  /** Signs with this usable certificate (as WeChat may during a change) until told otherwise; null: the newest. */
  signWithCertificate(serial: string | null): void {
    this.ctx.certificates.signWith(serial);
  }

  private adminRoutes(): void {
    const ctx = this.ctx;
    this.app.post('/sandbox/sub-merchants', async (request) =>
      createSubMerchant(ctx, (request.body ?? {}) as NewSubMerchant),
    );
    this.app.get<{ Params: { sub: string } }>('/sandbox/sub-merchants/:sub', async (request) => {
      const m = ctx.state.get<MerchantDoc>('merchant', request.params.sub);
      return m
        ? { ...m, balance: balanceOf(ctx, m.sub_mchid) }
        : { code: 'RESOURCE_NOT_EXISTS', message: 'no such sub-merchant' };
    });
    this.app.post('/sandbox/tick', async () => ({ handled: await this.flush() }));
    // The platform certificates (平台证书) as WeChat serves them to the merchant: signed request, signed answer.
    this.app.get('/v3/certificates', async () => {
      await ctx.certificates.ensure();
      return ctx.certificates.wire(ctx.keys.apiV3Key);
    });
    this.app.get('/sandbox/certificates', async () => {
      const data = await this.certificates();
      return { mode: ctx.platformMode, ca: ctx.certificates.caCertificate(), data };
    });
    const rotation = z
      .object({
        effective_in_seconds: z.int().nonnegative().optional(),
        overlap_seconds: z.int().nonnegative().optional(),
      })
      .strict();
    this.app.post('/sandbox/certificates/rotate', async (request) => {
      const b = parse(rotation, request.body);
      return this.rotateCertificate({ effectiveInSeconds: b.effective_in_seconds, overlapSeconds: b.overlap_seconds });
    });
    this.app.get('/sandbox', async (_request, reply) => {
      const k = ctx.keys;
      const merchants = ctx.state.list<MerchantDoc>('merchant', {}, { newestFirst: true, limit: 50 });
      const recent = listDeliveries(ctx, { limit: 20 });
      return reply.type('text/html; charset=utf-8').send(
        page(
          'WeChat Pay v3 sandbox',
          `<h1>WeChat Pay v3 sandbox</h1>
           <p>Base URL <code>${escapeHtml(ctx.baseUrl)}</code>, keys in <code>${escapeHtml(this.dir)}</code></p>
           <table><tr><td>mchid</td><td><code>${k.mchid}</code></td></tr><tr><td>appid</td><td><code>${k.appid}</code></td></tr>
           <tr><td>merchant serial</td><td><code>${k.merchantSerial}</code></td></tr><tr><td>WeChat Pay public key id</td><td><code>${k.platformKeyId}</code></td></tr>
           <tr><td>signs with</td><td>${ctx.platformMode === 'public_key' ? 'the WeChat Pay public key' : `platform certificate <code>${escapeHtml(ctx.certificates.current()?.serial_no ?? '-')}</code>`}</td></tr></table>
           <h2>Platform certificates</h2><table>${ctx.certificates
             .info()
             .map(
               (c) =>
                 `<tr><td><code>${c.serial_no}</code></td><td>${escapeHtml(c.effective_time)}</td><td>${escapeHtml(c.expire_time)}</td><td>${c.signing && ctx.platformMode === 'certificate' ? 'signing' : ''}</td></tr>`,
             )
             .join('')}</table>
           <p>JSON: <code>GET /sandbox/certificates</code>; rotate: <code>POST /sandbox/certificates/rotate</code> <code>{"overlap_seconds":86400}</code></p>
           <h2>Sub-merchants</h2><table>${merchants.map((m) => `<tr><td>${m.sub_mchid}</td><td>${escapeHtml(m.merchant_name)}</td><td>${m.rate_ppm / 10_000}%</td><td>${balanceOf(ctx, m.sub_mchid)} fen</td></tr>`).join('')}</table>
           <h2>Recent notifications</h2><table>${recent
             .map(
               (d) =>
                 `<tr><td>${d.id}</td><td>${escapeHtml(d.event_type)}</td><td>${escapeHtml(d.ref)}</td><td>${d.state}</td><td>${d.attempts.length} attempt(s)</td></tr>`,
             )
             .join('')}</table>
           <p>JSON: <code>GET /sandbox/notifications</code></p>`,
        ),
      );
    });
  }
}

/** Creates the sandbox for `options.dir` and listens on `port` (0: any free port). */
export async function startSandbox(options: SandboxOptions & { port?: number }): Promise<Sandbox> {
  const sandbox = await Sandbox.create(options);
  await sandbox.listen(options.port ?? 8788);
  return sandbox;
}
