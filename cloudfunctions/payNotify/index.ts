// payNotify: WeChat Pay's payment and refund notifications, behind an HTTP
// trigger. The signature is checked over the raw body with the key its serial
// names, stale timestamps and signature probes are refused, and the resource
// is decrypted (PayProvider.parseNotification); anything that fails gets a
// non-2xx reply and changes nothing. A verified notification is applied
// once, however often WeChat sends it; 204 tells WeChat to stop retrying.
import { applyRefundStatus } from '../checkout/apply-refund';
import { applyTransaction } from '../checkout/apply-transaction';
import { getDeps } from '../core/runtime/deps';
import type { HttpEvent, HttpResult } from '../local/http-functions';

/** WeChat Pay reads a failure reply as {code, message}; only the status decides whether it retries. */
function fail(statusCode: number, message: string): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'FAIL', message }) };
}

function lowerCased(headers: HttpEvent['headers'] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

export async function main(event: HttpEvent): Promise<HttpResult> {
  const deps = await getDeps();
  const log = deps.log.child({ fn: 'payNotify' });
  if (event?.httpMethod !== 'POST') return fail(405, 'POST only');
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');

  let notification;
  try {
    notification = deps.pay.parseNotification(lowerCased(event.headers), raw);
  } catch (err) {
    log.warn({ reason: (err as Error).message }, 'notification refused');
    return fail(401, 'signature verification failed');
  }

  try {
    const outcome =
      notification.kind === 'transaction'
        ? await applyTransaction(deps, notification.transaction, 'notify')
        : await applyRefundStatus(deps, notification.refund, 'notify');
    log.info({ id: notification.id, eventType: notification.eventType, outcome }, 'notification applied');
    return { statusCode: 204 };
  } catch (err) {
    // Ours, not the sender's: a 500 makes WeChat Pay send it again later.
    log.error({ err, id: notification.id }, 'notification not applied');
    return fail(500, 'temporarily unable to process');
  }
}
