// Notifications as WeChat Pay sends them: the resource AES-256-GCM encrypted
// with the APIv3 key, the body signed with the platform key, POSTed to the
// notify_url; anything but 200/204 within 5 s is retried on WeChat's schedule.
// Every attempt is recorded, and GET /sandbox/notifications lists them.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { encryptResource, wechatpaySignatureHeaders } from '../../core/adapters/wechatpay/crypto';
import { rfc3339 } from '../../../miniprogram/shared/beijing';
import type { WxNotification } from '../../core/adapters/wechatpay/wire';
import type { SandboxContext } from './context';

/** Seconds between attempts after each failure: 15 retries, 24h4m in all. */
export const RETRY_SCHEDULE_S = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, when the endpoint answered. */
  status?: number;
  error?: string;
  ms: number;
}

export interface DeliveryDoc {
  id: string;
  event_id: string;
  event_type: string;
  notify_url: string;
  /** What it is about, e.g. "order:1600000001|T123" (for listing and tests). */
  ref: string;
  /** The exact JSON body sent on every attempt. */
  body: string;
  state: 'pending' | 'sending' | 'delivered' | 'gave_up';
  attempts: DeliveryAttempt[];
  next_attempt_at?: string;
  created_at: string;
}

export interface NotificationInput {
  notifyUrl: string;
  eventType: string;
  summary: string;
  /** transaction | refund: also the AEAD associated data, as WeChat does. */
  originalType: 'transaction' | 'refund';
  resource: object;
  ref: string;
}

function encryptedResource(
  ctx: SandboxContext,
  n: NotificationInput,
): Omit<WxNotification['resource'], 'original_type'> {
  const { algorithm, ciphertext, nonce } = encryptResource(
    JSON.stringify(n.resource),
    ctx.keys.apiV3Key,
    n.originalType,
  );
  return { algorithm, ciphertext, nonce, associated_data: n.originalType };
}

/** Queues a notification for immediate delivery. */
export function enqueueNotification(ctx: SandboxContext, n: NotificationInput): DeliveryDoc {
  const note: WxNotification = {
    id: crypto.randomUUID(),
    create_time: rfc3339(ctx.now()),
    resource_type: 'encrypt-resource',
    event_type: n.eventType,
    summary: n.summary,
    resource: { ...encryptedResource(ctx, n), original_type: n.originalType },
  };
  const doc: DeliveryDoc = {
    id: `D${String(ctx.state.next('delivery')).padStart(8, '0')}`,
    event_id: note.id,
    event_type: n.eventType,
    notify_url: n.notifyUrl,
    ref: n.ref,
    body: JSON.stringify(note),
    state: 'pending',
    attempts: [],
    created_at: rfc3339(ctx.now()),
  };
  ctx.state.put('delivery', doc.id, doc, ctx.now().getTime());
  ctx.log('notification queued', { id: doc.id, event: n.eventType, ref: n.ref });
  return doc;
}

/** One attempt; schedules the next on failure. Resolves when the attempt is recorded. */
export async function attemptDelivery(ctx: SandboxContext, id: string): Promise<void> {
  const doc = ctx.state.get<DeliveryDoc>('delivery', id);
  if (doc?.state !== 'pending') return;
  // Claim it, so an overlapping pass does not send it twice.
  ctx.state.put('delivery', id, { ...doc, state: 'sending' }, null);
  const started = Date.now();
  const attempt: DeliveryAttempt = { at: rfc3339(ctx.now()), ms: 0 };
  try {
    // Signed afresh on every attempt (new timestamp and nonce), over the same body.
    // With the key in use at this attempt: after a certificate change, a retry carries the new serial.
    const signer = ctx.signer();
    const headers = wechatpaySignatureHeaders(doc.body, signer.serial, signer.privateKey, ctx.now());
    const res = await fetch(doc.notify_url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0 (WeChat Pay sandbox)' },
      body: doc.body,
      signal: AbortSignal.timeout(ctx.notifyTimeoutMs),
    });
    attempt.status = res.status;
    await res.arrayBuffer().catch(() => undefined);
  } catch (err) {
    attempt.error =
      (err as Error).name === 'TimeoutError' ? `no answer within ${ctx.notifyTimeoutMs} ms` : (err as Error).message;
  }
  attempt.ms = Date.now() - started;
  const attempts = [...doc.attempts, attempt];
  // The status is what counts: 200 or 204, whatever the body says.
  if (attempt.status === 200 || attempt.status === 204) {
    ctx.state.put('delivery', id, { ...doc, attempts, state: 'delivered', next_attempt_at: undefined }, null);
    return;
  }
  const retry = RETRY_SCHEDULE_S[attempts.length - 1];
  if (retry === undefined) {
    ctx.state.put('delivery', id, { ...doc, attempts, state: 'gave_up', next_attempt_at: undefined }, null);
    ctx.log('notification abandoned', { id, ref: doc.ref });
    return;
  }
  const next = ctx.after(retry * 1000);
  ctx.state.put('delivery', id, { ...doc, attempts, state: 'pending', next_attempt_at: rfc3339(new Date(next)) }, next);
}

export function listDeliveries(
  ctx: SandboxContext,
  filter: { ref?: string; state?: string; limit?: number } = {},
): DeliveryDoc[] {
  const where: Record<string, string> = {};
  if (filter.ref) where.ref = filter.ref;
  if (filter.state) where.state = filter.state;
  return ctx.state.list<DeliveryDoc>('delivery', where, { newestFirst: true, limit: filter.limit ?? 100 });
}

export function notifyRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get<{ Querystring: { ref?: string; state?: string; limit?: string } }>(
    '/sandbox/notifications',
    async (request) => {
      const { ref, state, limit } = request.query;
      return { data: listDeliveries(ctx, { ref, state, limit: limit ? Number(limit) : undefined }) };
    },
  );
}
