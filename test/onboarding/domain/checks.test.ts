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
    expect(checkCreditCode('91350100M000100Y44')).toEqual({ reason: 'creditCodeCheckDigit' });
    expect(checkCreditCode('91440300MA5FXT4K8M')).toEqual({ reason: 'creditCodeCheckDigit' });
  });

  test('refuses a transposition of two characters (what the check character is for)', () => {
    expect(checkCreditCode('91350100M000010Y43')).toEqual({ reason: 'creditCodeCheckDigit' });
  });

  test('refuses the wrong length, letters outside the alphabet and a bad region', () => {
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ reason: 'creditCodeLength' });
    expect(checkCreditCode('91350100M000100Y433')).toEqual({ reason: 'creditCodeLength' });
    expect(checkCreditCode('91350100I000100Y43')).toEqual({ reason: 'creditCodeCharacters' });
    expect(checkCreditCode('91350100m000100y43')).toEqual({ reason: 'creditCodeCharacters' });
    expect(checkCreditCode('91990100M000100Y43')).toEqual({ reason: 'creditCodeRegion' });
    expect(checkCreditCode('9135A100M000100Y43')).toEqual({ reason: 'creditCodeRegion' });
  });
});

describe('resident ID number', () => {
  test('accepts the GB 11643 example and others with a correct check digit', () => {
    expect(checkResidentId('11010519491231002X', TODAY)).toBeNull();
    expect(checkResidentId('440305199003071236', TODAY)).toBeNull();
  });

  test('refuses a wrong check digit', () => {
    expect(checkResidentId('110105194912310021', TODAY)).toEqual({ reason: 'idCardCheckDigit' });
    expect(checkResidentId('440305199003071235', TODAY)).toEqual({ reason: 'idCardCheckDigit' });
  });

  test('refuses a birth date that is not a real date, in the future, or before 1900', () => {
    expect(checkResidentId('110105194902300011', TODAY)).toEqual({ reason: 'idCardBirthDate' }); // 30 February
    expect(checkResidentId('110105203001010011', TODAY)).toEqual({ reason: 'idCardBirthDate' }); // 2030
    expect(checkResidentId('440524188001010014', TODAY)).toEqual({ reason: 'idCardBirthDate' }); // 1880 (the other GB example)
    expect(checkResidentId('110105202601060011', TODAY)).toEqual({ reason: 'idCardBirthDate' }); // tomorrow
  });

  test('refuses bad shapes and regions', () => {
    expect(checkResidentId('11010519491231002', TODAY)).toEqual({ reason: 'idCardFormat' });
    expect(checkResidentId('11010519491231002x', TODAY)).toEqual({ reason: 'idCardFormat' });
    expect(checkResidentId('99010519491231002X', TODAY)).toEqual({ reason: 'idCardRegion' });
  });

  test('other identity documents have their issuers’ shapes', () => {
    expect(checkIdNumber('PASSPORT', 'E12345678', TODAY)).toBeNull();
    expect(checkIdNumber('PASSPORT', 'E12', TODAY)).toEqual({ reason: 'passportNumber' });
    expect(checkIdNumber('HK_PERMIT', 'H12345678', TODAY)).toBeNull();
    expect(checkIdNumber('HK_PERMIT', 'M12345678', TODAY)).toEqual({ reason: 'hkPermitNumber' });
    expect(checkIdNumber('MACAO_PERMIT', 'M1234567890', TODAY)).toBeNull();
    expect(checkIdNumber('TAIWAN_PERMIT', '12345678', TODAY)).toBeNull();
    expect(checkIdNumber('TAIWAN_PERMIT', 'T1234567', TODAY)).toEqual({ reason: 'taiwanPermitNumber' });
    expect(checkIdNumber('MAINLAND_ID', '110105194912310021', TODAY)).toEqual({ reason: 'idCardCheckDigit' });
  });
});

describe('names, phone, email', () => {
  test('names on mainland IDs are Chinese characters, with · for transliterated names', () => {
    expect(checkPersonName('张三', 'MAINLAND_ID')).toBeNull();
    expect(checkPersonName('阿依古丽·买买提', 'MAINLAND_ID')).toBeNull();
    expect(checkPersonName('Zhang San', 'MAINLAND_ID')).toEqual({ reason: 'nameAsOnIdCard' });
    expect(checkPersonName('张', 'MAINLAND_ID')).toEqual({ reason: 'nameAsOnIdCard' });
    expect(checkPersonName('张三1', 'MAINLAND_ID')).toEqual({ reason: 'nameAsOnIdCard' });
    expect(checkPersonName("John O'Neil-Smith", 'PASSPORT')).toBeNull();
    expect(checkPersonName('John 2', 'PASSPORT')).toEqual({ reason: 'nameAsOnDocument' });
  });

  test('mobile numbers', () => {
    expect(checkMobile('13800138000')).toBeNull();
    expect(checkMobile('19912345678')).toBeNull();
    expect(checkMobile('12800138000')).toEqual({ reason: 'mobile' });
    expect(checkMobile('1380013800')).toEqual({ reason: 'mobile' });
    expect(checkMobile('+8613800138000')).toEqual({ reason: 'mobile' });
  });

  test('emails', () => {
    expect(checkEmail('owner@example.com')).toBeNull();
    expect(checkEmail('a.b+c@mail.example.cn')).toBeNull();
    expect(checkEmail('owner@example')).toEqual({ reason: 'email' });
    expect(checkEmail('owner.example.com')).toEqual({ reason: 'email' });
    expect(checkEmail(`${'a'.repeat(250)}@x.cn`)).toEqual({ reason: 'tooLong', params: { max: 254 } });
  });

  test('service phones: mobile, landline with area code, 400/800', () => {
    expect(checkServicePhone('13800138000')).toBeNull();
    expect(checkServicePhone('075588886666')).toBeNull();
    expect(checkServicePhone('01088886666')).toBeNull();
    expect(checkServicePhone('4008123123')).toBeNull();
    expect(checkServicePhone('88886666')).toEqual({ reason: 'servicePhone' });
    expect(checkServicePhone('phone')).toEqual({ reason: 'servicePhone' });
  });
});

describe('bank accounts', () => {
  test("account numbers: 8 to 30 digits, WeChat Pay's bounds for personal and corporate accounts", () => {
    const digits = { reason: 'accountNumberDigits', params: { min: 8, max: 30 } };
    expect(checkAccountNumber('6214830000000001')).toBeNull();
    expect(checkAccountNumber('62148300000000011234')).toBeNull(); // 20 digits: 建设银行 personal cards
    expect(checkAccountNumber('1234567890')).toBeNull(); // 10 digits: 招商银行 personal cards
    expect(checkAccountNumber('40000230')).toBeNull(); // 8 digits: 交通银行 corporate
    expect(checkAccountNumber('1'.repeat(30))).toBeNull(); // 30: 光大银行 corporate, the longest
    expect(checkAccountNumber('4000023')).toEqual(digits);
    expect(checkAccountNumber('1'.repeat(31))).toEqual(digits);
    expect(checkAccountNumber('6214-8300')).toEqual(digits);
  });

  test('branch region codes', () => {
    expect(checkAddressCode('440300')).toBeNull();
    expect(checkAddressCode('110000')).toBeNull();
    expect(checkAddressCode('990000')).toEqual({ reason: 'addressCode' });
    expect(checkAddressCode('44030')).toEqual({ reason: 'addressCode' });
  });
});

describe('dates', () => {
  test('adding years keeps the day, except 29 February', () => {
    expect(addYears('2016-03-07', 20)).toBe('2036-03-07');
    expect(addYears('2016-02-29', 10)).toBe('2026-02-28');
  });
});
