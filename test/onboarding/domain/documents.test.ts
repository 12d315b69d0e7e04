// Images by content, and personal data sealed and masked.
import { sniffImage } from '../../../cloudfunctions/core/domain/onboarding/documents';
import { maskSteps, openSteps, sealSteps } from '../../../cloudfunctions/core/domain/onboarding/privacy';
import { createSealer } from '../../../cloudfunctions/core/runtime/seal';
import { bmp, GIF, jpeg, PNG, validSteps } from '../fixtures';

describe('image types by magic bytes', () => {
  test('JPG, PNG and BMP are recognised', () => {
    expect(sniffImage(jpeg())).toBe('image/jpeg');
    expect(sniffImage(PNG)).toBe('image/png');
    expect(sniffImage(bmp())).toBe('image/bmp');
  });

  test('GIF, text, PDF and empty content are not images WeChat Pay takes', () => {
    expect(sniffImage(GIF)).toBeNull();
    expect(sniffImage(Buffer.from('hello.png'))).toBeNull();
    expect(sniffImage(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  test('a file that merely starts with "BM" is not a bitmap', () => {
    const fake = Buffer.concat([Buffer.from('BM'), Buffer.alloc(40, 1)]);
    expect(sniffImage(fake)).toBeNull();
    const truncated = bmp().subarray(0, 40);
    expect(sniffImage(truncated)).toBeNull();
  });
});

describe('personal data', () => {
  const sealer = createSealer(Buffer.alloc(32, 3));

  test('sealed at rest: no sensitive value readable, the others as they are; opens back', () => {
    const plain = validSteps('ENTERPRISE');
    const sealed = sealSteps(plain, sealer);
    const json = JSON.stringify(sealed);
    for (const value of [
      plain.identity.name,
      plain.identity.number,
      plain.identity.address,
      plain.contact.name,
      plain.contact.number,
      plain.contact.mobile,
      plain.contact.email,
      plain.bank.accountNumber,
      plain.subject.legalPerson,
    ]) {
      expect(json).not.toContain(value!);
    }
    expect(sealed.subject.creditCode).toBe(plain.subject.creditCode);
    expect(sealed.business).toEqual(plain.business);
    expect(openSteps(sealed, sealer)).toEqual(plain);
  });

  test('masked for display', () => {
    const masked = maskSteps(validSteps('INDIVIDUAL'));
    expect(masked.identity).toMatchObject({ name: '*三', number: '1****************X', address: '北京市朝阳区****' });
    expect(masked.contact).toMatchObject({ mobile: '138****8000', email: 'o****@example.com' });
    expect(masked.bank).toMatchObject({ accountName: '*三', accountNumber: '**** **** 0001' });
    expect(masked.subject.legalPerson).toBe('*三');
    // A corporate account is in the entity's public name.
    expect(maskSteps(validSteps('ENTERPRISE')).bank.accountName).toBe(validSteps('ENTERPRISE').bank.accountName);
  });
});
