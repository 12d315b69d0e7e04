// The funds subpackage's pages (the entry, the dashboard, is Routes.fundsDashboard).
export const FundsRoutes = {
  dashboard: '/packages/funds/pages/dashboard/index',
  transactions: '/packages/funds/pages/transactions/index',
  transaction: '/packages/funds/pages/transaction/index',
  bankAccount: '/packages/funds/pages/bank-account/index',
  withdraw: '/packages/funds/pages/withdraw/index',
  withdrawals: '/packages/funds/pages/withdrawals/index',
  reconciliation: '/packages/funds/pages/reconciliation/index',
  merchantPlatform: '/packages/funds/pages/merchant-platform/index',
  help: '/packages/funds/pages/help/index',
  /** Checkout's order page, where a payment's order is shown. */
  order: '/packages/checkout/pages/order/index',
} as const;

/** WeChat Pay Merchant Platform, where fee invoices, organisation and admin changes and complaints are handled. */
export const MERCHANT_PLATFORM_URL = 'https://pay.weixin.qq.com';
