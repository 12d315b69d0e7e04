// Merchant applications through the adapter: media upload, submit, the
// sandbox's rule-based review, resubmission, and every forced outcome,
// including the signing and confirmation pages.
import crypto from 'node:crypto';
import { randomNonce, signRequest, unixSeconds } from '../../cloudfunctions/core/adapters/wechatpay/crypto';
import { ManualClock } from '../../cloudfunctions/core/ports/clock';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import {
  AGENT_ID,
  APPID,
  enterpriseApplication,
  JPG,
  OPENID,
  payError,
  PNG,
  uploadMedia,
  type ApplicationMedia,
} from './fixtures';

let t: TestSandbox;
let clock: ManualClock;
let media: ApplicationMedia;

async function fresh(options: Parameters<typeof startTestSandbox>[0] = {}) {
  clock = new ManualClock(new Date('2026-01-05T02:00:00Z'));
  t = await startTestSandbox({ clock, tickMs: 0, ...options });
  media = await uploadMedia(t.provider);
}

beforeEach(() => fresh());
afterEach(async () => {
  await t.close();
});

const REVIEW_MS = 5_000;
const application = (code: string, edit?: (body: any) => void) => {
  const body = enterpriseApplication(t.provider, media, code);
  edit?.(body);
  return body;
};
async function reviewed(code: string) {
  clock.advance(REVIEW_MS);
  return t.provider.queryApplyment(code);
}

describe('media upload', () => {
  test('JPG, PNG and BMP by content answer a media_id', async () => {
    expect(media.license).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(new Set(Object.values(media)).size).toBe(4);
  });

  test('refused: not an image, over 2 MB, a sha256 that does not match', async () => {
    expect((await payError(t.provider.uploadImage(Buffer.from('%PDF-1.4 not an image'), 'doc.pdf'))).code).toBe(
      'PARAM_ERROR',
    );
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await payError(t.provider.uploadImage(big, 'big.png'));
    expect([tooBig.status, tooBig.code]).toEqual([400, 'PARAM_ERROR']);
    const lying = await payError(
      t.provider.client.upload(
        '/v3/merchant/media/upload',
        JPG,
        { filename: 'a.jpg', sha256: '0'.repeat(64) },
        'image/jpeg',
      ),
    );
    expect(lying.message).toMatch(/sha256/);
  });

  test('the upload signature covers the meta part exactly: a different meta than signed is refused', async () => {
    const cfg = t.provider.client.config;
    const sha = crypto.createHash('sha256').update(PNG).digest('hex');
    const signedMeta = JSON.stringify({ filename: 'a.png', sha256: sha });
    const upload = (sentMeta: string) => {
      const boundary = 'XyZboundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="meta";\r\nContent-Type: application/json\r\n\r\n${sentMeta}\r\n`,
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png";\r\nContent-Type: image/png\r\n\r\n`,
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const authorization = signRequest({
        method: 'POST',
        pathWithQuery: '/v3/merchant/media/upload',
        body: signedMeta,
        mchid: cfg.spMchid,
        serial: cfg.merchantSerial,
        privateKey: cfg.merchantPrivateKey,
        timestamp: unixSeconds(clock.now()),
        nonce: randomNonce(),
      });
      return fetch(`${t.url}/v3/merchant/media/upload`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body,
      });
    };
    expect((await upload(signedMeta)).status).toBe(200);
    // Same content, different bytes (a space): the signature no longer matches.
    const spaced = await upload(JSON.stringify({ filename: 'a.png', sha256: sha }, null, 1));
    expect([spaced.status, ((await spaced.json()) as { code: string }).code]).toEqual([401, 'SIGN_ERROR']);
  });
});

describe('submit and the automatic review', () => {
  test('a valid application is approved after the review delay: FINISHED with a sub_mchid that can take payments', async () => {
    const { applymentId } = await t.provider.submitApplyment(application('BC0001'));
    expect(applymentId).toMatch(/^2000002\d{9}$/);
    expect(await t.provider.queryApplyment('BC0001')).toMatchObject({
      businessCode: 'BC0001',
      applymentId,
      state: 'APPLYMENT_STATE_AUDITING',
      stateDesc: '审核中',
      auditDetail: [],
    });
    clock.advance(REVIEW_MS - 1);
    expect((await t.provider.queryApplyment('BC0001'))?.state).toBe('APPLYMENT_STATE_AUDITING');
    const done = await reviewed('BC0001');
    expect(done).toMatchObject({ state: 'APPLYMENT_STATE_FINISHED', subMchid: expect.stringMatching(/^16\d{8}$/) });
    // The new sub-merchant is bound to the mini program and takes payments at its settlement rule's rate.
    const { prepayId } = await t.provider.prepay({
      subMchid: done!.subMchid!,
      subAppid: APPID,
      openid: OPENID,
      outTradeNo: 'T_after_onboarding',
      description: 'tea',
      totalFen: 10_000,
      notifyUrl: t.inbox.url,
      expireAt: new Date(clock.now().getTime() + 600_000),
    });
    t.sandbox.pay({ prepay_id: prepayId });
    expect(t.sandbox.balance(done!.subMchid!)).toBe(10_000 - 60);
    expect(await t.provider.queryApplyment('BC_unknown')).toBeNull();
  });

  test('rejections list every failing field with a reason', async () => {
    await t.provider.submitApplyment(
      application('BC0002', (b) => {
        delete b.subject_info.business_license_info.license_copy;
        b.subject_info.business_license_info.license_number = '91440300MA5FXT4K8M';
        b.subject_info.identity_info.id_card_info.id_card_number = t.provider.encryptSensitive('110105194912310021');
        b.bank_account_info.bank_account_type = 'BANK_ACCOUNT_TYPE_PERSONAL';
        b.contact_info.mobile_phone = t.provider.encryptSensitive('12345');
      }),
    );
    const status = await reviewed('BC0002');
    expect(status?.state).toBe('APPLYMENT_STATE_REJECTED');
    expect(status?.auditDetail.map((d) => d.field).sort()).toEqual([
      'bank_account_info.bank_account_type',
      'contact_info.mobile_phone',
      'subject_info.business_license_info.license_copy',
      'subject_info.business_license_info.license_number',
      'subject_info.identity_info.id_card_info.id_card_number',
    ]);
    expect(status?.auditDetail.find((d) => d.field.endsWith('license_copy'))).toMatchObject({
      fieldName: '营业执照照片',
      rejectReason: '请上传营业执照照片',
    });
  });

  test('a rejected application is fixed and resubmitted under the same business_code', async () => {
    const bad = application('BC0003', (b) => delete b.subject_info.business_license_info.license_copy);
    const first = await t.provider.submitApplyment(bad);
    expect((await reviewed('BC0003'))?.state).toBe('APPLYMENT_STATE_REJECTED');
    const second = await t.provider.submitApplyment(application('BC0003'));
    expect(second.applymentId).not.toBe(first.applymentId);
    expect((await t.provider.queryApplyment('BC0003'))?.state).toBe('APPLYMENT_STATE_AUDITING');
    expect((await reviewed('BC0003'))?.state).toBe('APPLYMENT_STATE_FINISHED');
  });

  test('resubmitting the same body is idempotent; another application under a live business_code is refused', async () => {
    const body = application('BC0004');
    const first = await t.provider.submitApplyment(body);
    expect(await t.provider.submitApplyment(body)).toEqual(first);
    expect((await payError(t.provider.submitApplyment(application('BC0004')))).code).toBe('INVALID_REQUEST');
  });

  test('refused at submit: unknown media ids, fields that do not decrypt, missing sections', async () => {
    const unknownMedia = await payError(
      t.provider.submitApplyment(
        application('BC0005', (b) => (b.subject_info.business_license_info.license_copy = 'no-such-media')),
      ),
    );
    expect([unknownMedia.status, unknownMedia.code]).toEqual([400, 'PARAM_ERROR']);
    expect(unknownMedia.message).toContain('subject_info.business_license_info.license_copy');
    const plain = await payError(
      t.provider.submitApplyment(application('BC0005', (b) => (b.contact_info.contact_name = '张三'))),
    );
    expect(plain.message).toContain('contact_info.contact_name');
    expect(
      (await payError(t.provider.submitApplyment(application('BC0005', (b) => delete b.bank_account_info)))).code,
    ).toBe('PARAM_ERROR');
    expect(
      (
        await payError(
          t.provider.submitApplyment(application('BC0005', (b) => (b.subject_info.subject_type = 'SUBJECT_TYPE_MARS'))),
        )
      ).code,
    ).toBe('PARAM_ERROR');
    expect(await t.provider.queryApplyment('BC0005')).toBeNull();
  });

  test('an agent as super administrator needs a valid ID and the authorisation letter', async () => {
    const agent = (letter: boolean) =>
      application(letter ? 'BC0006' : 'BC0007', (b) => {
        b.contact_info = {
          contact_type: 'SUPER',
          contact_name: t.provider.encryptSensitive('李四'),
          contact_id_doc_type: 'IDENTIFICATION_TYPE_IDCARD',
          contact_id_number: t.provider.encryptSensitive(AGENT_ID),
          mobile_phone: t.provider.encryptSensitive('13900139000'),
          contact_email: t.provider.encryptSensitive('lisi@example.com'),
          ...(letter ? { business_authorization_letter: media.letter } : {}),
        };
      });
    await t.provider.submitApplyment(agent(true));
    await t.provider.submitApplyment(agent(false));
    clock.advance(REVIEW_MS);
    expect((await t.provider.queryApplyment('BC0006'))?.state).toBe('APPLYMENT_STATE_FINISHED');
    const rejected = await t.provider.queryApplyment('BC0007');
    expect(rejected?.auditDetail.map((d) => d.field)).toEqual(['contact_info.business_authorization_letter']);
  });

  test('institutions present a registration certificate and settle to a corporate account only', async () => {
    const body = application('BC0008', (b) => {
      b.subject_info.subject_type = 'SUBJECT_TYPE_INSTITUTIONS';
      const lic = b.subject_info.business_license_info;
      delete b.subject_info.business_license_info;
      b.subject_info.certificate_info = {
        cert_copy: media.license,
        cert_type: 'CERTIFICATE_TYPE_2388',
        cert_number: lic.license_number,
        merchant_name: lic.merchant_name,
        legal_person: lic.legal_person,
      };
      b.settlement_info.settlement_id = '717';
    });
    await t.provider.submitApplyment(body);
    expect((await reviewed('BC0008'))?.state).toBe('APPLYMENT_STATE_FINISHED');
  });
});

describe('forced outcomes (sandbox-only)', () => {
  beforeEach(() => t.close().then(() => fresh({ review: 'manual' })));

  test('manual review waits; approve finishes', async () => {
    await t.provider.submitApplyment(application('BC1001'));
    expect((await reviewed('BC1001'))?.state).toBe('APPLYMENT_STATE_AUDITING');
    t.sandbox.forceApplyment('BC1001', { outcome: 'approve' });
    expect((await t.provider.queryApplyment('BC1001'))?.state).toBe('APPLYMENT_STATE_FINISHED');
    expect(() =>
      t.sandbox.forceApplyment('BC1001', { outcome: 'reject', audit_detail: [{ field: 'x', reject_reason: 'y' }] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });

  test('reject with given field reasons', async () => {
    await t.provider.submitApplyment(application('BC1002'));
    t.sandbox.forceApplyment('BC1002', {
      outcome: 'reject',
      audit_detail: [
        { field: 'business_info.merchant_shortname', field_name: '商户简称', reject_reason: '简称与主营业务不符' },
      ],
    });
    expect(await t.provider.queryApplyment('BC1002')).toMatchObject({
      state: 'APPLYMENT_STATE_REJECTED',
      auditDetail: [
        { field: 'business_info.merchant_shortname', fieldName: '商户简称', rejectReason: '简称与主营业务不符' },
      ],
    });
  });

  test('require confirmation: account validation details, then the confirm page moves it to signing', async () => {
    const { applymentId } = await t.provider.submitApplyment(application('BC1003'));
    t.sandbox.forceApplyment('BC1003', { outcome: 'require-confirmation' });
    const status = await t.provider.queryApplyment('BC1003');
    expect(status).toMatchObject({
      state: 'APPLYMENT_STATE_TO_BE_CONFIRMED',
      accountValidation: {
        accountName: 'S**',
        payAmountFen: expect.any(Number),
        destinationAccountNumber: expect.any(String),
        deadline: '2026-01-12T10:00:00+08:00',
      },
    });
    const page = await fetch(`${t.url}/sandbox/applyments/${applymentId}/confirm`);
    expect(await page.text()).toContain('<button id="go"');
    const posted = await fetch(`${t.url}/sandbox/applyments/${applymentId}/confirm`, {
      method: 'POST',
      headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(posted.status).toBe(200);
    expect((await t.provider.queryApplyment('BC1003'))?.state).toBe('APPLYMENT_STATE_TO_BE_SIGNED');
  });

  test('require signing: the sign_url page has a sign button; signing, then FINISHED', async () => {
    const { applymentId } = await t.provider.submitApplyment(application('BC1004'));
    t.sandbox.forceApplyment('BC1004', { outcome: 'require-signing' });
    const status = await t.provider.queryApplyment('BC1004');
    expect(status?.state).toBe('APPLYMENT_STATE_TO_BE_SIGNED');
    expect(status?.signUrl).toBe(`${t.url}/sandbox/applyments/${applymentId}/sign`);
    const html = await (await fetch(status!.signUrl!)).text();
    expect(html).toMatch(/<form method="post"><button id="go" type="submit">Sign/);
    const signed = await fetch(status!.signUrl!, {
      method: 'POST',
      headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(await signed.text()).toContain('APPLYMENT_STATE_SIGNING');
    // Signing again is refused; the page no longer offers the button.
    expect((await fetch(status!.signUrl!, { method: 'POST', headers: { Accept: 'application/json' } })).status).toBe(
      400,
    );
    expect(await (await fetch(status!.signUrl!)).text()).not.toContain('<button');
    clock.advance(3_000);
    expect(await t.provider.queryApplyment('BC1004')).toMatchObject({
      state: 'APPLYMENT_STATE_FINISHED',
      subMchid: expect.any(String),
    });
  });

  test('the forcing endpoint over HTTP, and cancel', async () => {
    await t.provider.submitApplyment(application('BC1005'));
    const res = await fetch(`${t.url}/sandbox/applyments/BC1005/outcome`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'cancel' }),
    });
    expect(((await res.json()) as { applyment_state: string }).applyment_state).toBe('APPLYMENT_STATE_CANCELED');
    const bad = await fetch(`${t.url}/sandbox/applyments/BC1005/outcome`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ outcome: 'maybe' }),
    });
    expect(bad.status).toBe(400);
  });
});

test('approveTo: a passing review can lead to signing instead of FINISHED', async () => {
  await t.close();
  await fresh({ approveTo: 'TO_BE_SIGNED' });
  const { applymentId } = await t.provider.submitApplyment(application('BC2001'));
  expect((await reviewed('BC2001'))?.state).toBe('APPLYMENT_STATE_TO_BE_SIGNED');
  t.sandbox.signApplyment(applymentId);
  clock.advance(3_000);
  expect((await t.provider.queryApplyment('BC2001'))?.state).toBe('APPLYMENT_STATE_FINISHED');
});
