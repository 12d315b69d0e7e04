// The settlement bank account number rule the app and the server share.
//
// WeChat Pay's applyment4sub `bank_account_info.account_number` (and
// modify-settlement's `account_number`) say: "数字，长度遵循系统支持的对公/对私卡号长度要求表".
// That table (https://pay.weixin.qq.com/wiki/doc/apiv3/terms_definition/chapter1_1_3.shtml,
// "银行名 | 卡格式 | 对私卡号长度 | 对公账户长度", updated 2022-02-28) lists per bank
// lengths from 8 (交通银行 corporate) to 30 (光大银行 corporate), personal cards
// from 10 to 21, and "30位以内" for every other bank, personal or corporate.
// So: digits only, 8 to 30 of them, for both account types.

export const ACCOUNT_NUMBER_DIGITS = { min: 8, max: 30 } as const;

/** Spaces and dashes people type or paste between digit groups. */
export function normaliseAccountNumber(number: string): string {
  return number.replace(/[\s-]/g, '');
}

export function isAccountNumber(number: string): boolean {
  const { min, max } = ACCOUNT_NUMBER_DIGITS;
  return new RegExp(`^\\d{${min},${max}}$`).test(number);
}
