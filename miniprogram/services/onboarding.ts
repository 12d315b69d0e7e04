// Merchant account application (cloudfunctions/merchant, onboarding
// actions), and the wx.* side effects of the flow: choosing and reading a
// photo, copying a link, and keeping unsaved form input across app restarts.
import type {
  ApplicationView,
  DocumentInfo,
  DocumentSlot,
  MerchantType,
  OnboardingIntro,
  StepName,
} from '../../typings/onboarding';
import { callFunction } from './transport';

export function fetchIntro(): Promise<OnboardingIntro> {
  return callFunction<OnboardingIntro>('merchant', 'onboardingIntro');
}

/** The open application (personal data masked), or null when there is none. */
export function fetchApplication(): Promise<ApplicationView | null> {
  return callFunction<ApplicationView | null>('merchant', 'getApplication');
}

/** Opens the draft with this type, or changes the type of the open draft. */
export function dispatchChooseType(merchantType: MerchantType, idempotencyKey: string): Promise<ApplicationView> {
  return callFunction<ApplicationView>('merchant', 'chooseType', { merchantType }, { idempotencyKey });
}

/**
 * Saves fields of one step (empty string clears). Fails with INPUT.INVALID or
 * ONBOARDING.ENTITY_MISMATCH carrying `fields` ("identity.number" -> reason).
 */
export function dispatchSaveStep(step: StepName, data: Record<string, string>): Promise<ApplicationView> {
  return callFunction<ApplicationView>('merchant', 'saveStep', { step, data });
}

export function dispatchUploadDocument(
  slot: DocumentSlot,
  contentBase64: string,
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  return callFunction('merchant', 'uploadDocument', { slot, content: contentBase64 });
}

export function fetchDocumentPreview(
  slot: DocumentSlot,
): Promise<{ slot: DocumentSlot; contentType: string; content: string }> {
  return callFunction('merchant', 'previewDocument', { slot });
}

/** Fails with ONBOARDING.INCOMPLETE / ENTITY_MISMATCH listing every problem in `fields`. */
export function dispatchSubmit(idempotencyKey: string): Promise<ApplicationView> {
  return callFunction<ApplicationView>('merchant', 'submitApplication', {}, { idempotencyKey });
}

export function dispatchCancel(idempotencyKey: string): Promise<{ state: 'CANCELED' }> {
  return callFunction('merchant', 'cancelApplication', {}, { idempotencyKey });
}

/** Asks WeChat Pay for the review's progress now. */
export function dispatchRefresh(): Promise<ApplicationView> {
  return callFunction<ApplicationView>('merchant', 'refreshApplication');
}

// ---- photos -----------------------------------------------------------------------

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface ChosenImage {
  path: string;
  size: number;
}

/** One photo from the album or camera (compressed by WeChat); null when the admin backs out. */
export function chooseImage(): Promise<ChosenImage | null> {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      success: (res) => {
        const file = res.tempFiles?.[0];
        resolve(file ? { path: file.tempFilePath, size: file.size } : null);
      },
      fail: (err) => (/cancel/.test(err.errMsg) ? resolve(null) : reject(new Error(err.errMsg))),
    });
  });
}

export function readImageBase64(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath: path,
      encoding: 'base64',
      success: (res) => resolve(String(res.data)),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}

export function copyText(data: string): Promise<boolean> {
  return new Promise((resolve) =>
    wx.setClipboardData({ data, success: () => resolve(true), fail: () => resolve(false) }),
  );
}

// ---- unsaved input --------------------------------------------------------------------
// What the admin typed but has not saved yet survives leaving the app. Only
// fields without personal data are kept on the phone; the saved draft itself
// lives on the server.

const draftKey = (step: StepName) => `onboarding.unsaved.${step}`;

export function loadUnsaved(step: StepName): Record<string, string> {
  try {
    const value = wx.getStorageSync(draftKey(step));
    return value && typeof value === 'object' ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function keepUnsaved(step: StepName, values: Record<string, string>): void {
  try {
    wx.setStorageSync(draftKey(step), values);
  } catch {
    // Storage full or unavailable: the input is still on screen.
  }
}

export function forgetUnsaved(step: StepName): void {
  try {
    wx.removeStorageSync(draftKey(step));
  } catch {
    // Nothing to forget.
  }
}
