// payNotify: WeChat Pay's payment and refund notifications, behind an HTTP
// trigger (see core/payments/notifications.ts for what is checked).
import { handlePayNotification } from '../core/payments/notifications';
import { getDeps } from '../core/runtime/deps';
import type { HttpEvent, HttpResult } from '../core/runtime/http';

export async function main(event: HttpEvent): Promise<HttpResult> {
  return handlePayNotification(await getDeps(), event);
}
