// Merchant account application (cloudfunctions/merchant, onboarding
// actions), and the wx.* side effects of the flow: choosing a photo and
// uploading it to cloud storage, copying a link, and keeping unsaved form
// input across app restarts.
import type {
  ApplicationView,
  DocumentInfo,
  DocumentSlot,
  MerchantType,
  OnboardingIntro,
  StepName,
} from '../../typings/onboarding';
import { config } from '../config';
import { isErrorCode } from '../shared/errors';
import { ApiFailure, callFunction, TransportCodes } from './transport';

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

export interface UploadProgress {
  /** 0-100, as the platform reports it. */
  percent: number;
  sentBytes: number;
  totalBytes: number;
}

/** What an upload is doing: sending the photo (with its progress), then the server checking it. */
export type UploadStage = { stage: 'sending'; progress: UploadProgress } | { stage: 'checking' };

/** Where a photo for this slot goes in cloud storage (a fresh name in the caller's own folder). */
export function prepareDocumentUpload(slot: DocumentSlot, ext?: string): Promise<{ cloudPath: string }> {
  return callFunction('merchant', 'prepareDocumentUpload', ext ? { slot, ext } : { slot });
}

/** Takes an uploaded photo (its file id) as the slot's document; the server checks type and size. */
export function dispatchUploadDocument(
  slot: DocumentSlot,
  fileId: string,
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  return callFunction('merchant', 'uploadDocument', { slot, fileId });
}

/**
 * A photo for a slot, uploaded the way CloudBase apps do: a path from the
 * server, the file itself straight to cloud storage (the local gateway's
 * /files in local mode) with the platform's own progress, then the file id
 * to the function. Fails with an ApiFailure like any call.
 */
export async function uploadDocumentPhoto(
  slot: DocumentSlot,
  filePath: string,
  onStage: (stage: UploadStage) => void,
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  const { cloudPath } = await prepareDocumentUpload(slot, extensionOf(filePath));
  const fileId = await uploadToStorage(cloudPath, filePath, (progress) => onStage({ stage: 'sending', progress }));
  onStage({ stage: 'checking' });
  return dispatchUploadDocument(slot, fileId);
}

/** The image extension of a temp file's path, as the server names it (jpg, png, bmp). */
export function extensionOf(path: string): string | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'jpeg' || ext === 'jpg') return 'jpg';
  return ext === 'png' || ext === 'bmp' ? ext : undefined;
}

// UploadTask.onProgressUpdate reports { progress (percent), totalBytesSent,
// totalBytesExpectedToSend }:
// https://developers.weixin.qq.com/miniprogram/dev/api/network/upload/UploadTask.onProgressUpdate.html
const progressOf = (res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult): UploadProgress => ({
  percent: Math.max(0, Math.min(100, Math.round(res.progress))),
  sentBytes: res.totalBytesSent,
  totalBytes: res.totalBytesExpectedToSend,
});

const unavailable = (detail: string) => new ApiFailure({ code: TransportCodes.UNAVAILABLE }, detail);

/**
 * Sends a file to cloud storage under cloudPath and resolves with its file id.
 * Cloud mode: wx.cloud.uploadFile, which returns its UploadTask only when
 * given callbacks (options cloudPath and filePath, success gives fileID):
 * https://developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloud/reference-sdk-api/storage/uploadFile/client.uploadFile.html
 * Local mode: wx.uploadFile to the gateway, with the identity headers the
 * transport sends; the gateway answers like a function ({ ok, data: { fileID } }).
 */
export function uploadToStorage(
  cloudPath: string,
  filePath: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let task: WechatMiniprogram.UploadTask | undefined;
    try {
      if (config.mode === 'cloud') {
        task = wx.cloud.uploadFile({
          cloudPath,
          filePath,
          success: (res) =>
            res.fileID ? resolve(res.fileID) : reject(badResponse(`cloud.uploadFile: no fileID (${res.errMsg})`)),
          fail: (err) => reject(unavailable(`cloud.uploadFile ${cloudPath}: ${err.errMsg}`)),
        });
      } else {
        const { gateway, openid, appid } = config.local;
        task = wx.uploadFile({
          url: `${gateway}/files`,
          filePath,
          name: 'file',
          formData: { cloudPath },
          header: { 'X-Wx-Openid': openid, 'X-Wx-Appid': appid },
          timeout: UPLOAD_TIMEOUT_MS,
          success: (res) => {
            try {
              resolve(gatewayFileId(res.data, res.statusCode));
            } catch (err) {
              reject(err);
            }
          },
          fail: (err) => reject(unavailable(`gateway /files ${cloudPath}: ${err.errMsg}`)),
        });
      }
    } catch (err) {
      // wx.cloud throws synchronously when it was never initialised: same outcome as offline.
      reject(unavailable(`upload ${cloudPath}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    task?.onProgressUpdate((res) => onProgress(progressOf(res)));
  });
}

/** A photo of up to 2 MB on a slow phone network takes a while; calls get config.timeoutMs. */
const UPLOAD_TIMEOUT_MS = 60_000;

const badResponse = (detail: string) => new ApiFailure({ code: TransportCodes.BAD_RESPONSE }, detail);

/** The file id in the gateway's answer, or its refusal as an ApiFailure. */
function gatewayFileId(data: unknown, status: number): string {
  let body: unknown = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      throw badResponse(`gateway /files: HTTP ${status}, not JSON`);
    }
  }
  const answer = body as { ok?: boolean; data?: { fileID?: unknown }; error?: { code?: unknown; message?: unknown } };
  if (answer?.ok === true && typeof answer.data?.fileID === 'string') return answer.data.fileID;
  const code = answer?.error?.code;
  if (answer?.ok === false && typeof code === 'string' && isErrorCode(code))
    throw new ApiFailure({ code }, `gateway /files: HTTP ${status}: ${String(answer.error?.message)}`);
  throw badResponse(`gateway /files: HTTP ${status}`);
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
