// Driving the onboarding actions through merchant's main(), as the app does.
import type { ApplicationView, DocumentSlot, MerchantType, StepData } from '../../typings/onboarding';
import { main } from '../../cloudfunctions/merchant';
import { uploadFolder } from '../../cloudfunctions/core/onboarding/documents';
import { getDeps } from '../../cloudfunctions/core/runtime/deps';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { ApiResult } from '../../typings/api';
import { admin, call, ok } from '../support/deps';
import { jpeg, requiredSlots, validSteps } from './fixtures';

let keys = 0;
export const key = () => `test-key-${String(++keys).padStart(6, '0')}`;

export const merchant = <T = unknown>(action: string, data?: unknown, who: Identity = admin, idempotencyKey?: string) =>
  call<T>(main, who, action, data, idempotencyKey);

export async function choose(type: MerchantType, who: Identity = admin): Promise<ApplicationView> {
  return ok(merchant<ApplicationView>('chooseType', { merchantType: type }, who, key()));
}

export async function saveAll(steps: StepData, who: Identity = admin): Promise<ApplicationView> {
  let view: ApplicationView | undefined;
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const) {
    view = await ok(merchant<ApplicationView>('saveStep', { step, data: steps[step] }, who));
  }
  return view!;
}

/**
 * A file in cloud storage, as wx.cloud.uploadFile leaves it: in the caller's
 * own upload folder unless `key` says where. Resolves with its file id.
 */
export async function placeUpload(content: Buffer, who: Identity = admin, key?: string): Promise<string> {
  const cloudPath = key ?? `${uploadFolder(who)}/photo-${Math.random().toString(36).slice(2)}.jpg`;
  return (await (await getDeps()).files.put(cloudPath, content, 'application/octet-stream')).fileId;
}

/** A photo the way the app sends it: a path from the server, the file uploaded there, the file id handed over. */
export async function upload<T = unknown>(slot: string, content: Buffer, who: Identity = admin): Promise<ApiResult<T>> {
  const prepared = await merchant<{ cloudPath: string }>('prepareDocumentUpload', { slot }, who);
  if (!prepared.ok) return prepared as ApiResult<never>;
  const fileId = await placeUpload(content, who, prepared.data.cloudPath);
  return merchant<T>('uploadDocument', { slot, fileId }, who);
}

export async function uploadAll(type: MerchantType, who: Identity = admin, slots = requiredSlots(type)): Promise<void> {
  for (const slot of slots) await ok(upload(slot as DocumentSlot, jpeg(slot), who));
}

/** A complete draft of the type, ready to submit. */
export async function draft(type: MerchantType, steps = validSteps(type)): Promise<ApplicationView> {
  await choose(type);
  await saveAll(steps);
  await uploadAll(type);
  return ok(merchant<ApplicationView>('getApplication'));
}
