// WeChat Pay's payment and refund notifications. The signature is checked
// over the raw body with the key its serial names, stale timestamps and
// signature probes are refused, and the resource is decrypted and parsed
// (PayProvider.parseNotification); anything that fails gets a non-2xx reply
// and changes nothing. A verified notification is applied once, however
// often WeChat sends it; 204 tells WeChat to stop retrying.
import type { PayNotification } from '../ports/pay';
import type { Deps } from '../runtime/deps';
import { type HttpEvent, type HttpResult, lowerCasedHeaders, rawBody } from '../runtime/http';
import { applyRefundStatus } from './apply-refund';
import { applyTransaction } from './apply-transaction';

/** WeChat Pay reads a failure reply as {code, message}; only the status decides whether it retries. */
function fail(statusCode: number, message: string): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'FAIL', message }),
  };
}

export async function handlePayNotification(deps: Deps, event: HttpEvent): Promise<HttpResult> {
  const log = deps.log.child({ fn: 'payNotify' });
  if (event?.httpMethod !== 'POST') return fail(405, 'POST only');

  let notification: PayNotification;
  try {
    notification = await deps.pay.parseNotification(lowerCasedHeaders(event.headers), rawBody(event));
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
