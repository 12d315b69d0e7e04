// Driving the onboarding actions through merchant's main(), as the app does.
import type { ApplicationView, DocumentSlot, MerchantType, StepData } from '../../typings/onboarding';
import { main } from '../../cloudfunctions/merchant';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
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

export async function uploadAll(type: MerchantType, who: Identity = admin, slots = requiredSlots(type)): Promise<void> {
  for (const slot of slots) {
    await ok(merchant('uploadDocument', { slot: slot as DocumentSlot, content: jpeg(slot).toString('base64') }, who));
  }
}

/** A complete draft of the type, ready to submit. */
export async function draft(type: MerchantType, steps = validSteps(type)): Promise<ApplicationView> {
  await choose(type);
  await saveAll(steps);
  await uploadAll(type);
  return ok(merchant<ApplicationView>('getApplication'));
}
