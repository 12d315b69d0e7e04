// The applyment4sub body for each type, with personal data RSA-OAEP
// encrypted (a real key pair), and rejection reasons mapped back.
import crypto from 'node:crypto';
import type { DocumentSlot, MerchantType } from '../../../typings/onboarding';
import { applymentBody, formFieldOf, rejectedFields } from '../../../cloudfunctions/core/domain/onboarding/applyment';
import { ALL_TYPES, ENTITY, requiredSlots, validSteps } from '../fixtures';

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const encrypt = (plain: string) =>
  crypto
    .publicEncrypt(
      { key: publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(plain),
    )
    .toString('base64');
const decrypt = (cipher: unknown) =>
  crypto
    .privateDecrypt(
      { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(String(cipher), 'base64'),
    )
    .toString();

const media = (type: MerchantType) =>
  Object.fromEntries(requiredSlots(type).map((s) => [s, `media-${s}`])) as Partial<Record<DocumentSlot, string>>;
const bodyOf = (type: MerchantType, steps = validSteps(type), m = media(type)) =>
  applymentBody({ businessCode: 'APL0001', appid: 'wxd0c0ffee5a1e5a1e', type, steps, media: m, encrypt }) as any;

const SUBJECT: Record<MerchantType, string> = {
  INDIVIDUAL: 'SUBJECT_TYPE_INDIVIDUAL',
  ENTERPRISE: 'SUBJECT_TYPE_ENTERPRISE',
  INSTITUTION: 'SUBJECT_TYPE_INSTITUTIONS',
  GOVERNMENT: 'SUBJECT_TYPE_GOVERNMENT',
  SOCIAL_ORG: 'SUBJECT_TYPE_OTHERS',
};

test.each(ALL_TYPES)('%s maps onto its subject type with no personal data in clear', (type) => {
  const steps = validSteps(type);
  const body = bodyOf(type);
  expect(body.business_code).toBe('APL0001');
  expect(body.subject_info.subject_type).toBe(SUBJECT[type]);
  const json = JSON.stringify(body);
  for (const plain of [
    steps.identity.number!,
    steps.identity.address!,
    steps.contact.mobile!,
    steps.contact.email!,
    steps.bank.accountNumber!,
  ]) {
    expect(json).not.toContain(plain);
  }
  if (steps.contact.number) expect(json).not.toContain(steps.contact.number);
  // The sales scene is this mini program.
  expect(body.business_info.sales_info).toEqual({
    sales_scenes_type: ['SALES_SCENES_MINI_PROGRAM'],
    mini_program_info: { mini_program_sub_appid: 'wxd0c0ffee5a1e5a1e' },
  });
});

test('licence types send business_license_info; the others certificate_info with their certificate type', () => {
  const enterprise = bodyOf('ENTERPRISE');
  expect(enterprise.subject_info.business_license_info).toEqual({
    license_copy: 'media-licence',
    license_number: ENTITY.creditCode,
    merchant_name: ENTITY.name,
    legal_person: '张三',
    license_address: validSteps('ENTERPRISE').subject.address,
    period_begin: '2018-05-01',
    period_end: '长期',
  });
  expect(enterprise.subject_info.certificate_info).toBeUndefined();
  expect(enterprise.subject_info.identity_info.owner).toBe(true);

  const institution = bodyOf('INSTITUTION');
  expect(institution.subject_info.business_license_info).toBeUndefined();
  expect(institution.subject_info.certificate_info).toMatchObject({
    cert_copy: 'media-certificate',
    cert_type: 'CERTIFICATE_TYPE_2388',
    cert_number: ENTITY.creditCode,
  });
  expect(institution.subject_info.certificate_letter_copy).toBeUndefined();
  const withLetter = bodyOf('INSTITUTION', validSteps('INSTITUTION'), {
    ...media('INSTITUTION'),
    unitProofLetter: 'media-letter',
  });
  expect(withLetter.subject_info.certificate_letter_copy).toBe('media-letter');
  expect(bodyOf('GOVERNMENT').subject_info.certificate_info.cert_type).toBe('CERTIFICATE_TYPE_2389');
});

test('the ID card goes out encrypted in id_card_info, with both sides', () => {
  const info = bodyOf('INDIVIDUAL').subject_info.identity_info;
  expect(info.id_doc_type).toBe('IDENTIFICATION_TYPE_IDCARD');
  expect(info.id_card_info.id_card_copy).toBe('media-legalIdFront');
  expect(info.id_card_info.id_card_national).toBe('media-legalIdBack');
  expect(decrypt(info.id_card_info.id_card_name)).toBe('张三');
  expect(decrypt(info.id_card_info.id_card_number)).toBe('11010519491231002X');
  expect(info.id_card_info.card_period_end).toBe('长期');
});

test('a passport goes in id_doc_info with no back side', () => {
  const steps = validSteps('ENTERPRISE');
  steps.identity = {
    docType: 'PASSPORT',
    name: 'John Smith',
    number: 'E12345678',
    address: '1 Queen St',
    periodBegin: '2020-01-01',
    periodEnd: '2030-01-01',
  };
  const info = bodyOf('ENTERPRISE', steps).subject_info.identity_info;
  expect(info.id_doc_type).toBe('IDENTIFICATION_TYPE_OVERSEA_PASSPORT');
  expect(info.id_doc_info.id_doc_copy_back).toBeUndefined();
  expect(decrypt(info.id_doc_info.id_doc_number)).toBe('E12345678');
});

test('the administrator: the legal representative, or an authorised person with their papers', () => {
  const legal = bodyOf('INDIVIDUAL').contact_info;
  expect(legal.contact_type).toBe('LEGAL');
  expect(decrypt(legal.contact_name)).toBe('张三');
  expect(legal.business_authorization_letter).toBeUndefined();
  expect(decrypt(legal.mobile_phone)).toBe('13800138000');

  const authorised = bodyOf('ENTERPRISE').contact_info;
  expect(authorised).toMatchObject({
    contact_type: 'SUPER',
    contact_id_doc_type: 'IDENTIFICATION_TYPE_IDCARD',
    contact_id_doc_copy: 'media-contactIdFront',
    contact_id_doc_copy_back: 'media-contactIdBack',
    contact_period_begin: '2016-03-07',
    contact_period_end: '2036-03-07',
    business_authorization_letter: 'media-authorizationLetter',
  });
  expect(decrypt(authorised.contact_id_number)).toBe('440305199003071236');
  expect(decrypt(authorised.contact_email)).toBe('admin@example.com');
});

test('settlement rule and bank account', () => {
  const individual = bodyOf('INDIVIDUAL');
  expect(individual.settlement_info).toEqual({ settlement_id: '719', qualification_type: '餐饮' });
  expect(individual.bank_account_info).toMatchObject({
    bank_account_type: 'BANK_ACCOUNT_TYPE_PERSONAL',
    account_bank: '招商银行',
    bank_address_code: '440300',
  });
  expect(individual.bank_account_info.bank_name).toBeUndefined();
  expect(decrypt(individual.bank_account_info.account_number)).toBe('6214830000000001');
  const enterprise = bodyOf('ENTERPRISE');
  expect(enterprise.bank_account_info).toMatchObject({
    bank_account_type: 'BANK_ACCOUNT_TYPE_CORPORATE',
    account_bank: '其他银行',
    bank_name: '深圳农村商业银行南山支行',
  });
  expect(decrypt(enterprise.bank_account_info.account_name)).toBe(ENTITY.name);
});

test('an incomplete application cannot be turned into a body', () => {
  expect(() => bodyOf('ENTERPRISE', validSteps('ENTERPRISE'), {})).toThrow(/legalIdFront is missing/);
});

describe('rejection reasons', () => {
  test('map onto the form field to fix, bare or dotted', () => {
    expect(formFieldOf('id_card_number')).toBe('identity.number');
    expect(formFieldOf('subject_info.identity_info.id_card_info.id_card_copy')).toBe('documents.legalIdFront');
    expect(formFieldOf('bank_account_info.account_number')).toBe('bank.accountNumber');
    expect(formFieldOf('license_number')).toBe('subject.creditCode');
    expect(formFieldOf('something_new')).toBeNull();
  });

  test("a LEGAL administrator's name and ID are fixed in the identity step", () => {
    expect(formFieldOf('contact_info.contact_name', 'LEGAL')).toBe('identity.name');
    expect(formFieldOf('contact_info.contact_name', 'SUPER')).toBe('contact.name');
  });

  test('carry label, reason and step', () => {
    expect(
      rejectedFields([{ field: 'merchant_shortname', fieldName: '商户简称', rejectReason: '简称与经营内容不符' }]),
    ).toEqual([
      {
        wechatField: 'merchant_shortname',
        label: '商户简称',
        reason: '简称与经营内容不符',
        formField: 'business.shortName',
        step: 'business',
      },
    ]);
  });
});
