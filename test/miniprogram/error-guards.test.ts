// The main list and detail pages of every flow show WHY they could not load,
// not just that they could not: the error's own words are the visible text
// of the error description, for a dropped call (the transport's code) and
// for a typed error from the server (its code and details, worded by the
// app's catalogue in the client's language, never the server's English), and
// the retry then loads the page.
import { main as checkout } from '../../cloudfunctions/checkout';
import { main as funds } from '../../cloudfunctions/funds';
import { main as merchant } from '../../cloudfunctions/merchant';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { Main } from '../../cloudfunctions/core/runtime/main';
import { errorText } from '../../miniprogram/i18n/errors';
import type { ErrorCode } from '../../miniprogram/shared/errors';
import { admin, buyer, call, errorOf } from '../support/deps';
import { exists, find, loadPage, renderPage, tap, text, useHarness, waitFor, type Rendered } from './harness';

const h = useHarness();

const NETWORK = '网络不可用，请检查网络后重试';
const UNKNOWN_ORDER = `O${'0'.repeat(31)}`;

/** The app's Chinese words for the error the server gives this call (what the page must show). */
async function serverMessage(fn: Main, who: Identity, action: string, data: unknown): Promise<string> {
  const error = await errorOf(call(fn, who, action, data));
  expect(error.message).not.toMatch(/[\u4e00-\u9fff]/); // the server's own text is English, for logs
  return errorText('zh-CN', error.code as ErrorCode, error.details);
}

interface PageCase {
  flow: string;
  route: string;
  query?: Record<string, string>;
  as: 'admin' | 'buyer';
  /** A call the page makes on load that the server refuses with a typed error, made as `who`. */
  refused?: { who: 'admin' | 'buyer'; query?: Record<string, string>; fn: Main; action: string; data: unknown };
}

const PAGES: PageCase[] = [
  { flow: 'home', route: 'pages/home/index', as: 'buyer' },
  {
    flow: 'checkout',
    route: 'packages/checkout/pages/orders/index',
    as: 'buyer',
    refused: {
      who: 'buyer',
      query: { scope: 'merchant' },
      fn: checkout,
      action: 'listMerchantOrders',
      data: {},
    },
  },
  {
    flow: 'checkout',
    route: 'packages/checkout/pages/order/index',
    query: { orderId: UNKNOWN_ORDER },
    as: 'buyer',
    refused: { who: 'buyer', fn: checkout, action: 'getOrder', data: { orderId: UNKNOWN_ORDER } },
  },
  { flow: 'checkout', route: 'packages/checkout/pages/products/index', as: 'buyer' },
  {
    flow: 'funds',
    route: 'packages/funds/pages/dashboard/index',
    as: 'admin',
    refused: { who: 'buyer', fn: funds, action: 'getOverview', data: {} },
  },
  {
    flow: 'funds',
    route: 'packages/funds/pages/transactions/index',
    as: 'admin',
    refused: { who: 'buyer', fn: funds, action: 'listTransactions', data: {} },
  },
  {
    flow: 'funds',
    route: 'packages/funds/pages/transaction/index',
    query: { id: 'payment:nope' },
    as: 'admin',
    refused: { who: 'admin', fn: funds, action: 'getTransaction', data: { id: 'payment:nope' } },
  },
  {
    flow: 'funds',
    route: 'packages/funds/pages/withdrawals/index',
    as: 'admin',
    refused: { who: 'buyer', fn: funds, action: 'listWithdrawals', data: {} },
  },
  {
    flow: 'onboarding',
    route: 'packages/onboarding/pages/status/index',
    as: 'admin',
    refused: { who: 'buyer', fn: merchant, action: 'getApplication', data: {} },
  },
  { flow: 'onboarding', route: 'packages/onboarding/pages/intro/index', as: 'admin' },
];

const loaded = new Map(PAGES.map((p) => [p.route, loadPage(p.route)]));
const pageId = (route: string) => loaded.get(route) as string;

/** The error state is on screen, and its description says exactly `message`. */
async function showsError(page: Rendered, message: string): Promise<void> {
  await waitFor(() => page.data.loadState === 'error' && exists(page, 't-result__description'));
  expect(text(find(page, 't-result__description'))).toBe(message);
}

describe.each(PAGES.map((p) => [`${p.flow}: ${p.route.split('/').slice(-2, -1)[0]}`, p] as const))('%s', (_name, p) => {
  test('a dropped call shows the transport message; the retry loads the page', async () => {
    h.as(p.as);
    h.failNext();
    const page = renderPage(pageId(p.route), p.query);
    await showsError(page, NETWORK);
    await tap(find(page, 't-button', 'load-state__error'));
    const refusedToo = p.refused && p.refused.who === p.as && !p.refused.query;
    if (refusedToo && p.refused) {
      // A detail of something that does not exist: the retry reaches the server, which says so.
      const who = p.as === 'admin' ? admin : buyer;
      await showsError(page, await serverMessage(p.refused.fn, who, p.refused.action, p.refused.data));
    } else {
      await waitFor(() => page.data.loadState !== 'loading' && !page.data.loadingMore);
      expect(page.data.loadState).not.toBe('error');
      expect(exists(page, 't-result__description')).toBe(false);
    }
  });

  if (p.refused) {
    const refused = p.refused;
    test(`a typed refusal from the server (${refused.action}) shows the app's words for its code`, async () => {
      const who = refused.who === 'admin' ? admin : buyer;
      const message = await serverMessage(refused.fn, who, refused.action, refused.data);
      expect(message.length).toBeGreaterThan(0);
      h.as(refused.who);
      const page = renderPage(pageId(p.route), refused.query ?? p.query);
      await showsError(page, message);
    });
  }
});
