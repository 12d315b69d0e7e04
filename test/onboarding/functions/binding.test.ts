// What binding hands to funds: the polling job that binds an approved
// merchant account also writes the holder's facts onto the merchant doc
// (subject type; an individual business's operator, sealed) and records the
// application's bank account as the first in force, once, in the binding
// transaction. Funds then works with no application left at all.
import { DEMO_APPID } from '../../../cloudfunctions/core/config';
import { main as funds } from '../../../cloudfunctions/funds';
import type { BankAccountDoc } from '../../../cloudfunctions/core/funds/docs';
import { recordBankAccount } from '../../../cloudfunctions/core/funds/record-account';
import { pollApplications } from '../../../cloudfunctions/core/onboarding/poll-applications';
import type { ApplicationDoc } from '../../../cloudfunctions/core/onboarding/application-doc';
import { reviewApplication } from '../../../cloudfunctions/core/onboarding/application-review';
import type { MerchantDoc } from '../../../cloudfunctions/core/merchants/merchant';
import type { BankAccountStatus, FundsOverview } from '../../../typings/funds';
import type { ApplicationView, MerchantType } from '../../../typings/onboarding';
import { admin, call, errorOf, ok, testDeps, type TestDeps } from '../../support/deps';
import { ENTITY } from '../fixtures';
import { draft, key, merchant } from '../support';

let deps: TestDeps;
beforeEach(async () => {
  deps = await testDeps();
});
afterEach(() => deps.close());

/** Submitted and approved by the sandbox reviewer; not yet polled. Returns the application as stored then. */
async function approved(type: MerchantType): Promise<ApplicationDoc> {
  await draft(type);
  const { id } = await ok(merchant<ApplicationView>('submitApplication', {}, admin, key()));
  deps.clock.advance(6_000);
  await deps.sandbox.flush();
  return (await deps.store.get<ApplicationDoc>('applications', id))!;
}

const bound = async () => (await deps.store.get<MerchantDoc>('merchants', DEMO_APPID))!;
const bankDoc = () => deps.store.get<BankAccountDoc>('bankAccounts', DEMO_APPID);

describe("the merchant doc carries the holder's facts", () => {
  test.each<[MerchantType, string, string | undefined]>([
    ['INDIVIDUAL', 'SUBJECT_TYPE_INDIVIDUAL', '张三'],
    ['ENTERPRISE', 'SUBJECT_TYPE_ENTERPRISE', undefined],
    ['INSTITUTION', 'SUBJECT_TYPE_INSTITUTIONS', undefined],
    ['GOVERNMENT', 'SUBJECT_TYPE_GOVERNMENT', undefined],
    ['SOCIAL_ORG', 'SUBJECT_TYPE_OTHERS', undefined],
  ])('%s', async (type, subjectType, operator) => {
    await approved(type);
    expect((await pollApplications(deps)).bound).toBe(1);
    const doc = await bound();
    expect(doc).toMatchObject({ subjectType, merchantType: type });
    // Only an individual business's operator is copied (a personal account's name), and only sealed.
    expect(doc.operatorNameSealed && deps.sealer.open(doc.operatorNameSealed)).toBe(operator);
    expect(JSON.stringify(doc)).not.toContain('张三');
  });
});

describe('the first settlement account', () => {
  test('recorded sealed, from the binding instant, once however often the job runs', async () => {
    const before = await approved('ENTERPRISE');
    const [a, b] = await Promise.all([pollApplications(deps), pollApplications(deps)]);
    expect(a.bound + b.bound).toBeGreaterThanOrEqual(1);
    const merchantDoc = await bound();
    const recorded = (await bankDoc())!;
    expect(await deps.store.count('bankAccounts')).toBe(1);
    expect(recorded).toMatchObject({ since: merchantDoc.boundAt, pendingChangeId: null, latestChangeId: null });
    expect(recorded.current).toMatchObject({
      accountType: 'CORPORATE',
      accountBank: '其他银行',
      bankName: '深圳农村商业银行南山支行',
      bankAddressCode: '440300',
      accountNumberMasked: '**** **** 3456',
      accountNameMasked: expect.stringMatching(/^S\*+$/),
    });
    expect(deps.sealer.open(recorded.current!.accountNumberSealed)).toBe('4000023009200123456');
    expect(deps.sealer.open(recorded.current!.accountNameSealed)).toBe(ENTITY.name);
    expect(JSON.stringify(recorded)).not.toMatch(/4000023009200123456|Shenzhen Demo Tea/);

    // Later WeChat Pay approves a change; a slow run that read the application
    // before it was finished, and further ticks, must not put the old account back.
    deps.clock.advance(60_000);
    await recordBankAccount(deps, DEMO_APPID, {
      accountType: 'CORPORATE',
      accountBank: '招商银行',
      bankAddressCode: '440300',
      accountName: ENTITY.name,
      accountNumber: '6214830000005678',
    });
    const changed = await bankDoc();
    await reviewApplication(deps, before);
    await pollApplications(deps);
    expect(await bankDoc()).toEqual(changed);
    expect(await deps.store.count('merchants')).toBe(1);
  });

  test('funds reads it with no application doc present', async () => {
    await approved('INDIVIDUAL');
    await pollApplications(deps);
    for (const app of (await deps.store.find('applications', {})).items)
      await deps.store.remove('applications', app._id);
    await deps.store.remove('activeApplications', DEMO_APPID);

    const status = await ok(call<BankAccountStatus>(funds, admin, 'getBankAccount'));
    expect(status.current).toEqual({
      accountType: 'PERSONAL',
      accountBank: '招商银行',
      accountNumber: '**** **** 0001',
      accountName: '*三',
      since: (await bound()).boundAt,
    });
    expect(status.personalAllowed).toBe(true);
    const overview = await ok(call<FundsOverview>(funds, admin, 'getOverview'));
    expect(overview).toMatchObject({
      merchantBound: true,
      bankAccount: { accountNumber: '**** **** 0001', reviewing: false },
    });

    // The operator's name, read from the merchant doc, decides who a personal account may belong to.
    const personal = {
      accountType: 'PERSONAL',
      accountBank: '建设银行',
      bankAddressCode: '440300',
      accountNumber: '6217000000004321',
    };
    expect(
      (await errorOf(call(funds, admin, 'changeBankAccount', { ...personal, accountName: '李四' }, key()))).code,
    ).toBe('FUNDS.ACCOUNT_NAME_MISMATCH');
    const changed = await ok(
      call<BankAccountStatus>(funds, admin, 'changeBankAccount', { ...personal, accountName: '张三' }, key()),
    );
    expect(changed.latestChange).toMatchObject({
      state: 'AUDITING',
      account: { accountName: '*三', accountNumber: '**** **** 4321' },
    });
  });
});
