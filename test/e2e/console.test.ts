// The local console in a real browser (Debian's Chromium through
// playwright-core) against the built stack (`npm start` as a child process,
// reviews left to the console, jobs 50x faster, the sandbox's own delays 20x
// slower so the bank and refunds wait for the console's buttons). The merchant
// admin and the buyer act through the functions API as the app would; WeChat's
// side (reviewer, buyer at the payment sheet, refunds, bank) is clicked in the
// console, and every step is checked on the page, in Chinese, once in English.
// CONSOLE_SCREENSHOTS=<folder> keeps a full-page PNG of each step there.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { addDays, beijingDate } from '../../miniprogram/shared/beijing';
import { formatFen } from '../../miniprogram/shared/money';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import { IDENTITY_CODES_FILE } from '../../cloudfunctions/core/funds/identity-check';
import type { MerchantDoc } from '../../cloudfunctions/core/merchants/merchant';
import type { ApiResult } from '../../typings/api';
import type { Order, Payment, Product, Refund } from '../../typings/checkout';
import type { Balances, ReconciliationPage, WithdrawalRequested, WithdrawalView } from '../../typings/funds';
import type { ApplicationView } from '../../typings/onboarding';
import { ADMIN_ID, jpeg, LEGAL_ID, requiredSlots, validSteps } from '../onboarding/fixtures';
import { startStack, type Stack } from './stack';
import { uploadPhoto } from '../support/upload';

jest.setTimeout(60_000);

const SETUP_CODE = '24680';
const admin = { openid: 'o_e2e_console_admin', appid: DEMO_APPID };
const buyer = { openid: 'o_e2e_console_buyer', appid: DEMO_APPID };
const SHOTS = process.env.CONSOLE_SCREENSHOTS;
let stack: Stack;
let browser: Browser;
let page: Page;
let n = 0;
const key = () => `e2e-console-${Date.now().toString(36)}-${++n}`;

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}
const call = <T>(who: typeof admin, fn: string, action: string, body: unknown = {}, idempotencyKey?: string) =>
  data<T>(stack.call<T>(fn, action, body, who, idempotencyKey));

const open = async (tab: string, query = '') => {
  await page.goto(`${stack.gatewayUrl}/console${tab ? `/${tab}` : ''}${query}`);
};
const shot = async (name: string) => {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};
const flash = () => page.locator('.flash');
/** The table row holding `id` in a <code>. */
const row = (id: string): Locator => page.locator('tr', { has: page.locator(`code:text-is("${id}")`) }).last();
/** What the page shows in `locator` (the pages are server-rendered: nothing changes after load). */
const text = async (locator: Locator) => ((await locator.first().textContent()) ?? '').trim();
/** Clicks a console button and waits for the page it redirects back to. */
const press = async (button: Locator) => {
  await Promise.all([page.waitForURL((url) => url.searchParams.has('flash')), button.click()]);
};
/** Everything the browser shows, for the privacy check. */
const shown: string[] = [];
const keep = async () => {
  shown.push(await page.content());
};

beforeAll(async () => {
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({
      PMS_SETUP_CODE: SETUP_CODE,
      SANDBOX_REVIEW: 'manual',
      JOB_TIME_SCALE: '50',
      SANDBOX_TIME_SCALE: '20',
    }),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('an application rejected, fixed and approved, a payment, a refund and a withdrawal, clicked through the console', async () => {
  // ---- the admin claims the role and applies, as the app does ----------------------------
  await call(admin, 'merchant', 'claimAdmin', { code: SETUP_CODE });
  const steps = validSteps('ENTERPRISE');
  await call(admin, 'merchant', 'chooseType', { merchantType: 'ENTERPRISE' }, key());
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const)
    await call(admin, 'merchant', 'saveStep', { step, data: steps[step] });
  for (const slot of requiredSlots('ENTERPRISE')) await data(uploadPhoto(stack, admin, slot, jpeg(slot)));
  const submitted = await call<ApplicationView>(admin, 'merchant', 'submitApplication', {}, key());

  await open('');
  expect(await text(page.locator('h1'))).toBe('本地控制台');
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(await text(page.locator('#mini-programs'))).toContain('已认领');
  const card = page.locator(`[data-application="${submitted.id}"]`);
  expect(await text(card.locator('h3 .tag'))).toBe('审核中');
  await keep();
  await shot('1-application-in-review');

  // ---- the reviewer rejects one field with its reason -------------------------------------
  await card.locator('select[name="field1"]').selectOption('business_info.merchant_shortname');
  await card.locator('input[name="reason1"]').fill('商户简称与门店招牌不一致');
  await press(card.getByRole('button', { name: '驳回' }));
  expect(await text(flash())).toContain('已驳回');
  expect(await text(card.locator('h3 .tag'))).toBe('已驳回');
  expect(await text(card.locator('table'))).toContain('商户简称');
  expect(await text(card.locator('table'))).toContain('商户简称与门店招牌不一致');
  expect(await text(card.locator('table'))).toContain('business.shortName');
  await keep();
  await shot('2-application-rejected');

  // ---- the admin sees the reason on that field, fixes it and resubmits ----------------------
  const rejected = await call<ApplicationView>(admin, 'merchant', 'getApplication');
  expect(rejected.review.rejected).toEqual([
    expect.objectContaining({ formField: 'business.shortName', reason: '商户简称与门店招牌不一致' }),
  ]);
  await call(admin, 'merchant', 'saveStep', {
    step: 'business',
    data: { ...steps.business, shortName: 'Demo Tea House' },
  });
  await call(admin, 'merchant', 'submitApplication', {}, key());
  await open('');
  expect(await text(card.locator('h3 .tag'))).toBe('审核中');
  // History at WeChat Pay: in review, rejected, in review again.
  expect(await card.locator('.history [data-state]').allTextContents()).toEqual(['审核中', '已驳回', '审核中']);

  // ---- approved: the app binds the new merchant account -------------------------------------
  await press(card.getByRole('button', { name: '通过', exact: true }));
  expect(await text(flash())).toContain('已完成');
  expect(await text(card.locator('h3 .tag'))).toBe('已完成');
  expect(await text(page.locator('#merchant'))).toContain('Shenzhen Demo Tea Co., Ltd.');
  expect(await text(page.locator('#merchant'))).toMatch(/\d{2}\*+\d{2}/);
  await keep();
  await shot('3-application-approved');

  // ---- a buyer orders and gets a prepay; the console pays it as the buyer --------------------
  const products = await call<{ items: Product[] }>(buyer, 'checkout', 'listProducts');
  const oolong = products.items.find((p) => /Oolong/.test(p.name))!;
  const order = await call<Order>(
    buyer,
    'checkout',
    'createOrder',
    { items: [{ productId: oolong.id, quantity: 2 }] },
    key(),
  );
  await call<Payment>(buyer, 'checkout', 'pay', { orderId: order.id });
  await open('payments');
  expect(await text(row(order.id))).toContain('支付中');
  await press(row(order.id).getByRole('button', { name: '买家支付', exact: true }));
  expect(await text(flash())).toContain('已支付');
  expect(await text(flash())).toContain('已送达');
  expect(await text(row(order.id).locator('[data-state="PAID"]'))).toBe('已支付');

  // ---- the admin refunds one tin; WeChat Pay completes it in the console ---------------------
  const refund = await call<Refund>(
    admin,
    'checkout',
    'refund',
    { orderId: order.id, amountFen: oolong.priceFen, reason: 'one tin dented' },
    key(),
  );
  await open('payments');
  expect(await text(row(refund.id))).toContain('退款中');
  await press(row(refund.id).getByRole('button', { name: '退款成功' }));
  expect(await text(flash())).toContain('退款成功');
  expect(await text(row(refund.id).locator('[data-state="SUCCESS"]').first())).toBe('退款成功');
  await keep();
  await shot('4-payment-and-refund');

  // ---- settlement now (T+0): the rest becomes available ---------------------------------------
  await open('funds');
  await press(page.getByRole('button', { name: '立即结算（T+0）' }));
  expect(await text(flash())).toContain('settle T+0');
  const balances = await call<Balances>(admin, 'funds', 'getBalances');
  expect(balances).toMatchObject({ pendingFen: 0, withdrawingFen: 0 });
  expect(balances.availableFen).toBeGreaterThan(0);
  const available = page.locator('#ledger tr', { has: page.locator('[data-state="available"]') });
  expect(await text(available)).toContain(formatFen(balances.availableFen));
  expect(await text(page.locator('#ledger .check'))).toContain('平衡');

  // ---- a withdrawal, confirmed with the identity code, paid out by the bank in the console -----
  const requested = await call<WithdrawalRequested>(
    admin,
    'funds',
    'requestWithdrawal',
    { amountFen: balances.availableFen },
    key(),
  );
  const codes = fs.readFileSync(path.join(stack.dataDir, IDENTITY_CODES_FILE), 'utf8').trim().split('\n');
  const { code } = codes.map((l) => JSON.parse(l)).find((l) => l.withdrawalId === requested.withdrawal.id);
  const confirmed = await call<WithdrawalView>(
    admin,
    'funds',
    'confirmWithdrawal',
    { withdrawalId: requested.withdrawal.id, proof: { code } },
    key(),
  );
  await open('funds');
  const withdrawal = row(confirmed.id);
  expect(await text(withdrawal)).toContain('处理中');
  expect(await text(withdrawal)).toContain('**** **** 3456');
  await press(withdrawal.getByRole('button', { name: '银行：到账' }));
  expect(await text(flash())).toContain('已到账');
  expect(await text(withdrawal.locator('[data-state="SUCCESS"]').first())).toBe('已到账');
  expect(await call<Balances>(admin, 'funds', 'getBalances')).toEqual({
    pendingFen: 0,
    availableFen: 0,
    withdrawingFen: 0,
  });
  await keep();
  await shot('5-withdrawal-paid');

  // ---- the notifications and the job runs -----------------------------------------------------
  await open('sandbox');
  const notifications = page.locator('#notifications');
  expect(await text(notifications)).toContain('TRANSACTION.SUCCESS');
  expect(await text(notifications)).toContain('REFUND.SUCCESS');
  expect(await text(notifications)).toContain('HTTP 204');
  expect(await text(page.locator('#jobs'))).toContain('控制台 T+0');
  await keep();
  await shot('6-sandbox-and-jobs');

  // ---- reconciliation of day D the same day: the sandbox clock to 10:05 on D+1, then reconcile now ----
  const day = beijingDate(new Date(order.createdAt));
  await open('sandbox');
  await press(page.getByRole('button', { name: '拨到次日 10:05（账单可下载）' }));
  expect(await text(flash())).toContain(`${addDays(day, 1)} 10:05`);
  await open('funds');
  await press(page.getByRole('button', { name: '立即对账' }));
  expect(await text(flash())).toContain('reconcile');
  expect(await text(row(day).locator('[data-state="MATCHED"]'))).toBe('一致');
  // The app's reconciliation page reads the same day.
  const reconciled = await call<ReconciliationPage>(admin, 'funds', 'listReconciliations');
  expect(reconciled.items[0]).toMatchObject({ billDate: day, state: 'MATCHED', billPayments: 1, billRefunds: 1 });
  await keep();

  // ---- in English ------------------------------------------------------------------------------
  await open('funds', `?lang=en-US&appid=${DEMO_APPID}`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
  expect(await text(page.locator('#withdrawals h2'))).toBe('Withdrawals');
  expect(await text(withdrawal.locator('[data-state="SUCCESS"]').first())).toBe('Paid to bank');
  await keep();
  await shot('7-funds-english');

  // ---- personal data only ever masked ---------------------------------------------------------
  const store = new SqliteStore({ file: path.join(stack.dataDir, 'pms.sqlite') });
  const merchant = await store.get<MerchantDoc>('merchants', DEMO_APPID).finally(() => store.close());
  const all = shown.join('\n');
  for (const secret of [
    LEGAL_ID,
    ADMIN_ID,
    '4000023009200123456',
    '13900139000',
    'admin@example.com',
    merchant!.subMchid,
  ])
    expect(all).not.toContain(secret);
  expect(all).not.toContain(admin.openid);
});

test('actions need the page’s form token and the console’s own origin', async () => {
  await open('sandbox');
  const token = await page.locator('input[name="csrf"]').first().getAttribute('value');
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.gatewayUrl}/console/actions/tick`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  expect((await post('csrf=wrong&tab=sandbox')).status).toBe(403);
  expect((await post(`csrf=${token}&tab=sandbox`, { origin: 'http://evil.example' })).status).toBe(403);
  const ok = await post(`csrf=${token}&tab=sandbox`, { origin: stack.gatewayUrl });
  expect(ok.status).toBe(303);
  expect(ok.headers.get('location')).toMatch(/^\/console\/sandbox\?appid=wxd0c0ffee5a1e5a1e&flash=/);
  const res = await fetch(`${stack.gatewayUrl}/console`);
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(await res.text()).not.toMatch(/<script/i);
});
