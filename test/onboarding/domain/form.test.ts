// The form's per-step rules: reading a patch, merging it, checking a step.
import {
  applyPatch,
  checkStep,
  type FormContext,
  missingFields,
  readPatch,
} from '../../../cloudfunctions/core/domain/onboarding/form';
import { retype } from '../../../cloudfunctions/core/domain/onboarding/validate';
import { TODAY, validSteps } from '../fixtures';

const ctx = (type: FormContext['type']): FormContext => ({ type, today: TODAY });

describe('reading a patch', () => {
  test('normalises: trims, upper-cases codes and ID numbers, strips spaces from numbers, long-term words', () => {
    const subject = readPatch('subject', { creditCode: ' 91440300ma5fxt4k8n ', periodEnd: '长期' });
    expect(subject).toEqual({ patch: { creditCode: '91440300MA5FXT4K8N', periodEnd: 'LONG_TERM' } });
    const identity = readPatch('identity', { number: '11010519491231002x' });
    expect(identity).toEqual({ patch: { number: '11010519491231002X' } });
    const bank = readPatch('bank', { accountNumber: '6214 8300 0000 0001' });
    expect(bank).toEqual({ patch: { accountNumber: '6214830000000001' } });
  });

  test('empty text and null clear a field', () => {
    expect(readPatch('business', { shortName: '  ', servicePhone: null })).toEqual({
      patch: { shortName: null, servicePhone: null },
    });
  });

  test('unknown fields, non-text values and over-long text are refused per field', () => {
    const result = readPatch('subject', { creditCode: 91440300, nickname: 'x', name: 'n'.repeat(129), address: 'ab' });
    expect(result).toEqual({
      problems: {
        'subject.creditCode': { reason: 'invalid' },
        'subject.nickname': { reason: 'unknownField' },
        'subject.name': { reason: 'tooLong', params: { max: 128 } },
        'subject.address': { reason: 'tooShort', params: { min: 4 } },
      },
    });
  });

  test('prototype keys are unknown fields, not lookups', () => {
    expect(readPatch('bank', { constructor: 'x', __proto__: 'y' } as Record<string, unknown>)).toEqual({
      problems: { 'bank.constructor': { reason: 'unknownField' } },
    });
  });
});

describe('merging', () => {
  test('a patch sets and clears', () => {
    expect(
      applyPatch('business', { shortName: 'A', servicePhone: '13800138000' }, { shortName: 'B', servicePhone: null }),
    ).toEqual({ shortName: 'B' });
  });

  test("switching the administrator to the legal representative drops the other person's data", () => {
    const contact = validSteps('ENTERPRISE').contact as Record<string, string>;
    expect(applyPatch('contact', contact, { contactType: 'LEGAL' })).toEqual({
      contactType: 'LEGAL',
      mobile: contact.mobile,
      email: contact.email,
    });
  });
});

describe('step rules', () => {
  test('valid steps of every type pass', () => {
    for (const type of ['INDIVIDUAL', 'ENTERPRISE', 'INSTITUTION', 'GOVERNMENT', 'SOCIAL_ORG'] as const) {
      const steps = validSteps(type) as unknown as Record<string, Record<string, string>>;
      for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const) {
        expect([type, step, checkStep(step, steps[step], ctx(type))]).toEqual([type, step, {}]);
        expect([type, step, missingFields(step, steps[step], ctx(type))]).toEqual([type, step, {}]);
      }
    }
  });

  test('licence types take no certificate type; certificate types take only their own', () => {
    expect(checkStep('subject', { certType: 'CERTIFICATE_TYPE_2389' }, ctx('ENTERPRISE'))['subject.certType']).toEqual({
      reason: 'licenceRequired',
    });
    expect(checkStep('subject', { certType: 'CERTIFICATE_TYPE_2394' }, ctx('GOVERNMENT'))['subject.certType']).toEqual({
      reason: 'certTypeNotForType',
    });
    expect(checkStep('subject', { certType: 'CERTIFICATE_TYPE_2394' }, ctx('SOCIAL_ORG'))).toEqual({});
    expect(checkStep('subject', { certType: 'CERTIFICATE_TYPE_2388' }, ctx('INSTITUTION'))).toEqual({});
    expect(missingFields('subject', {}, ctx('INSTITUTION'))).toHaveProperty(['subject.certType']);
    expect(missingFields('subject', {}, ctx('ENTERPRISE'))).not.toHaveProperty(['subject.certType']);
  });

  test('the ID number is checked against the chosen document type', () => {
    expect(
      checkStep('identity', { docType: 'MAINLAND_ID', number: 'E12345678' }, ctx('ENTERPRISE'))['identity.number'],
    ).toEqual({ reason: 'idCardFormat' });
    expect(
      checkStep('identity', { docType: 'PASSPORT', number: 'E12345678', name: 'John Smith' }, ctx('ENTERPRISE')),
    ).toEqual({});
  });

  test('an individual business is administered by its operator', () => {
    expect(checkStep('contact', { contactType: 'SUPER' }, ctx('INDIVIDUAL'))['contact.contactType']).toEqual({
      reason: 'operatorIsAdministrator',
    });
    expect(checkStep('contact', { contactType: 'SUPER' }, ctx('ENTERPRISE'))).toEqual({});
  });

  test("an authorised administrator needs their own ID; the legal representative's is used otherwise", () => {
    expect(Object.keys(missingFields('contact', { contactType: 'SUPER' }, ctx('ENTERPRISE'))).sort()).toEqual(
      [
        'contact.docType',
        'contact.email',
        'contact.mobile',
        'contact.name',
        'contact.number',
        'contact.periodBegin',
        'contact.periodEnd',
      ].sort(),
    );
    expect(Object.keys(missingFields('contact', { contactType: 'LEGAL' }, ctx('ENTERPRISE'))).sort()).toEqual([
      'contact.email',
      'contact.mobile',
    ]);
  });

  test("only an enterprise must give the legal representative's address", () => {
    expect(missingFields('identity', {}, ctx('ENTERPRISE'))).toHaveProperty(['identity.address']);
    expect(missingFields('identity', {}, ctx('INDIVIDUAL'))).not.toHaveProperty(['identity.address']);
  });

  test('only an individual business may settle to a personal account', () => {
    expect(checkStep('bank', { accountType: 'PERSONAL' }, ctx('INDIVIDUAL'))).toEqual({});
    for (const type of ['ENTERPRISE', 'INSTITUTION', 'GOVERNMENT', 'SOCIAL_ORG'] as const) {
      expect(checkStep('bank', { accountType: 'PERSONAL' }, ctx(type))['bank.accountType']).toEqual({
        reason: 'corporateAccountOnly',
      });
    }
  });

  test('account numbers have 8 to 30 digits; other banks need the branch name', () => {
    expect(checkStep('bank', { accountType: 'PERSONAL', accountNumber: '40000230' }, ctx('INDIVIDUAL'))).toEqual({});
    expect(
      checkStep('bank', { accountType: 'CORPORATE', accountNumber: '4'.repeat(31) }, ctx('ENTERPRISE'))[
        'bank.accountNumber'
      ],
    ).toEqual({ reason: 'accountNumberDigits', params: { min: 8, max: 30 } });
    expect(missingFields('bank', { bank: 'OTHER' }, ctx('ENTERPRISE'))).toHaveProperty(['bank.branchName']);
    expect(missingFields('bank', { bank: 'ICBC' }, ctx('ENTERPRISE'))).not.toHaveProperty(['bank.branchName']);
    expect(checkStep('bank', { bank: 'HSBC' }, ctx('ENTERPRISE'))['bank.bank']).toEqual({ reason: 'notAChoice' });
  });

  test('industries belong to a merchant type', () => {
    expect(checkStep('business', { industry: 'ENT_RETAIL' }, ctx('ENTERPRISE'))).toEqual({});
    expect(checkStep('business', { industry: 'ENT_RETAIL' }, ctx('INDIVIDUAL'))['business.industry']).toEqual({
      reason: 'notAChoice',
    });
  });

  test('shop names and addresses cannot be only digits or symbols', () => {
    expect(checkStep('business', { shortName: '12345' }, ctx('ENTERPRISE'))['business.shortName']).toEqual({
      reason: 'onlyDigitsOrSymbols',
    });
  });
});

describe('changing the merchant type', () => {
  test('drops what the new type cannot use, keeps the rest', () => {
    const org = validSteps('SOCIAL_ORG');
    const asIndividual = retype({ ...org, bank: { ...org.bank } }, 'INDIVIDUAL');
    expect(asIndividual.subject.certType).toBeUndefined();
    expect(asIndividual.business.industry).toBeUndefined();
    expect(asIndividual.contact).toEqual({ mobile: org.contact.mobile, email: org.contact.email });
    expect(asIndividual.subject.creditCode).toBe(org.subject.creditCode);

    const asGovernment = retype(validSteps('INDIVIDUAL'), 'GOVERNMENT');
    expect(asGovernment.bank.accountType).toBeUndefined();
    const orgCert = retype({ ...org, subject: { ...org.subject, certType: 'CERTIFICATE_TYPE_2394' } }, 'GOVERNMENT');
    expect(orgCert.subject.certType).toBeUndefined();
  });
});
