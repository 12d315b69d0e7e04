// Document images for the application: uploaded as base64 in the event,
// checked by content (JPG, PNG, BMP) and size (2 MB), SHA-256 recorded, and
// stored through the FileStore sealed (ID photos are personal data, so the
// stored bytes are encrypted like every other personal field). Uploading to
// a slot again replaces its document.
import crypto from 'node:crypto';
import type { DocumentInfo, DocumentSlot } from '../../../typings/onboarding';
import { documentSlots, MAX_DOCUMENT_BYTES, sniffImage } from '../domain/onboarding/documents';
import { OnboardingErrors } from '../domain/onboarding/errors';
import { openSteps } from '../domain/onboarding/privacy';
import type { CallContext } from '../runtime/action';
import type { Deps } from '../runtime/deps';
import { assertEditable, mutateActive, requireActive, type StoredDocument } from './application-doc';

/** Base64 of at most 2 MB, with a little room so that "too large" gets its own error. */
export const MAX_BASE64 = Math.ceil((MAX_DOCUMENT_BYTES + 1024) / 3) * 4;

function decodeBase64(text: string): Buffer | null {
  const clean = text.replace(/^data:image\/[a-z]+;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  return Buffer.from(clean, 'base64');
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
  { deps, identity }: CallContext,
  { slot: target, content: base64 }: { slot: DocumentSlot; content: string },
): Promise<DocumentInfo & { slot: DocumentSlot }> {
  const content = decodeBase64(base64);
  if (!content || content.length === 0) throw OnboardingErrors.invalidStep({ content: 'Not a base64-encoded image' });
  if (content.length > MAX_DOCUMENT_BYTES) throw OnboardingErrors.documentTooLarge(content.length);
  const contentType = sniffImage(content);
  if (!contentType) throw OnboardingErrors.documentType();

  const before = await requireActive(deps, identity.appid);
  assertEditable(deps, before);
  const allowed = documentSlots(before.merchantType, openSteps(before.steps, deps.sealer)).map((s) => s.slot);
  if (!allowed.includes(target)) throw OnboardingErrors.documentSlot(target);

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
