// @ts-check
// The home page in its states (see support/scenes.js).
const { find, loadPage, renderPage, tap, typeInto, useHarness, waitFor } = require('../miniprogram/harness');
const { openForClaim } = require('../support/deps');
const { scene, shoot, shootError, shootLoading } = require('./support/scenes');

const h = useHarness({ as: 'admin' });
const HOME = 'pages/home/index';
const home = loadPage(HOME);

/** @param {any} page */
const loaded = (page) => waitFor(() => page.data.loadState === 'idle' && page.data.view);

async function bindMerchant() {
  await h.deps.store.insert('merchants', {
    _id: h.identity.appid,
    appid: h.identity.appid,
    subMchid: '1900012345',
    name: 'Shenzhen Demo Tea Co., Ltd.',
    feeRatePpm: 6000,
    boundAt: '2025-03-14T12:00:00.000Z',
  });
}

scene(HOME, 'loading', () => shootLoading(h, home));
scene(HOME, 'error', () => shootError(h, home));

scene(HOME, 'content', async () => {
  await bindMerchant();
  const page = renderPage(home);
  await loaded(page);
  await shoot(page, 'content');
});

scene(HOME, 'no-merchant', async () => {
  const page = renderPage(home);
  await loaded(page);
  await shoot(page, 'no-merchant');
});

scene(HOME, 'buyer', async () => {
  await bindMerchant();
  h.as('buyer');
  const page = renderPage(home);
  await loaded(page);
  await shoot(page, 'buyer');
});

scene(HOME, 'claim', async () => {
  openForClaim(h.deps);
  h.as('buyer');
  const page = renderPage(home);
  await loaded(page);
  await tap(find(page, 'home__claim'));
  await waitFor(() => page.data.claimVisible);
  await typeInto(page, 'home__claim-input', '000000');
  await tap(find(page, 'home__claim-confirm'));
  await waitFor(() => page.data.claimError !== '');
  await shoot(page, 'claim');
});
