// Document images: what WeChat Pay's media upload accepts (JPG, PNG, BMP up
// to 2 MB, told apart by their content, never by a file name), and which
// slots an application has to fill.
import type { DocumentSlot, IdDocType, MerchantType, StepData } from '../../../../typings/onboarding';
import { hasBackSide, presentsLicence } from './types';

export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export type ImageType = 'image/jpeg' | 'image/png' | 'image/bmp';

/** The image type by its magic bytes, or null. */
export function sniffImage(content: Buffer): ImageType | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (
    content.length >= 8 &&
    content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  // "BM", then the file size (little-endian) at offset 2 and the pixel data offset at 10.
  if (content.length >= 26 && content[0] === 0x42 && content[1] === 0x4d) {
    const declared = content.readUInt32LE(2);
    const pixels = content.readUInt32LE(10);
    if (declared === content.length && pixels >= 26 && pixels < content.length) return 'image/bmp';
  }
  return null;
}

export const EXTENSION: Record<ImageType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/bmp': 'bmp' };

export const ALL_SLOTS: readonly DocumentSlot[] = [
  'licence',
  'certificate',
  'legalIdFront',
  'legalIdBack',
  'contactIdFront',
  'contactIdBack',
  'authorizationLetter',
  'unitProofLetter',
];

/**
 * The slots this application uses, and whether each is required. Which ID
 * sides depends on the document type; the administrator's papers only apply
 * when someone other than the legal representative administers.
 */
export function documentSlots(type: MerchantType, steps: StepData): Array<{ slot: DocumentSlot; required: boolean }> {
  const slots: Array<{ slot: DocumentSlot; required: boolean }> = [];
  slots.push({ slot: presentsLicence(type) ? 'licence' : 'certificate', required: true });
  slots.push({ slot: 'legalIdFront', required: true });
  if (hasBackSide(steps.identity.docType as IdDocType | undefined)) slots.push({ slot: 'legalIdBack', required: true });
  if (steps.contact.contactType === 'SUPER') {
    slots.push({ slot: 'contactIdFront', required: true });
    if (hasBackSide(steps.contact.docType as IdDocType | undefined))
      slots.push({ slot: 'contactIdBack', required: true });
    slots.push({ slot: 'authorizationLetter', required: true });
  }
  if (type === 'INSTITUTION' || type === 'GOVERNMENT') slots.push({ slot: 'unitProofLetter', required: false });
  return slots;
}
