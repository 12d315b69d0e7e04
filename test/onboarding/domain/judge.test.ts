// The whole application as submit judges it, and the common requirements.
import type { DocumentSlot, MerchantType, StepData } from '../../../typings/onboarding';
import { demoMiniProgram, type MiniProgramRecord } from '../../../cloudfunctions/core/config';
import type { AppError } from '../../../cloudfunctions/core/errors';
import { documentSlots } from '../../../cloudfunctions/core/domain/onboarding/documents';
import {
  assertRequirements,
  normaliseEntityName,
  requirementStatus,
  type RequirementInput,
} from '../../../cloudfunctions/core/domain/onboarding/requirements';
import { judge } from '../../../cloudfunctions/core/domain/onboarding/validate';
import { ALL_TYPES, requiredSlots, TODAY, validSteps } from '../fixtures';

const mp: MiniProgramRecord = { ...demoMiniProgram };
const all = (type: MerchantType) => new Set(requiredSlots(type) as DocumentSlot[]);
const draft = (type: MerchantType, steps: StepData = validSteps(type), uploaded = all(type)) => ({
  type,
  steps,
  uploaded,
});

describe('a complete application', () => {
  test.each(ALL_TYPES)('%s: valid fixture has no problems', (type) => {
    expect(judge(draft(type), TODAY, mp)).toEqual({ problems: {}, entityMismatch: false });
  });

  test('an empty draft lists every missing field and document at once', () => {
    const empty: StepData = { subject: {}, identity: {}, contact: {}, business: {}, bank: {} };
    const { problems } = judge(draft('ENTERPRISE', empty, new Set()), TODAY, mp);
    expect(Object.keys(problems).sort()).toEqual(
      [
        'subject.creditCode',
        'subject.name',
        'subject.legalPerson',
        'subject.address',
        'subject.periodBegin',
        'subject.periodEnd',
        'identity.docType',
        'identity.name',
        'identity.number',
        'identity.address',
        'identity.periodBegin',
        'identity.periodEnd',
        'contact.contactType',
        'contact.mobile',
        'contact.email',
        'business.shortName',
        'business.servicePhone',
        'business.industry',
        'bank.accountType',
        'bank.accountName',
        'bank.bank',
        'bank.addressCode',
        'bank.accountNumber',
        'documents.licence',
        'documents.legalIdFront',
        'documents.legalIdBack',
      ].sort(),
    );
  });

  test('values that were valid when saved are judged again today (an ID that expired since)', () => {
    const steps = validSteps('ENTERPRISE');
    steps.contact.periodBegin = '2006-03-06';
    steps.contact.periodEnd = '2026-03-06'; // valid when drafted a year ago; within 60 days now
    expect(judge(draft('ENTERPRISE', steps), '2025-01-05', mp).problems).toEqual({});
    expect(judge(draft('ENTERPRISE', steps), TODAY, mp).problems).toEqual({
      'contact.periodEnd': { reason: 'expiresSoon', params: { days: 60 } },
    });
  });
});

describe('same entity as the mini program', () => {
  test('a different entity name or credit code is a mismatch, on the field to fix', () => {
    const steps = validSteps('ENTERPRISE');
    steps.subject.name = 'Another Tea Co., Ltd.';
    steps.subject.creditCode = '91350100M000100Y43';
    steps.bank.accountName = 'Another Tea Co., Ltd.';
    const verdict = judge(draft('ENTERPRISE', steps), TODAY, mp);
    expect(verdict.entityMismatch).toBe(true);
    expect(verdict.problems).toEqual({
      'subject.name': { reason: 'mustBeRegisteredEntity', params: { name: mp.entity.name } },
      'subject.creditCode': { reason: 'mustBeRegisteredCreditCode', params: { creditCode: mp.entity.creditCode } },
    });
  });

  test('full-width brackets, spacing and case do not make a different entity', () => {
    expect(normaliseEntityName('深圳市演示茶业（有限公司）')).toBe(normaliseEntityName('深圳市演示茶业(有限公司) '));
    const steps = validSteps('ENTERPRISE');
    steps.subject.name = '  shenzhen demo tea co.,   ltd. ';
    expect(judge(draft('ENTERPRISE', steps), TODAY, mp).entityMismatch).toBe(false);
  });
});

describe('rules across steps', () => {
  test("the ID must be the legal representative's named on the licence (an individual business's operator)", () => {
    const steps = validSteps('ENTERPRISE');
    steps.subject.legalPerson = '王五';
    expect(judge(draft('ENTERPRISE', steps), TODAY, mp).problems).toEqual({
      'identity.name': { reason: 'mustMatchLegalPerson' },
    });
    const individual = validSteps('INDIVIDUAL');
    individual.subject.legalPerson = '王五';
    expect(judge(draft('INDIVIDUAL', individual), TODAY, mp).problems).toMatchObject({
      'identity.name': { reason: 'mustMatchOperator' },
    });
  });

  test("an individual business's personal account must be the operator's", () => {
    const steps = validSteps('INDIVIDUAL');
    steps.bank.accountName = '李四';
    expect(judge(draft('INDIVIDUAL', steps), TODAY, mp).problems).toEqual({
      'bank.accountName': { reason: 'personalAccountName' },
    });
  });

  test("an individual business may also settle to a corporate account in the entity's name", () => {
    const steps = validSteps('INDIVIDUAL');
    steps.bank = {
      ...steps.bank,
      accountType: 'CORPORATE',
      accountName: mp.entity.name,
      accountNumber: '40000230092001',
    };
    expect(judge(draft('INDIVIDUAL', steps), TODAY, mp).problems).toEqual({});
    steps.bank.accountName = '张三';
    expect(judge(draft('INDIVIDUAL', steps), TODAY, mp).problems).toEqual({
      'bank.accountName': { reason: 'corporateAccountName', params: { name: steps.subject.name } },
    });
  });

  test.each(['ENTERPRISE', 'INSTITUTION', 'GOVERNMENT', 'SOCIAL_ORG'] as const)(
    "%s settles only to a corporate account in the entity's name",
    (type) => {
      const steps = validSteps(type);
      steps.bank.accountName = '张三';
      expect(judge(draft(type, steps), TODAY, mp).problems).toEqual({
        'bank.accountName': { reason: 'corporateAccountName', params: { name: steps.subject.name } },
      });
      steps.bank = { ...steps.bank, accountType: 'PERSONAL' };
      expect(judge(draft(type, steps), TODAY, mp).problems).toEqual({
        'bank.accountType': { reason: 'corporateAccountOnly' },
      });
    },
  );
});

describe('documents', () => {
  test('each type needs its registration document and the IDs', () => {
    expect(documentSlots('INDIVIDUAL', validSteps('INDIVIDUAL'))).toEqual([
      { slot: 'licence', required: true },
      { slot: 'legalIdFront', required: true },
      { slot: 'legalIdBack', required: true },
    ]);
    expect(documentSlots('INSTITUTION', validSteps('INSTITUTION'))).toEqual([
      { slot: 'certificate', required: true },
      { slot: 'legalIdFront', required: true },
      { slot: 'legalIdBack', required: true },
      { slot: 'contactIdFront', required: true },
      { slot: 'contactIdBack', required: true },
      { slot: 'authorizationLetter', required: true },
      { slot: 'unitProofLetter', required: false },
    ]);
  });

  test('a passport has no back side to upload', () => {
    const steps = validSteps('ENTERPRISE');
    steps.identity = {
      ...steps.identity,
      docType: 'PASSPORT',
      number: 'E12345678',
      name: 'John Smith',
      periodBegin: '2020-01-01',
      periodEnd: '2030-01-01',
    };
    steps.subject.legalPerson = 'John Smith';
    const uploaded = new Set<DocumentSlot>([
      'licence',
      'legalIdFront',
      'contactIdFront',
      'contactIdBack',
      'authorizationLetter',
    ]);
    expect(judge(draft('ENTERPRISE', steps, uploaded), TODAY, mp).problems).toEqual({});
  });

  test('a missing required document is listed by slot; the optional one is not', () => {
    const uploaded = all('GOVERNMENT');
    uploaded.delete('authorizationLetter');
    expect(judge(draft('GOVERNMENT', validSteps('GOVERNMENT'), uploaded), TODAY, mp).problems).toEqual({
      'documents.authorizationLetter': { reason: 'documentRequired' },
    });
  });
});

describe('common requirements', () => {
  const input = (over: Partial<RequirementInput> = {}): RequirementInput => ({
    miniProgram: { ...mp, entity: { ...mp.entity } },
    identity: { openid: 'o1', appid: mp.appid },
    bound: null,
    ...over,
  });
  const codeOf = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      return (err as AppError).code;
    }
    return 'none';
  };

  test('a domestic mini program with no account bound meets them all', () => {
    expect(codeOf(() => assertRequirements(input()))).toBe('none');
    expect(requirementStatus(input()).every((r) => r.met)).toBe(true);
  });

  test('each unmet requirement has its own code', () => {
    const overseas = input();
    overseas.miniProgram.entity.domestic = false;
    expect(codeOf(() => assertRequirements(overseas))).toBe('ONBOARDING.OVERSEAS_ENTITY');
    expect(codeOf(() => assertRequirements(input({ bound: { feeRatePpm: 6001 } })))).toBe(
      'ONBOARDING.FEE_RATE_TOO_HIGH',
    );
    expect(codeOf(() => assertRequirements(input({ bound: { feeRatePpm: 6000 } })))).toBe('none');
    expect(codeOf(() => assertRequirements(input({ bound: { feeRatePpm: 3800, connection: 'INDIRECT' } })))).toBe(
      'ONBOARDING.NOT_DIRECT_CONNECTION',
    );
    expect(
      codeOf(() =>
        assertRequirements(input({ identity: { openid: 'o1', appid: mp.appid, fromAppid: 'wx_platform' } })),
      ),
    ).toBe('AUTH.THIRD_PARTY_PLATFORM');
    expect(codeOf(() => assertRequirements(input({ miniProgram: { ...mp, thirdPartyPlatform: true } })))).toBe(
      'AUTH.THIRD_PARTY_PLATFORM',
    );
  });

  test('the intro lists each requirement with how this mini program stands', () => {
    const status = requirementStatus(input({ bound: { feeRatePpm: 10000 } }));
    expect(status.map((r) => [r.code, r.met])).toEqual([
      ['DOMESTIC', true],
      ['SAME_ENTITY', true],
      ['FEE_RATE', false],
      ['DIRECT_CONNECTION', true],
      ['NO_THIRD_PARTY', true],
    ]);
    expect(status[2].detail).toContain('1%');
  });
});
