// Banks WeChat Pay names in account_bank (its "opening bank" table). Any
// other bank is "其他银行" and then needs the full branch name.

export interface Bank {
  code: string;
  /** The exact account_bank value WeChat Pay expects. */
  wechatName: string;
  label: string;
}

export const BANKS: readonly Bank[] = [
  { code: 'ICBC', wechatName: '工商银行', label: 'ICBC (工商银行)' },
  { code: 'ABC', wechatName: '农业银行', label: 'Agricultural Bank of China (农业银行)' },
  { code: 'BOC', wechatName: '中国银行', label: 'Bank of China (中国银行)' },
  { code: 'CCB', wechatName: '建设银行', label: 'China Construction Bank (建设银行)' },
  { code: 'BCOM', wechatName: '交通银行', label: 'Bank of Communications (交通银行)' },
  { code: 'PSBC', wechatName: '邮政储蓄银行', label: 'Postal Savings Bank (邮政储蓄银行)' },
  { code: 'CMB', wechatName: '招商银行', label: 'China Merchants Bank (招商银行)' },
  { code: 'CMBC', wechatName: '民生银行', label: 'China Minsheng Bank (民生银行)' },
  { code: 'CITIC', wechatName: '中信银行', label: 'China CITIC Bank (中信银行)' },
  { code: 'SPDB', wechatName: '浦发银行', label: 'SPD Bank (浦发银行)' },
  { code: 'CIB', wechatName: '兴业银行', label: 'Industrial Bank (兴业银行)' },
  { code: 'CEB', wechatName: '光大银行', label: 'China Everbright Bank (光大银行)' },
  { code: 'CGB', wechatName: '广发银行', label: 'China Guangfa Bank (广发银行)' },
  { code: 'PAB', wechatName: '平安银行', label: 'Ping An Bank (平安银行)' },
  { code: 'BOB', wechatName: '北京银行', label: 'Bank of Beijing (北京银行)' },
  { code: 'HXB', wechatName: '华夏银行', label: 'Hua Xia Bank (华夏银行)' },
  { code: 'NBCB', wechatName: '宁波银行', label: 'Bank of Ningbo (宁波银行)' },
  { code: 'OTHER', wechatName: '其他银行', label: 'Other bank (enter the full branch name)' },
];

export function bankOf(code: string | undefined): Bank | undefined {
  return code ? BANKS.find((b) => b.code === code) : undefined;
}
