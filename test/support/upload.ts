// A document photo through a running local stack, the way the app sends it:
// a path from merchant.prepareDocumentUpload, the file to the gateway's
// POST /files (multipart/form-data, as wx.uploadFile posts it), then the file
// id to merchant.uploadDocument.
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { ApiResult } from '../../typings/api';

export interface ReachableStack {
  gatewayUrl: string;
  call<T = unknown>(fn: string, action: string, data: unknown, who: Identity, key?: string): Promise<ApiResult<T>>;
}

export async function uploadPhoto<T = unknown>(
  stack: ReachableStack,
  who: Identity,
  slot: string,
  content: Buffer,
): Promise<ApiResult<T>> {
  const prepared = await stack.call<{ cloudPath: string }>(
    'merchant',
    'prepareDocumentUpload',
    { slot, ext: 'jpg' },
    who,
  );
  if (!prepared.ok) return prepared;
  const form = new FormData();
  form.append('cloudPath', prepared.data.cloudPath);
  form.append('file', new Blob([content]), `${slot}.jpg`);
  const res = await fetch(`${stack.gatewayUrl}/files`, {
    method: 'POST',
    body: form,
    headers: { 'x-wx-openid': who.openid, 'x-wx-appid': who.appid },
    signal: AbortSignal.timeout(15_000),
  });
  const stored = (await res.json()) as ApiResult<{ fileID: string }>;
  if (!stored.ok) return stored;
  return stack.call<T>('merchant', 'uploadDocument', { slot, fileId: stored.data.fileID }, who);
}
