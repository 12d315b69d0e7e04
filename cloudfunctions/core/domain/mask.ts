// Masking for every response and log line that carries personal data.
// Keeps just enough for a person to recognise their own data.

/** 1900012345 -> 19******45 */
export function maskMchid(mchid: string): string {
  return mchid.length <= 4
    ? '*'.repeat(mchid.length)
    : `${mchid.slice(0, 2)}${'*'.repeat(mchid.length - 4)}${mchid.slice(-2)}`;
}

/** 6222021234567890123 -> **** **** 0123 (last four only, like banking apps). */
export function maskBankAccount(account: string): string {
  return `**** **** ${account.slice(-4)}`;
}

/** 11010519491231002X -> 1****************X */
export function maskIdNumber(id: string): string {
  return id.length < 2 ? '*' : `${id[0]}${'*'.repeat(id.length - 2)}${id[id.length - 1]}`;
}

/**
 * 张三 -> *三, 欧阳娜娜 -> ***娜 (a Chinese personal name: its last character kept, as WeChat shows);
 * anything longer or in Latin letters (a company, Zhang San) -> first character and "**" (深**, Z**),
 * so a long name never becomes a long row of asterisks, and its length is not given away.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return /^[\u4e00-\u9fff]{2,4}$/.test(name)
    ? `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`
    : `${chars[0]}**`;
}

/** 13812345678 -> 138****5678 */
export function maskPhone(phone: string): string {
  return phone.length < 7
    ? '*'.repeat(phone.length)
    : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** alice@example.com -> a****@example.com */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '*' : `${email[0]}****${email.slice(at)}`;
}
