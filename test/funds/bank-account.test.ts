// The settlement bank account against the sandbox's modify-settlement: view
// masked, validation before anything is written, review by WeChat Pay with
// the old account in force meanwhile, five changes a Beijing day.
import { Writable } from 'node:stream';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { createLogger } from '../../cloudfunctions/core/runtime/log';
import { pollApplications } from '../../cloudfunctions/core/onboarding/poll-applications';
import { main } from '../../cloudfunctions/funds';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import { pollBankChanges, resolveUnknownBankChange } from '../../cloudfunctions/core/funds/bank-account';
import { PayError } from '../../cloudfunctions/core/ports/pay';
import type { BankAccountDoc, BankChangeDoc } from '../../cloudfunctions/core/funds/docs';
import { jobs } from '../../cloudfunctions/jobs/registry';
import type { BankAccountStatus, BankChangeInput } from '../../typings/funds';
import type { BankStep } from '../../typings/onboarding';
import { validSteps } from '../onboarding/fixtures';
import { draft, key as onboardingKey, merchant as onboarding } from '../onboarding/support';
import { admin, call, errorOf, ok, type TestDeps, testDeps } from '../support/deps';
import { bindSandboxMerchant } from './real';
import { ENTITY } from './support';

let deps: TestDeps;
let keys = 0;
const key = () => `bank-${++keys}-${Date.now().toString(36)}`;

const NEW: BankChangeInput = {
  accountType: 'CORPORATE',
  accountBank: '招商银行',
  bankAddressCode: '440300',
  accountName: ENTITY,
  accountNumber: '6214 8300 0000 5678',
};

const view = () => ok(call<BankAccountStatus>(main, admin, 'getBankAccount'));
const change = (input: Partial<BankChangeInput> = {}, k = key()) =>
  call<BankAccountStatus>(main, admin, 'changeBankAccount', { ...NEW, ...input }, k);

beforeEach(async () => {
  deps = await testDeps();
});
afterEach(() => deps.close());

async function reviewPasses(): Promise<void> {
  deps.clock.advance(6_000); // the sandbox reviewer's delay
  await pollBankChanges(deps);
}

describe('viewing', () => {
  test('masked number and name, never the sealed or plain values', async () => {
    await bindSandboxMerchant(deps);
    const status = await view();
    expect(status.current).toEqual({
      accountType: 'CORPORATE',
      accountBank: '工商银行',
      accountNumber: '**** **** 0000',
      accountName: 'S**',
      since: deps.clock.now().toISOString(),
    });
    expect(status).toMatchObject({ latestChange: null, changesLeftToday: 5, personalAllowed: false });
    expect(status.banks).toContain('招商银行');
    expect(JSON.stringify(status)).not.toMatch(/6222000000000000|Demo Tea|v1\./);
    // At rest: sealed, nothing readable.
    const doc = await deps.store.get<BankAccountDoc>('bankAccounts', DEMO_APPID);
    expect(JSON.stringify(doc)).not.toMatch(/6222000000000000|Shenzhen Demo Tea/);
    expect(deps.sealer.open(doc!.current!.accountNumberSealed)).toBe('6222000000000000');
  });

  test('without a merchant account there is nothing to manage', async () => {
    expect((await errorOf(call(main, admin, 'getBankAccount'))).code).toBe('MERCHANT.NOT_BOUND');
    expect((await errorOf(change())).code).toBe('MERCHANT.NOT_BOUND');
  });
});

describe('a merchant bound by onboarding', () => {
  /**
   * Bound the way the polling job binds (a real application approved by the
   * sandbox reviewer); then onboarding's records are deleted: funds must need
   * only the merchant doc and its own bank account doc.
   */
  async function boundThroughApplication(
    merchantType: 'INDIVIDUAL' | 'ENTERPRISE',
    bank: BankStep,
    legalPerson: string,
  ): Promise<void> {
    const steps = validSteps(merchantType);
    await draft(merchantType, {
      ...steps,
      subject: { ...steps.subject, legalPerson },
      identity: { ...steps.identity, name: legalPerson },
      bank,
    });
    await ok(onboarding('submitApplication', {}, admin, onboardingKey()));
    deps.clock.advance(6_000); // the sandbox reviewer's delay
    await deps.sandbox.flush();
    expect((await pollApplications(deps)).bound).toBe(1);
    for (const app of (await deps.store.find('applications', {})).items)
      await deps.store.remove('applications', app._id);
    await deps.store.remove('activeApplications', DEMO_APPID);
    expect(await deps.store.count('applications')).toBe(0);
  }

  test("the application's bank account is the one in force from the start", async () => {
    await boundThroughApplication(
      'ENTERPRISE',
      {
        accountType: 'CORPORATE',
        accountName: ENTITY,
        bank: 'CMB',
        addressCode: '440300',
        accountNumber: '6214830000002468',
      },
      '王五',
    );
    const status = await view();
    expect(status.current).toMatchObject({
      accountType: 'CORPORATE',
      accountBank: '招商银行',
      accountNumber: '**** **** 2468',
    });
    expect(status.personalAllowed).toBe(false);
    const doc = await deps.store.get<BankAccountDoc>('bankAccounts', DEMO_APPID);
    expect(deps.sealer.open(doc!.current!.accountNumberSealed)).toBe('6214830000002468');
  });

  test("an individual business: personal accounts allowed, in the licence's operator name", async () => {
    await boundThroughApplication(
      'INDIVIDUAL',
      {
        accountType: 'PERSONAL',
        accountName: '王五',
        bank: 'OTHER',
        branchName: '深圳农村商业银行南山支行',
        addressCode: '440300',
        accountNumber: '6230000000001357',
      },
      '王五',
    );
    const status = await view();
    expect(status.personalAllowed).toBe(true);
    expect(status.current).toMatchObject({
      accountType: 'PERSONAL',
      accountBank: '其他银行',
      bankName: '深圳农村商业银行南山支行',
      accountName: '*五',
    });
    expect((await errorOf(change({ accountType: 'PERSONAL', accountName: '赵六' }))).code).toBe(
      'FUNDS.ACCOUNT_NAME_MISMATCH',
    );
  });
});

describe('validation: typed errors, nothing written', () => {
  beforeEach(() => bindSandboxMerchant(deps));

  test.each<[string, Partial<BankChangeInput> | Record<string, unknown>, string, string]>([
    ['a number that is not 8-30 digits', { accountNumber: '1234-567' }, 'INPUT.INVALID', 'accountNumber'],
    ['letters in the number', { accountNumber: '62148300000A5678' }, 'INPUT.INVALID', 'accountNumber'],
    [
      '31 digits, past the longest WeChat Pay takes',
      { accountNumber: '1'.repeat(31) },
      'INPUT.INVALID',
      'accountNumber',
    ],
    ['a region code that is not six digits', { bankAddressCode: '4403' }, 'INPUT.INVALID', 'bankAddressCode'],
    ['a bank not on the list', { accountBank: 'Bank of Nowhere' }, 'INPUT.INVALID', 'accountBank'],
    ['another bank without its name', { accountBank: '其他银行' }, 'INPUT.INVALID', 'bankName'],
    ['an unknown account type', { accountType: 'SAVINGS' }, 'INPUT.INVALID', 'accountType'],
    ['an unexpected field', { appid: 'wx_other' }, 'INPUT.INVALID', 'appid'],
    [
      'a name that is not the entity',
      { accountName: 'Someone Else Ltd.' },
      'FUNDS.ACCOUNT_NAME_MISMATCH',
      'accountName',
    ],
    [
      'a personal account for an enterprise',
      { accountType: 'PERSONAL' },
      'FUNDS.PERSONAL_ACCOUNT_NOT_ALLOWED',
      'accountType',
    ],
    [
      'the account already in force',
      { accountBank: '工商银行', accountNumber: '6222000000000000' },
      'FUNDS.BANK_ACCOUNT_UNCHANGED',
      'accountNumber',
    ],
  ])('%s', async (_what, input, code, field) => {
    const e = await errorOf(change(input as Partial<BankChangeInput>));
    expect(e.code).toBe(code);
    expect(Object.keys(e.fields ?? {})).toEqual([field]);
    expect(await deps.store.count('bankChanges')).toBe(0);
    expect((await view()).changesLeftToday).toBe(5);
  });

  test('names compare as a bank does: spacing and full-width brackets do not matter', async () => {
    const record = deps.config.miniPrograms[DEMO_APPID];
    // A copy: the demo record's entity object is shared by every config.
    deps.config.miniPrograms[DEMO_APPID] = {
      ...record,
      entity: { ...record.entity, name: '深圳市演示茶业（南山）有限公司' },
    };
    const status = await ok(change({ accountName: ' 深圳市演示茶业(南山) 有限公司 ' }));
    expect(status.latestChange?.state).toBe('AUDITING');
  });
});

describe('review', () => {
  test('the old account stays in force until WeChat Pay approves the new one', async () => {
    await bindSandboxMerchant(deps);
    const submitted = await ok(change());
    expect(submitted.latestChange).toMatchObject({
      state: 'AUDITING',
      account: { accountNumber: '**** **** 5678', accountBank: '招商银行' },
    });
    expect(submitted.current?.accountNumber).toBe('**** **** 0000');
    expect(submitted.changesLeftToday).toBe(4);
    // One change in review at a time.
    expect((await errorOf(change({ accountNumber: '6214830000009999' }))).code).toBe('FUNDS.BANK_CHANGE_IN_REVIEW');

    deps.clock.advance(1_000);
    expect(await pollBankChanges(deps)).toEqual({ checked: 1, approved: 0, rejected: 0, abandoned: 0 });
    expect((await view()).current?.accountNumber).toBe('**** **** 0000');

    await reviewPasses();
    const approved = await view();
    expect(approved.current).toMatchObject({
      accountBank: '招商银行',
      accountNumber: '**** **** 5678',
      since: deps.clock.now().toISOString(),
    });
    expect(approved.latestChange).toMatchObject({ state: 'APPROVED', decidedAt: deps.clock.now().toISOString() });
    const doc = await deps.store.get<BankAccountDoc>('bankAccounts', DEMO_APPID);
    expect(deps.sealer.open(doc!.current!.accountNumberSealed)).toBe('6214830000005678');
    expect(jobs.pollBankChanges.everyMs).toBeGreaterThan(0);
  });

  test("a rejection keeps the old account and shows WeChat Pay's reason", async () => {
    await bindSandboxMerchant(deps);
    await ok(change());
    const pending = (await deps.store.find<BankChangeDoc>('bankChanges', {})).items[0];
    deps.sandbox.forceSettlement(pending.applicationNo!, 'AUDIT_FAIL', '开户银行与账号不匹配');
    expect((await pollBankChanges(deps)).rejected).toBe(1);
    const status = await view();
    expect(status.latestChange).toMatchObject({ state: 'REJECTED', reason: '开户银行与账号不匹配' });
    expect(status.current?.accountNumber).toBe('**** **** 0000');
    // Rejected: a new request may go in (it counts again).
    expect((await ok(change({ accountNumber: '6214830000001111' }))).changesLeftToday).toBe(3);
  });

  test("an individual business may use a personal account in its operator's name", async () => {
    await bindSandboxMerchant(
      deps,
      { subjectType: 'SUBJECT_TYPE_INDIVIDUAL', operatorNameSealed: deps.sealer.seal('张三') },
      { subject_type: 'SUBJECT_TYPE_INDIVIDUAL', legal_person: '张三' },
    );
    expect((await view()).personalAllowed).toBe(true);
    expect((await errorOf(change({ accountType: 'PERSONAL', accountName: '李四' }))).code).toBe(
      'FUNDS.ACCOUNT_NAME_MISMATCH',
    );
    const status = await ok(
      change({
        accountType: 'PERSONAL',
        accountBank: '建设银行',
        accountName: '张三',
        accountNumber: '6217000000004321',
      }),
    );
    expect(status.latestChange?.account).toEqual({
      accountType: 'PERSONAL',
      accountBank: '建设银行',
      accountNumber: '**** **** 4321',
      accountName: '*三',
    });
    await reviewPasses();
    expect((await view()).current).toMatchObject({ accountType: 'PERSONAL', accountNumber: '**** **** 4321' });
  });

  test('at most five changes a Beijing day; a change WeChat Pay refused gives its slot back', async () => {
    await bindSandboxMerchant(deps);
    for (let i = 0; i < 5; i++) {
      await ok(change({ accountNumber: `62148300000000${i}0` }));
      const pending = (await deps.store.find<BankChangeDoc>('bankChanges', { where: { state: 'AUDITING' } })).items[0];
      deps.sandbox.forceSettlement(pending.applicationNo!, 'AUDIT_FAIL');
      await pollBankChanges(deps);
    }
    expect((await view()).changesLeftToday).toBe(0);
    expect((await errorOf(change({ accountNumber: '6214830000000099' }))).code).toBe('FUNDS.BANK_CHANGE_DAILY_LIMIT');
    expect(await deps.store.count('bankChanges')).toBe(5);

    deps.clock.set('2026-01-05T16:00:00.000Z'); // midnight in Beijing
    expect((await view()).changesLeftToday).toBe(5);
    // A change made elsewhere (the Merchant Platform) is in review at WeChat Pay: ours is refused there, and gets its slot back.
    const { subMchid } = (await deps.store.get<MerchantDoc>('merchants', DEMO_APPID))!;
    await deps.pay.modifySettlement(subMchid, {
      accountType: 'ACCOUNT_TYPE_BUSINESS',
      accountBank: '中国银行',
      bankAddressCode: '110000',
      accountName: ENTITY,
      accountNumber: '6216600000000001',
    });
    const e = await errorOf(change({ accountNumber: '6214830000000077' }));
    expect(e.code).toBe('FUNDS.BANK_CHANGE_REFUSED');
    const status = await view();
    expect(status.changesLeftToday).toBe(5);
    expect(status.latestChange).toMatchObject({
      state: 'FAILED',
      reason: expect.stringContaining('WeChat Pay refused the change'),
    });
    expect(status.current?.accountNumber).toBe('**** **** 0000');
  });
});

describe('no answer from WeChat Pay', () => {
  /** modify-settlement times out; with `reached`, WeChat Pay got (and accepted) the request first. */
  function timeout(reached: boolean) {
    const real = deps.pay.modifySettlement.bind(deps.pay);
    const accepted: string[] = [];
    const spy = jest.spyOn(deps.pay, 'modifySettlement').mockImplementationOnce(async (sub, account) => {
      if (reached) accepted.push((await real(sub, account)).applicationNo);
      throw new PayError(0, 'NETWORK_ERROR', 'timeout');
    });
    return { spy, accepted };
  }

  test("is not a failure: the change waits for WeChat Pay's answer, blocks another, and is never resubmitted", async () => {
    await bindSandboxMerchant(deps);
    const { spy, accepted } = timeout(true);
    expect((await errorOf(change())).code).toBe('FUNDS.BANK_CHANGE_UNCONFIRMED');
    const status = await view();
    expect(status.latestChange).toMatchObject({
      state: 'UNKNOWN',
      reason: expect.stringContaining("Waiting for WeChat Pay's answer"),
    });
    expect(status.current?.accountNumber).toBe('**** **** 0000');
    expect(status.changesLeftToday).toBe(4); // WeChat Pay may have counted it
    expect((await errorOf(change({ accountNumber: '6214830000009999' }))).code).toBe('FUNDS.BANK_CHANGE_IN_REVIEW');

    // WeChat Pay approves the request we never heard back about; the poll
    // cannot know its number and does not resubmit, so it stays UNKNOWN.
    deps.clock.advance(11 * 60_000);
    expect(await pollBankChanges(deps)).toEqual({ checked: 0, approved: 0, rejected: 0, abandoned: 0 });
    expect(spy).toHaveBeenCalledTimes(1); // the timed-out call only: the second change was refused before it, the poll did not resubmit
    expect((await view()).latestChange?.state).toBe('UNKNOWN');

    // Support finds the application on the Merchant Platform: back in review, the poll applies the decision.
    const [pending] = (await deps.store.find<BankChangeDoc>('bankChanges', { where: { state: 'UNKNOWN' } })).items;
    expect(await resolveUnknownBankChange(deps, pending._id, accepted[0])).toBe(true);
    expect(await pollBankChanges(deps)).toMatchObject({ checked: 1, approved: 1 });
    expect((await view()).current).toMatchObject({ accountBank: '招商银行', accountNumber: '**** **** 5678' });
  });

  test('resolved as never received, it ends FAILED and a new change may go in', async () => {
    await bindSandboxMerchant(deps);
    timeout(false);
    expect((await errorOf(change())).code).toBe('FUNDS.BANK_CHANGE_UNCONFIRMED');
    const [pending] = (await deps.store.find<BankChangeDoc>('bankChanges', {})).items;
    expect(await resolveUnknownBankChange(deps, pending._id, 'unused')).toBe(true); // back to AUDITING
    expect(await resolveUnknownBankChange(deps, pending._id, null)).toBe(false); // no longer UNKNOWN
    await deps.store.update('bankChanges', pending._id, { set: { state: 'UNKNOWN' } });
    expect(await resolveUnknownBankChange(deps, pending._id, null)).toBe(true);
    expect((await view()).latestChange).toMatchObject({
      state: 'FAILED',
      reason: 'WeChat Pay never received the request',
    });
    expect((await ok(change({ accountNumber: '6214830000001111' }))).latestChange?.state).toBe('AUDITING');
  });

  test('a request whose process died while submitting becomes UNKNOWN, not FAILED', async () => {
    await bindSandboxMerchant(deps);
    jest.spyOn(deps.pay, 'modifySettlement').mockImplementationOnce(() => new Promise(() => {})); // never answers
    void change();
    await new Promise((r) => setTimeout(r, 50));
    expect((await view()).latestChange?.state).toBe('SUBMITTING');
    deps.clock.advance(11 * 60_000);
    expect((await pollBankChanges(deps)).abandoned).toBe(1);
    expect((await view()).latestChange?.state).toBe('UNKNOWN');
    expect((await errorOf(change({ accountNumber: '6214830000009999' }))).code).toBe('FUNDS.BANK_CHANGE_IN_REVIEW');
  });
});

test('account numbers and names never reach a log line', async () => {
  const lines: string[] = [];
  deps.log = createLogger({
    level: 'debug',
    destination: new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  await bindSandboxMerchant(deps);
  await ok(change());
  await errorOf(change({ accountNumber: '6214830000009999' }));
  await reviewPasses();
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).not.toMatch(/6214830000005678|6214 8300 0000 5678|6222000000000000|Shenzhen Demo Tea/);
});
