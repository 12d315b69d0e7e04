// The checkout subpackage's pages (the entry, products, is Routes.checkoutProducts).
export const CheckoutRoutes = {
  products: '/packages/checkout/pages/products/index',
  confirm: '/packages/checkout/pages/confirm/index',
  pay: '/packages/checkout/pages/pay/index',
  result: '/packages/checkout/pages/result/index',
  orders: '/packages/checkout/pages/orders/index',
  order: '/packages/checkout/pages/order/index',
  catalogue: '/packages/checkout/pages/catalogue/index',
} as const;
