// Field checks with known-valid and known-invalid numbers.
import {
  addYears,
  checkAccountNumber,
  checkAddressCode,
  checkCreditCode,
  checkEmail,
  checkIdNumber,
  checkMobile,
  checkPersonName,
  checkResidentId,
  checkServicePhone,
} from '../../../cloudfunctions/core/domain/onboarding/checks';
import { TODAY } from '../fixtures';

describe('unified social credit code', () => {
  test.each(['91350100M000100Y43', '91440300MA5FXT4K8N', '911100001000080343'])('accepts %s', (code) => {
    expect(checkCreditCode(code)).toBeNull();
  });

  test('refuses a wrong check character', () => {
    expect(checkCreditCode('91350100M000100Y44')).toMatch(/check character/);
    expect(checkCreditCode('91440300MA5FXT4K8M')).toMatch(/check character/);
  });

  test('refuses a transposition of two characters (what the check character is for)', () => {
    expect(checkCreditCode('91350100M000010Y43')).toMatch(/check character/);
  });

  test('refuses the wrong length, letters outside the alphabet and a bad region', () => {
    expect(checkCreditCode('91350100M000100Y4')).toMatch(/18 characters/);
    expect(checkCreditCode('91350100M000100Y433')).toMatch(/18 characters/);
    expect(checkCreditCode('91350100I000100Y43')).toMatch(/other than I, O, S, V and Z/);
    expect(checkCreditCode('91350100m000100y43')).toMatch(/capital letters/);
    expect(checkCreditCode('91990100M000100Y43')).toMatch(/region code/);
    expect(checkCreditCode('9135A100M000100Y43')).toMatch(/region code/);
  });
});

describe('resident ID number', () => {
  test('accepts the GB 11643 example and others with a correct check digit', () => {
    expect(checkResidentId('11010519491231002X', TODAY)).toBeNull();
    expect(checkResidentId('440305199003071236', TODAY)).toBeNull();
  });

  test('refuses a wrong check digit', () => {
    expect(checkResidentId('110105194912310021', TODAY)).toMatch(/check digit/);
    expect(checkResidentId('440305199003071235', TODAY)).toMatch(/check digit/);
  });

  test('refuses a birth date that is not a real date, in the future, or before 1900', () => {
    expect(checkResidentId('110105194902300011', TODAY)).toMatch(/birth date/); // 30 February
    expect(checkResidentId('110105203001010011', TODAY)).toMatch(/birth date/); // 2030
    expect(checkResidentId('440524188001010014', TODAY)).toMatch(/birth date/); // 1880 (the other GB example)
    expect(checkResidentId('110105202601060011', TODAY)).toMatch(/birth date/); // tomorrow
  });

  test('refuses bad shapes and regions', () => {
    expect(checkResidentId('11010519491231002', TODAY)).toMatch(/17 digits/);
    expect(checkResidentId('11010519491231002x', TODAY)).toMatch(/17 digits/);
    expect(checkResidentId('99010519491231002X', TODAY)).toMatch(/region/);
  });

  test('other identity documents have their issuers’ shapes', () => {
    expect(checkIdNumber('PASSPORT', 'E12345678', TODAY)).toBeNull();
    expect(checkIdNumber('PASSPORT', 'E12', TODAY)).toMatch(/5 to 20/);
    expect(checkIdNumber('HK_PERMIT', 'H12345678', TODAY)).toBeNull();
    expect(checkIdNumber('HK_PERMIT', 'M12345678', TODAY)).toMatch(/Hong Kong/);
    expect(checkIdNumber('MACAO_PERMIT', 'M1234567890', TODAY)).toBeNull();
    expect(checkIdNumber('TAIWAN_PERMIT', '12345678', TODAY)).toBeNull();
    expect(checkIdNumber('TAIWAN_PERMIT', 'T1234567', TODAY)).toMatch(/Taiwan/);
    expect(checkIdNumber('MAINLAND_ID', '110105194912310021', TODAY)).toMatch(/check digit/);
  });
});

describe('names, phone, email', () => {
  test('names on mainland IDs are Chinese characters, with · for transliterated names', () => {
    expect(checkPersonName('张三', 'MAINLAND_ID')).toBeNull();
    expect(checkPersonName('阿依古丽·买买提', 'MAINLAND_ID')).toBeNull();
    expect(checkPersonName('Zhang San', 'MAINLAND_ID')).toMatch(/Chinese characters/);
    expect(checkPersonName('张', 'MAINLAND_ID')).toMatch(/Chinese characters/);
    expect(checkPersonName('张三1', 'MAINLAND_ID')).toMatch(/Chinese characters/);
    expect(checkPersonName("John O'Neil-Smith", 'PASSPORT')).toBeNull();
    expect(checkPersonName('John 2', 'PASSPORT')).toMatch(/as printed/);
  });

  test('mobile numbers', () => {
    expect(checkMobile('13800138000')).toBeNull();
    expect(checkMobile('19912345678')).toBeNull();
    expect(checkMobile('12800138000')).toMatch(/11 digits/);
    expect(checkMobile('1380013800')).toMatch(/11 digits/);
    expect(checkMobile('+8613800138000')).toMatch(/11 digits/);
  });

  test('emails', () => {
    expect(checkEmail('owner@example.com')).toBeNull();
    expect(checkEmail('a.b+c@mail.example.cn')).toBeNull();
    expect(checkEmail('owner@example')).toMatch(/not an email/);
    expect(checkEmail('owner.example.com')).toMatch(/not an email/);
    expect(checkEmail(`${'a'.repeat(250)}@x.cn`)).toMatch(/254/);
  });

  test('service phones: mobile, landline with area code, 400/800', () => {
    expect(checkServicePhone('13800138000')).toBeNull();
    expect(checkServicePhone('075588886666')).toBeNull();
    expect(checkServicePhone('01088886666')).toBeNull();
    expect(checkServicePhone('4008123123')).toBeNull();
    expect(checkServicePhone('88886666')).toMatch(/area code/);
    expect(checkServicePhone('phone')).toMatch(/area code/);
  });
});

describe('bank accounts', () => {
  test('account numbers by account type', () => {
    expect(checkAccountNumber('6214830000000001', 'PERSONAL')).toBeNull();
    expect(checkAccountNumber('62148300000000011234', 'PERSONAL')).toMatch(/12 to 19/);
    expect(checkAccountNumber('40000230', 'CORPORATE')).toBeNull();
    expect(checkAccountNumber('4000023', 'CORPORATE')).toMatch(/8 to 32/);
    expect(checkAccountNumber('6214-8300', 'CORPORATE')).toMatch(/digits only/);
  });

  test('branch region codes', () => {
    expect(checkAddressCode('440300')).toBeNull();
    expect(checkAddressCode('110000')).toBeNull();
    expect(checkAddressCode('990000')).toMatch(/region code/);
    expect(checkAddressCode('44030')).toMatch(/region code/);
  });
});

describe('dates', () => {
  test('adding years keeps the day, except 29 February', () => {
    expect(addYears('2016-03-07', 20)).toBe('2036-03-07');
    expect(addYears('2016-02-29', 10)).toBe('2026-02-28');
  });
});
