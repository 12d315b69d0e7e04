// The local stack with WeChat Pay in platform-certificate mode
// (SANDBOX_PLATFORM_MODE=certificate): onboarding encrypts with a downloaded
// certificate, a payment's notification signed with it reaches payNotify, the
// console rotates the certificate, and the next payment's notification, signed
// with the new one, is accepted by the running functions as they are.
import { DEMO_APPID } from '../../cloudfunctions/core/config';
import type { ApiResult, MerchantStatus } from '../../typings/api';
import type { Order, OrderDetail, Payment, Product } from '../../typings/checkout';
import { jpeg, requiredSlots, validSteps } from '../onboarding/fixtures';
import { uploadPhoto } from '../support/upload';
import { startStack, type Stack } from './stack';

jest.setTimeout(120_000);

const SETUP_CODE = '97531';
const admin = { openid: 'o_e2e_cert_admin', appid: DEMO_APPID };
const buyer = { openid: 'o_e2e_cert_buyer', appid: DEMO_APPID };
let stack: Stack;
let n = 0;
const key = () => `e2e-cert-${Date.now().toString(36)}-${++n}`;

async function data<T>(result: Promise<ApiResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`);
  return r.data;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}\n${stack.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface CertInfo {
  serial_no: string;
  signing: boolean;
}
const certificates = async () =>
  (await stack.sandbox<{ mode: string; data: CertInfo[] }>('GET', '/sandbox/certificates')).body;

interface Delivery {
  ref: string;
  state: string;
  attempts: Array<{ status?: number }>;
}

/** Buys one tin, pays in the sandbox and waits for payNotify to mark the order paid. */
async function buyAndPay(): Promise<void> {
  const products = await data(stack.call<{ items: Product[] }>('checkout', 'listProducts', {}, buyer));
  const cart = { items: [{ productId: products.items[0].id, quantity: 1 }] };
  const order = await data(stack.call<Order>('checkout', 'createOrder', cart, buyer, key()));
  const payment = await data(stack.call<Payment>('checkout', 'pay', { orderId: order.id }, buyer));
  const paid = await stack.sandbox('POST', '/sandbox/pay', { appid: DEMO_APPID, ...payment.params, result: 'SUCCESS' });
  expect(paid.status).toBe(200);
  await eventually(
    () => data(stack.call<OrderDetail>('checkout', 'getOrder', { orderId: order.id }, buyer)),
    (o) => o.state === 'PAID',
    'the order to be paid by its notification',
  );
}

beforeAll(async () => {
  stack = await startStack({
    PMS_SETUP_CODE: SETUP_CODE,
    SANDBOX_TIME_SCALE: '0.01',
    SANDBOX_PLATFORM_MODE: 'certificate',
  });
});
afterAll(() => stack?.stop());

test('onboarding, payments and a certificate rotation from the console, in certificate mode', async () => {
  const before = await certificates();
  expect(before.mode).toBe('certificate');
  expect(before.data).toHaveLength(1);

  // Onboarding: the sensitive fields are encrypted with the downloaded certificate.
  await data(stack.call('merchant', 'claimAdmin', { code: SETUP_CODE }, admin));
  const steps = validSteps('ENTERPRISE');
  await data(stack.call('merchant', 'chooseType', { merchantType: 'ENTERPRISE' }, admin, key()));
  for (const step of ['subject', 'identity', 'contact', 'business', 'bank'] as const)
    await data(stack.call('merchant', 'saveStep', { step, data: steps[step] }, admin));
  for (const slot of requiredSlots('ENTERPRISE')) await data(uploadPhoto(stack, admin, slot, jpeg(slot)));
  await data(stack.call('merchant', 'submitApplication', {}, admin, key()));
  await eventually(
    () => data(stack.call<MerchantStatus>('merchant', 'getStatus', {}, admin)),
    (s) => s.merchant !== null,
    'the merchant account to be bound',
  );

  await buyAndPay();

  // The console's button rotates the certificate (with its form token, from its own origin).
  const page = await (await fetch(`${stack.gatewayUrl}/console/sandbox`)).text();
  expect(page).toContain(before.data[0].serial_no);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(csrf).toBeTruthy();
  const rotated = await fetch(`${stack.gatewayUrl}/console/actions/certificate`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.gatewayUrl },
    body: `csrf=${csrf}&tab=sandbox`,
  });
  expect(rotated.status).toBe(303);
  const after = await certificates();
  expect(after.data).toHaveLength(2);
  const signing = after.data.find((c) => c.signing)?.serial_no;
  expect(signing).not.toBe(before.data[0].serial_no);

  // The next notification is signed with the new certificate; payNotify accepts it first time.
  await buyAndPay();
  const deliveries = (await stack.sandbox<{ data: Delivery[] }>('GET', '/sandbox/notifications')).body.data.filter(
    (d) => d.ref.startsWith('order:'),
  );
  expect(deliveries.map((d) => d.attempts.map((a) => a.status))).toEqual([[204], [204]]);
});
