// Every error code in words, per language. The app never shows the server's
// text: a failure is worded here from its code and details (amounts in fen
// are shown as yuan, times in Beijing time). A new code without words here
// fails type-checking.
import { formatDateTime } from '../shared/beijing';
import type { Details, ErrorCode } from '../shared/errors';
import type { Lang } from '../shared/lang';
import { formatFen } from '../shared/money';
import { format } from './format';

type ErrorMessages = Record<ErrorCode, string>;

const zhCN: ErrorMessages = {
  'INPUT.INVALID': '请检查填写的内容',
  'INPUT.UNKNOWN_ACTION': '当前版本不支持该操作，请更新小程序后重试',
  'INPUT.IDEMPOTENCY_KEY_REQUIRED': '请求不完整，请重试',
  'INPUT.IDEMPOTENCY_KEY_REUSED': '该操作已用不同内容提交过，请重新发起',
  'INPUT.IDEMPOTENCY_IN_PROGRESS': '上一次提交仍在处理中，请稍后查看结果',
  'AUTH.NO_IDENTITY': '无法确认你的微信身份，请重新打开小程序',
  'AUTH.FORBIDDEN': '你没有权限进行该操作',
  'AUTH.THIRD_PARTY_PLATFORM': '由第三方平台代运营的小程序暂不支持支付管理',
  'CONFIG.UNKNOWN_MINI_PROGRAM': '该小程序尚未开通支付管理',
  'MERCHANT.NOT_BOUND': '该小程序尚未绑定微信支付商户号',
  'GATEWAY.UNKNOWN_FUNCTION': '本地服务缺少该功能，请确认 npm start 已是最新版本',
  'GATEWAY.HOST_NOT_ALLOWED': '本地服务只接受来自本机的请求',
  INTERNAL: '服务出了点问题，请稍后重试',
  'AUTH.SETUP_CODE_DISABLED': '该小程序未启用设置码，管理员已在配置中指定',
  'AUTH.SETUP_CODE_INVALID': '设置码不正确',
  'AUTH.ADMIN_ALREADY_CLAIMED': '该小程序已有管理员',
  'AUTH.ADMINS_CONFIGURED': '该小程序的管理员已在配置中指定，不能用设置码认领',
  'AUTH.CLAIM_LOCKED': '尝试次数过多，请在 {retryAt}（北京时间）后重试',
  'CATALOGUE.PRODUCT_NOT_FOUND': '商品不存在或已下架',
  'CHECKOUT.SERVICE_UNAVAILABLE': '商家暂时无法收款，请稍后再试',
  'CHECKOUT.PRODUCT_UNAVAILABLE': '部分商品已下架，请调整后再下单',
  'CHECKOUT.AMOUNT_TOO_LARGE': '订单金额超过单笔上限 {maxFen}',
  'CHECKOUT.ORDER_NOT_FOUND': '订单不存在',
  'CHECKOUT.ORDER_PAID': '该订单已支付',
  'CHECKOUT.ORDER_CLOSED': '该订单已关闭',
  'CHECKOUT.ORDER_EXPIRED': '该订单已超时，请重新下单',
  'CHECKOUT.PAY_REFUSED': '微信支付拒绝了该笔支付（{providerCode}）',
  'CHECKOUT.PROVIDER_UNAVAILABLE': '微信支付暂时无法响应，请稍后重试',
  'REFUND.ORDER_NOT_PAID': '订单未支付，无法退款',
  'REFUND.EXCEEDS_PAID': '退款金额超过可退金额 {refundableFen}',
  'REFUND.REJECTED': '微信支付拒绝了该笔退款（{providerCode}）',
  'FUNDS.INSUFFICIENT_BALANCE': '可用余额不足',
  'FUNDS.TRANSACTION_NOT_FOUND': '交易明细不存在',
  'FUNDS.EXPORT_TOO_LARGE': '导出的记录过多（最多 {maxRows} 条），请缩短时间范围',
  'FUNDS.RECONCILIATION_NOT_FOUND': '{date} 的对账单尚未生成',
  'FUNDS.BILL_UNREADABLE': '微信支付的账单无法读取，请稍后重试',
  'FUNDS.PROVIDER_UNAVAILABLE': '微信支付暂时无法响应，请稍后重试',
  'FUNDS.NO_BANK_ACCOUNT': '尚未设置结算账户',
  'FUNDS.BANK_ACCOUNT_UNCHANGED': '新的结算账户与当前账户相同',
  'FUNDS.ACCOUNT_NAME_MISMATCH': '开户名称与商户信息不一致',
  'FUNDS.PERSONAL_ACCOUNT_NOT_ALLOWED': '该商户类型只能使用对公账户',
  'FUNDS.BANK_CHANGE_DAILY_LIMIT': '结算账户每天最多修改 {perDay} 次，请明天再试',
  'FUNDS.BANK_CHANGE_IN_REVIEW': '已有一笔结算账户修改在审核中',
  'FUNDS.BANK_CHANGE_REFUSED': '微信支付拒绝了结算账户修改（{providerCode}）',
  'FUNDS.BANK_CHANGE_UNCONFIRMED': '暂未收到微信支付的审核结果，请稍后查看',
  'FUNDS.WITHDRAWAL_NOT_FOUND': '提现记录不存在',
  'FUNDS.WITHDRAWAL_DAILY_LIMIT': '每天只能提现一次，请明天再试',
  'FUNDS.WITHDRAWAL_NOT_AWAITING': '该笔提现已不在等待身份验证',
  'FUNDS.NOT_YOUR_WITHDRAWAL': '只有发起提现的管理员可以完成身份验证',
  'FUNDS.CHALLENGE_EXPIRED': '身份验证已过期，请重新发起提现',
  'FUNDS.IDENTITY_CHECK_FAILED': '身份验证未通过，还可尝试 {attemptsLeft} 次',
  'ONBOARDING.OVERSEAS_ENTITY': '境外主体的小程序暂不支持申请',
  'ONBOARDING.ENTITY_MISMATCH': '申请主体须与小程序的主体一致',
  'ONBOARDING.FEE_RATE_TOO_HIGH': '该商户号的费率高于 0.6%，不能用于支付管理',
  'ONBOARDING.NOT_DIRECT_CONNECTION': '该商户号不是直连商户，不能用于支付管理',
  'ONBOARDING.DUPLICATE_APPLICATION': '该小程序已有一份进行中的申请',
  'ONBOARDING.ALREADY_BOUND': '该小程序已绑定商户号',
  'ONBOARDING.NO_APPLICATION': '还没有申请单',
  'ONBOARDING.INCOMPLETE': '还有 {problems} 项需要补充或修改',
  'ONBOARDING.NOT_EDITABLE': '申请已提交，当前不能修改',
  'ONBOARDING.SUBMITTING': '申请正在提交，请稍候',
  'ONBOARDING.ILLEGAL_TRANSITION': '申请当前的状态不允许该操作',
  'ONBOARDING.DOCUMENT_TYPE': '只支持 JPG、PNG 或 BMP 图片',
  'ONBOARDING.DOCUMENT_TOO_LARGE': '图片不能超过 {maxBytes}',
  'ONBOARDING.DOCUMENT_NOT_NEEDED': '该商户类型不需要这份材料',
  'ONBOARDING.DOCUMENT_MISSING': '还缺少这份材料',
  'ONBOARDING.UPLOAD_NOT_FOUND': '没有找到上传的图片，请重新上传',
  'ONBOARDING.PAY_REFUSED': '微信支付未受理该申请，请按提示修改后重新提交',
  'ONBOARDING.PAY_UNAVAILABLE': '微信支付暂时无法响应，请稍后重试',
  'NETWORK.UNAVAILABLE': '网络不可用，请检查网络后重试',
  'NETWORK.BAD_RESPONSE': '服务返回了无法识别的结果，请重试',
  'CLIENT.UNEXPECTED': '小程序出了点问题，请重试',
  'CLIENT.SOTER_UNAVAILABLE': '提现需要在微信中开启指纹或面容解锁',
  'CLIENT.SOTER_CANCELLED': '身份验证未完成',
  'CLIENT.FILE_WRITE_FAILED': '文件无法保存到手机',
  'CLIENT.SHARE_FAILED': '文件未能分享',
  'CLIENT.CLIPBOARD_FAILED': '复制失败',
  'PAYMENT.FAILED': '支付未完成，你没有被扣款，请重试',
  'PAYMENT.UNCONFIRMED': '暂未确认支付结果，请稍后在订单中查看',
  'PAYMENT.NO_SANDBOX': '本地服务没有提供支付沙箱，请确认 npm start 正在运行',
};

const enUS: ErrorMessages = {
  'INPUT.INVALID': 'Please check what you entered',
  'INPUT.UNKNOWN_ACTION': 'This version cannot do that. Update the mini program and try again',
  'INPUT.IDEMPOTENCY_KEY_REQUIRED': 'The request was incomplete. Please try again',
  'INPUT.IDEMPOTENCY_KEY_REUSED': 'This was already submitted with different details. Please start again',
  'INPUT.IDEMPOTENCY_IN_PROGRESS': 'Your last request is still being processed. Check back shortly',
  'AUTH.NO_IDENTITY': 'Your WeChat identity could not be confirmed. Please reopen the mini program',
  'AUTH.FORBIDDEN': "You don't have permission to do that",
  'AUTH.THIRD_PARTY_PLATFORM': 'Mini programs run by third-party platforms cannot use payment management',
  'CONFIG.UNKNOWN_MINI_PROGRAM': 'Payment management is not set up for this mini program',
  'MERCHANT.NOT_BOUND': 'This mini program has no WeChat Pay merchant account yet',
  'GATEWAY.UNKNOWN_FUNCTION': 'The local service lacks this function. Is npm start up to date?',
  'GATEWAY.HOST_NOT_ALLOWED': 'The local service only answers requests from this computer',
  INTERNAL: 'Something went wrong on our side. Please try again later',
  'AUTH.SETUP_CODE_DISABLED': 'This mini program has no setup code: its admins are configured',
  'AUTH.SETUP_CODE_INVALID': 'The setup code is not correct',
  'AUTH.ADMIN_ALREADY_CLAIMED': 'This mini program already has an admin',
  'AUTH.ADMINS_CONFIGURED': 'Admins of this mini program are configured; a setup code cannot claim it',
  'AUTH.CLAIM_LOCKED': 'Too many attempts. Try again after {retryAt} (Beijing time)',
  'CATALOGUE.PRODUCT_NOT_FOUND': 'This product does not exist or is no longer sold',
  'CHECKOUT.SERVICE_UNAVAILABLE': 'The merchant cannot take payments right now. Please try later',
  'CHECKOUT.PRODUCT_UNAVAILABLE': 'Some products are no longer sold. Change your order and try again',
  'CHECKOUT.AMOUNT_TOO_LARGE': 'The order is over the limit of {maxFen} per payment',
  'CHECKOUT.ORDER_NOT_FOUND': 'Order not found',
  'CHECKOUT.ORDER_PAID': 'This order is already paid',
  'CHECKOUT.ORDER_CLOSED': 'This order is closed',
  'CHECKOUT.ORDER_EXPIRED': 'This order has expired. Please order again',
  'CHECKOUT.PAY_REFUSED': 'WeChat Pay refused this payment ({providerCode})',
  'CHECKOUT.PROVIDER_UNAVAILABLE': 'WeChat Pay is not answering right now. Please try again later',
  'REFUND.ORDER_NOT_PAID': 'The order is not paid, so it cannot be refunded',
  'REFUND.EXCEEDS_PAID': 'The refund is more than the {refundableFen} that can still be refunded',
  'REFUND.REJECTED': 'WeChat Pay refused this refund ({providerCode})',
  'FUNDS.INSUFFICIENT_BALANCE': 'Not enough available balance',
  'FUNDS.TRANSACTION_NOT_FOUND': 'Transaction not found',
  'FUNDS.EXPORT_TOO_LARGE': 'Too many rows to export (at most {maxRows}). Choose a shorter period',
  'FUNDS.RECONCILIATION_NOT_FOUND': 'The statement for {date} is not ready yet',
  'FUNDS.BILL_UNREADABLE': "WeChat Pay's bill could not be read. Please try again later",
  'FUNDS.PROVIDER_UNAVAILABLE': 'WeChat Pay is not answering right now. Please try again later',
  'FUNDS.NO_BANK_ACCOUNT': 'No settlement account yet',
  'FUNDS.BANK_ACCOUNT_UNCHANGED': 'The new settlement account is the same as the current one',
  'FUNDS.ACCOUNT_NAME_MISMATCH': "The account name does not match the merchant's details",
  'FUNDS.PERSONAL_ACCOUNT_NOT_ALLOWED': 'This merchant type must use a corporate account',
  'FUNDS.BANK_CHANGE_DAILY_LIMIT': 'The settlement account can change at most {perDay} times a day. Try tomorrow',
  'FUNDS.BANK_CHANGE_IN_REVIEW': 'A settlement account change is already under review',
  'FUNDS.BANK_CHANGE_REFUSED': 'WeChat Pay refused the settlement account change ({providerCode})',
  'FUNDS.BANK_CHANGE_UNCONFIRMED': "WeChat Pay's review result has not arrived yet. Check back later",
  'FUNDS.WITHDRAWAL_NOT_FOUND': 'Withdrawal not found',
  'FUNDS.WITHDRAWAL_DAILY_LIMIT': 'One withdrawal a day. Please try tomorrow',
  'FUNDS.WITHDRAWAL_NOT_AWAITING': 'This withdrawal is no longer waiting for identity verification',
  'FUNDS.NOT_YOUR_WITHDRAWAL': 'Only the admin who started the withdrawal can verify it',
  'FUNDS.CHALLENGE_EXPIRED': 'Identity verification expired. Please start the withdrawal again',
  'FUNDS.IDENTITY_CHECK_FAILED': 'Identity verification failed. {attemptsLeft} attempts left',
  'ONBOARDING.OVERSEAS_ENTITY': 'Mini programs of overseas entities cannot apply',
  'ONBOARDING.ENTITY_MISMATCH': "The applicant must be the mini program's own entity",
  'ONBOARDING.FEE_RATE_TOO_HIGH': 'This merchant account charges more than 0.6%, so it cannot be used',
  'ONBOARDING.NOT_DIRECT_CONNECTION': 'This is not a directly connected merchant account, so it cannot be used',
  'ONBOARDING.DUPLICATE_APPLICATION': 'This mini program already has an application under way',
  'ONBOARDING.ALREADY_BOUND': 'This mini program already has a merchant account',
  'ONBOARDING.NO_APPLICATION': 'No application yet',
  'ONBOARDING.INCOMPLETE': '{problems} items still need to be completed or corrected',
  'ONBOARDING.NOT_EDITABLE': 'The application was submitted and cannot be changed now',
  'ONBOARDING.SUBMITTING': 'The application is being submitted. Please wait',
  'ONBOARDING.ILLEGAL_TRANSITION': "The application's state does not allow this",
  'ONBOARDING.DOCUMENT_TYPE': 'Only JPG, PNG or BMP images',
  'ONBOARDING.DOCUMENT_TOO_LARGE': 'The image must be at most {maxBytes}',
  'ONBOARDING.DOCUMENT_NOT_NEEDED': 'This merchant type does not need this document',
  'ONBOARDING.DOCUMENT_MISSING': 'This document is still missing',
  'ONBOARDING.UPLOAD_NOT_FOUND': 'The uploaded photo could not be found. Please upload it again',
  'ONBOARDING.PAY_REFUSED': 'WeChat Pay did not accept the application. Correct it as shown and submit again',
  'ONBOARDING.PAY_UNAVAILABLE': 'WeChat Pay is not answering right now. Please try again later',
  'NETWORK.UNAVAILABLE': "Can't connect. Check your network and try again",
  'NETWORK.BAD_RESPONSE': 'The service gave an answer the app cannot read. Please try again',
  'CLIENT.UNEXPECTED': 'Something went wrong in the app. Please try again',
  'CLIENT.SOTER_UNAVAILABLE': 'Withdrawals need fingerprint or face unlock turned on in WeChat',
  'CLIENT.SOTER_CANCELLED': 'Identity verification was not completed',
  'CLIENT.FILE_WRITE_FAILED': 'The file could not be saved on this phone',
  'CLIENT.SHARE_FAILED': 'The file was not shared',
  'CLIENT.CLIPBOARD_FAILED': 'Could not copy',
  'PAYMENT.FAILED': 'The payment did not go through and you were not charged. Please try again',
  'PAYMENT.UNCONFIRMED': 'The payment is not confirmed yet. Check the order shortly',
  'PAYMENT.NO_SANDBOX': 'The local service offered no payment sandbox. Is npm start running?',
};

export const errorMessages: Record<Lang, ErrorMessages> = { 'zh-CN': zhCN, 'en-US': enUS };

/** Details as a message shows them: fen as yuan, instants in Beijing time, byte counts in MB. */
function shown(details: Details | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (typeof value === 'number' && key.endsWith('Fen')) out[key] = formatFen(value);
    else if (typeof value === 'number' && /bytes$/i.test(key)) out[key] = `${Math.floor(value / 1024 / 1024)}MB`;
    else if (typeof value === 'string' && key.endsWith('At')) out[key] = formatDateTime(value) || value;
    else out[key] = value;
  }
  return out;
}

/** A failure in the user's words. A message whose detail did not arrive falls back to the words without it. */
export function errorText(lang: Lang, code: ErrorCode, details?: Details): string {
  const template = errorMessages[lang][code];
  try {
    return format(template, shown(details));
  } catch {
    return template.replace(/\s*[（(]?\{\w+\}[）)]?/g, '');
  }
}
