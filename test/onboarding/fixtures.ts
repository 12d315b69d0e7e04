// Valid applications for each merchant type, dated for the test clock
// (ManualClock starts 2026-01-05 in China), and small real images.
import type { MerchantType, StepData } from '../../typings/onboarding';
import { demoMiniProgram } from '../../cloudfunctions/core/config';
import { INDUSTRIES } from '../../cloudfunctions/core/domain/onboarding/industries';
import { CERT_TYPES, presentsLicence } from '../../cloudfunctions/core/domain/onboarding/types';

export const TODAY = '2026-01-05';
export const ENTITY = demoMiniProgram.entity;
export const ALL_TYPES: MerchantType[] = ['INDIVIDUAL', 'ENTERPRISE', 'INSTITUTION', 'GOVERNMENT', 'SOCIAL_ORG'];

// The example number of GB 11643 (born 1949-12-31), long-term card from age 60.
export const LEGAL_ID = '11010519491231002X';
// Born 1990-03-07, a 20-year card issued at 26.
export const ADMIN_ID = '440305199003071236';

export function validSteps(type: MerchantType): StepData {
  const individual = type === 'INDIVIDUAL';
  return {
    subject: {
      ...(presentsLicence(type) ? {} : { certType: CERT_TYPES[type][0] }),
      creditCode: ENTITY.creditCode,
      name: ENTITY.name,
      legalPerson: '张三',
      address: '深圳市南山区科技园科技中一路1号',
      periodBegin: '2018-05-01',
      periodEnd: 'LONG_TERM',
    },
    identity: {
      docType: 'MAINLAND_ID',
      name: '张三',
      number: LEGAL_ID,
      address: '北京市朝阳区建国路1号',
      periodBegin: '2010-03-01',
      periodEnd: 'LONG_TERM',
    },
    contact: individual
      ? { contactType: 'LEGAL', mobile: '13800138000', email: 'owner@example.com' }
      : {
          contactType: 'SUPER',
          name: '李四',
          docType: 'MAINLAND_ID',
          number: ADMIN_ID,
          periodBegin: '2016-03-07',
          periodEnd: '2036-03-07',
          mobile: '13900139000',
          email: 'admin@example.com',
        },
    business: { shortName: 'Demo Tea', servicePhone: '075588886666', industry: INDUSTRIES[type][0].code },
    bank: individual
      ? {
          accountType: 'PERSONAL',
          accountName: '张三',
          bank: 'CMB',
          addressCode: '440300',
          accountNumber: '6214830000000001',
        }
      : {
          accountType: 'CORPORATE',
          accountName: ENTITY.name,
          bank: 'OTHER',
          branchName: '深圳农村商业银行南山支行',
          addressCode: '440300',
          accountNumber: '4000023009200123456',
        },
  };
}

/** The document slots a valid application of this type fills (per validSteps). */
export function requiredSlots(type: MerchantType): string[] {
  const base = [presentsLicence(type) ? 'licence' : 'certificate', 'legalIdFront', 'legalIdBack'];
  return type === 'INDIVIDUAL' ? base : [...base, 'contactIdFront', 'contactIdBack', 'authorizationLetter'];
}

// ---- images -----------------------------------------------------------------------
/** A 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A JPEG's start (SOI + JFIF APP0) and end markers around filler; `tag` makes each one different. */
export function jpeg(tag = 'x', size = 64): Buffer {
  const head = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ]);
  const body = Buffer.alloc(Math.max(0, size - head.length - 2), tag);
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

/** A 1x1 24-bit BMP. */
export function bmp(): Buffer {
  const b = Buffer.alloc(58);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(58, 2); // file size
  b.writeUInt32LE(54, 10); // pixel data offset
  b.writeUInt32LE(40, 14); // DIB header size
  b.writeInt32LE(1, 18); // width
  b.writeInt32LE(1, 22); // height
  b.writeUInt16LE(1, 26); // planes
  b.writeUInt16LE(24, 28); // bits per pixel
  b.writeUInt32LE(4, 34); // image size
  b.set([0x00, 0x00, 0xff, 0x00], 54); // one red pixel + padding
  return b;
}

export const GIF = Buffer.from(
  'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;',
  'latin1',
);
