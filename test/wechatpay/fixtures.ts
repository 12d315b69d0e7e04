// Shared test material: a mini program appid, real image bytes, a valid
// applyment4sub body (sensitive fields encrypted the way the adapter does it),
// and an assertion for WeChat error answers.
import { PayError } from '../../cloudfunctions/core/ports/pay';
import type { WechatPayProvider } from '../../cloudfunctions/core/adapters/wechatpay/provider';

export const APPID = 'wxd0c0ffee5a1e5a1e';
export const OPENID = 'o_buyer_0000000000000000001';

/** A real 1x1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** JPEG and BMP by their signatures (the sandbox checks content, not names). */
export const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
export const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(64, 2)]);

/** Valid check characters: a unified social credit code and two resident ids. */
export const CREDIT_CODE = '91440300MA5FXT4K8N';
export const LEGAL_ID = '11010519491231002X';
export const AGENT_ID = '440300199001011238';

export async function payError(call: Promise<unknown>): Promise<PayError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof PayError) return err;
    throw err;
  }
  throw new Error('expected a PayError');
}

export interface ApplicationMedia {
  license: string;
  idFront: string;
  idBack: string;
  letter?: string;
}

export async function uploadMedia(pay: WechatPayProvider): Promise<ApplicationMedia> {
  const [license, idFront, idBack, letter] = await Promise.all([
    pay.uploadImage(PNG, 'license.png'),
    pay.uploadImage(JPG, 'id-front.jpg'),
    pay.uploadImage(BMP, 'id-back.bmp'),
    pay.uploadImage(PNG, 'letter.png'),
  ]);
  return { license: license.mediaId, idFront: idFront.mediaId, idBack: idBack.mediaId, letter: letter.mediaId };
}

/** A complete enterprise application that the sandbox's reviewer approves. */
export function enterpriseApplication(
  pay: WechatPayProvider,
  media: ApplicationMedia,
  businessCode: string,
): Record<string, unknown> {
  const enc = (s: string) => pay.encryptSensitive(s);
  return {
    business_code: businessCode,
    contact_info: {
      contact_type: 'LEGAL',
      contact_name: enc('张三'),
      mobile_phone: enc('13800138000'),
      contact_email: enc('zhangsan@example.com'),
    },
    subject_info: {
      subject_type: 'SUBJECT_TYPE_ENTERPRISE',
      business_license_info: {
        license_copy: media.license,
        license_number: CREDIT_CODE,
        merchant_name: 'Shenzhen Demo Tea Co., Ltd.',
        legal_person: '张三',
        license_address: 'Shenzhen',
        period_begin: '2019-01-01',
        period_end: '长期',
      },
      identity_info: {
        id_holder_type: 'LEGAL',
        id_doc_type: 'IDENTIFICATION_TYPE_IDCARD',
        id_card_info: {
          id_card_copy: media.idFront,
          id_card_national: media.idBack,
          id_card_name: enc('张三'),
          id_card_number: enc(LEGAL_ID),
          id_card_address: enc('北京市朝阳区'),
          card_period_begin: '2020-01-01',
          card_period_end: '2040-01-01',
        },
      },
    },
    business_info: {
      merchant_shortname: 'Demo Tea',
      service_phone: '0755-12345678',
      sales_info: {
        sales_scenes_type: ['SALES_SCENES_MINI_PROGRAM'],
        mini_program_info: { mini_program_sub_appid: APPID },
      },
    },
    settlement_info: { settlement_id: '716', qualification_type: '餐饮' },
    bank_account_info: {
      bank_account_type: 'BANK_ACCOUNT_TYPE_CORPORATE',
      account_name: enc('Shenzhen Demo Tea Co., Ltd.'),
      account_bank: '工商银行',
      bank_address_code: '440300',
      account_number: enc('6222020200112233445'),
    },
  };
}
