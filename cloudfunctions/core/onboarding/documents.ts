// Document images for the application, uploaded the way CloudBase apps do:
// the app asks for a path in the caller's own folder (prepareDocumentUpload),
// sends the photo there itself (wx.cloud.uploadFile in cloud mode, the local
// gateway's POST /files locally), then hands the file id to uploadDocument.
// That checks the id is in the caller's folder (the identity comes from the
// runtime, never the request), reads the file, checks its content (JPG, PNG,
// BMP) and size (2 MB), records its SHA-256, and keeps it through the
// FileStore sealed (ID photos are personal data, so the stored bytes are
// encrypted like every other personal field). The plain upload is then
// deleted, whatever the outcome: under cloud storage's default rules anyone
// holding its id could read it, and the sealed copy is the only one needed.
// A failed upload is retried from the photo on the phone, with a new path.
// Uploading to a slot again replaces its document.
import crypto from 'node:crypto';
import type { DocumentInfo, DocumentSlot } from '../../../typings/onboarding';
import { documentSlots, MAX_DOCUMENT_BYTES, sniffImage } from '../domain/onboarding/documents';
import { OnboardingErrors } from '../domain/onboarding/errors';
import { openSteps } from '../domain/onboarding/privacy';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import type { Identity } from '../runtime/identity';
import {
  type ApplicationDoc,
  assertEditable,
  mutateActive,
  requireActive,
  type StoredDocument,
} from './application-doc';

export const UPLOAD_EXTENSIONS = ['jpg', 'png', 'bmp'] as const;
export type UploadExtension = (typeof UPLOAD_EXTENSIONS)[number];

const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const hashed = (value: string) => crypto.createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * The one folder of cloud storage whose files this caller may hand in: per
 * mini program, per user. The openid is hashed so that storage listings do
 * not show it; an appid that could not be a path segment is hashed too.
 */
export function uploadFolder(identity: Identity): string {
  const app = SAFE_SEGMENT.test(identity.appid) ? identity.appid : hashed(identity.appid);
  return `applications/${app}/${hashed(identity.openid)}`;
}

/** Whether a storage key names a file directly in the caller's folder. */
export function inUploadFolder(identity: Identity, key: string | null): key is string {
  const folder = `${uploadFolder(identity)}/`;
  return !!key?.startsWith(folder) && !key.slice(folder.length).includes('/');
}

function slotsOf(deps: Deps, app: ApplicationDoc): DocumentSlot[] {
  return documentSlots(app.merchantType, openSteps(app.steps, deps.sealer)).map((s) => s.slot);
}

/**
 * Where the app uploads a photo for this slot: a fresh, unguessable name in
 * the caller's folder. Refuses before any byte is sent when the application
 * cannot take the document.
 */
export async function prepareDocumentUpload(
  { deps, identity }: CallContext,
  { slot: target, ext }: { slot: DocumentSlot; ext?: UploadExtension },
): Promise<{ slot: DocumentSlot; cloudPath: string }> {
  const app = await requireActive(deps, identity.appid);
  assertEditable(deps, app);
  if (!slotsOf(deps, app).includes(target)) throw OnboardingErrors.documentSlot(target);
  const name = `${target}-${crypto.randomBytes(12).toString('base64url')}${ext ? `.${ext}` : ''}`;
  return { slot: target, cloudPath: `${uploadFolder(identity)}/${name}` };
}

/** The plain image of a stored document. */
export async function readDocument(deps: Deps, doc: StoredDocument): Promise<Buffer> {
  const stored = await deps.files.get(doc.fileId);
  if (!stored) throw OnboardingErrors.documentMissing(doc.fileId);
  const content = Buffer.from(deps.sealer.open(stored.toString('utf8')), 'base64');
  if (crypto.createHash('sha256').update(content).digest('hex') !== doc.sha256)
    throw new Error(`stored document ${doc.fileId} does not match its SHA-256`);
  return content;
}

export async function uploadDocument(
  ctx: CallContext,
  { slot: target, fileId }: { slot: DocumentSlot; fileId: string },
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  const { deps, identity } = ctx;
  // Someone else's file (or no file of ours at all) reads as not found: nothing about it is told.
  if (!inUploadFolder(identity, deps.files.keyOf(fileId))) throw OnboardingErrors.uploadNotFound();
  try {
    return await keepUpload(ctx, target, fileId);
  } finally {
    await deps.files
      .remove(fileId)
      .catch((err) => deps.log.warn({ err, slot: target }, 'uploaded photo not removed after use'));
  }
}

async function keepUpload(
  { deps, identity }: CallContext,
  target: DocumentSlot,
  fileId: string,
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  const before = await requireActive(deps, identity.appid);
  assertEditable(deps, before);
  if (!slotsOf(deps, before).includes(target)) throw OnboardingErrors.documentSlot(target);

  const content = await deps.files.get(fileId);
  if (!content) throw OnboardingErrors.uploadNotFound();
  if (content.length > MAX_DOCUMENT_BYTES) throw OnboardingErrors.documentTooLarge(content.length);
  const contentType = sniffImage(content);
  if (!contentType) throw OnboardingErrors.documentType();

  const sha256 = crypto.createHash('sha256').update(content).digest('hex');
  const key = `onboarding/${identity.appid}/${before._id}/${target}-${sha256.slice(0, 16)}`;
  const stored = await deps.files.put(
    key,
    Buffer.from(deps.sealer.seal(content.toString('base64')), 'utf8'),
    'application/octet-stream',
  );
  const doc: StoredDocument = {
    fileId: stored.fileId,
    contentType,
    bytes: content.length,
    sha256,
    uploadedAt: deps.clock.now().toISOString(),
  };

  let replaced: StoredDocument | undefined;
  try {
    await mutateActive(deps, identity.appid, (app) => {
      if (app._id !== before._id) throw OnboardingErrors.noApplication();
      assertEditable(deps, app);
      replaced = app.documents[target];
      return { set: { [`documents.${target}`]: doc } };
    });
  } catch (err) {
    if (stored.fileId !== before.documents[target]?.fileId)
      await deps.files.remove(stored.fileId).catch(() => undefined);
    throw err;
  }
  if (replaced && replaced.fileId !== doc.fileId) {
    await deps.files
      .remove(replaced.fileId)
      .catch((err) => deps.log.warn({ err, applicationId: before._id }, 'replaced document not removed'));
  }
  deps.log.info({ applicationId: before._id, slot: target, bytes: doc.bytes, contentType }, 'document uploaded');
  return { slot: target, contentType, bytes: doc.bytes, sha256, uploadedAt: doc.uploadedAt };
}

/** The image of a slot, for the upload page's preview after the app was reopened. */
export async function previewDocument(
  { deps, identity }: CallContext,
  { slot: target }: { slot: DocumentSlot },
): Promise<{ slot: DocumentSlot; contentType: string; content: string }> {
  const app = await requireActive(deps, identity.appid);
  const doc = app.documents[target];
  if (!doc) throw OnboardingErrors.documentMissing(target);
  const content = await readDocument(deps, doc);
  return { slot: target, contentType: doc.contentType, content: content.toString('base64') };
}
