// @ts-check
// What a screenshot scene file uses: put a page in a state with the simulator
// harness (test/miniprogram/harness.ts: real functions on a temp SQLite
// store), then `shoot(page, 'state')` writes the page's HTML document and
// what the phone frame needs (title, bar colours) for
// scripts/screenshots.js to photograph.
//
//   const h = useHarness({ as: 'admin' });
//   const home = loadPage('pages/home/index');
//   scene('home', 'content', async () => {
//     const page = renderPage(home);
//     await waitFor(() => page.data.loadState === 'idle');
//     await shoot(page, 'content');
//   });
//
// Files: <out>/<page>--<state>.html and .json, where <page> is the route's
// folder ("home", "funds-withdraw": see pageName) and <out> is
// $SCREENSHOTS_OUT (default .build/screenshots/<lang>).

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { MINIPROGRAM_ROOT } = require('../../miniprogram/support/loader');
const { flush, renderPage, speak, waitFor } = require('../../miniprogram/harness');
const { pageDocument } = require('./capture');

/** The language the pages are shot in ("zh-CN" or "en-US"): names the output folder. */
const LANG = process.env.SCREENSHOTS_LANG || 'zh-CN';
const OUT = process.env.SCREENSHOTS_OUT || path.resolve(__dirname, '../../../.build/screenshots', LANG);

/**
 * Puts the app in the language being shot, as the app reads it (the WeChat
 * client's language), so every scene follows.
 * @param {string} lang
 */
function useLanguage(lang) {
  speak(lang === 'zh-CN' ? 'zh-CN' : 'en-US');
}

/**
 * "pages/home/index" -> "home"; "packages/funds/pages/withdraw/index" -> "funds-withdraw".
 * test/screenshots/completeness.test.ts names pages the same way.
 * @param {string} route
 */
function pageName(route) {
  const parts = route.replace(/^\//, '').split('/');
  const page = parts[parts.length - 2];
  return parts[0] === 'packages' ? `${parts[1]}-${page}` : page;
}

const appJson = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8'));

/** wxfile:// paths a scene handed to the app (a picked photo), as data: URLs, so images show. */
const files = new Map();

/** @param {string} wxPath @param {Buffer} content @param {string} type */
function provideFile(wxPath, content, type = 'image/png') {
  files.set(wxPath, `data:${type};base64,${content.toString('base64')}`);
}

/** @param {any} page */
function routeOf(page) {
  const route = page?.instance?.route;
  if (typeof route !== 'string') throw new Error('shoot() takes a page from renderPage()');
  return route;
}

/**
 * Writes the page as it is now, in `state`.
 * @param {any} page a page from renderPage()
 * @param {string} state "content", "loading", "error", "empty", or the page's own ("paid", "confirm"...)
 * @param {{steady?: Array<[RegExp, string]>}} [options] `steady`: text that differs on every run (a
 *   random id from the sandbox, its ephemeral port) replaced by a fixed value, so an unchanged page
 *   gives the same PNG
 */
async function shoot(page, state, options = {}) {
  await flush(5);
  const route = routeOf(page);
  const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${route}.json`), 'utf8'));
  const window = appJson.window ?? {};
  // A title the page set at run time (wx.setNavigationBarTitle) wins over its json's.
  const titles = /** @type {any} */ (wx.setNavigationBarTitle).mock?.calls ?? [];
  const title =
    titles.length > 0
      ? String(titles[titles.length - 1][0]?.title ?? '')
      : (json.navigationBarTitleText ?? window.navigationBarTitleText ?? '');
  const name = `${pageName(route)}--${state}`;
  if (!/^[a-z0-9-]+$/.test(state)) throw new Error(`state "${state}": lowercase letters, digits and dashes only`);
  fs.mkdirSync(OUT, { recursive: true });
  let html = pageDocument(page, route, { lang: LANG, files });
  for (const [pattern, replacement] of options.steady ?? []) html = html.replace(pattern, replacement);
  fs.writeFileSync(path.join(OUT, `${name}.html`), html);
  fs.writeFileSync(
    path.join(OUT, `${name}.json`),
    `${JSON.stringify(
      {
        name,
        page: pageName(route),
        state,
        route,
        lang: LANG,
        title,
        home: route === appJson.pages[0],
        navigationBarBackgroundColor:
          json.navigationBarBackgroundColor ?? window.navigationBarBackgroundColor ?? '#ffffff',
        navigationBarTextStyle: json.navigationBarTextStyle ?? window.navigationBarTextStyle ?? 'black',
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * A jest test that shoots one state (fresh harness deps each). Pass SCREENSHOTS_ONLY (a
 * substring of "<page>--<state>") to shoot only some.
 * @param {string} route the page's route, for the name filter
 * @param {string} state
 * @param {() => Promise<void>} body
 */
function scene(route, state, body) {
  const name = `${pageName(route)}--${state}`;
  const only = process.env.SCREENSHOTS_ONLY;
  (only && !only.split(',').some((part) => name.includes(part)) ? test.skip : test)(
    name,
    async () => {
      useLanguage(LANG);
      await body();
    },
    30_000,
  );
}

/**
 * The loading state: the page's calls are held in flight while it is shot,
 * then released and let finish (so nothing is left running into the next test).
 * @param {{hold(): () => void}} h the harness
 * @param {string} id from loadPage()
 * @param {Record<string, string>} [query]
 */
async function shootLoading(h, id, query = {}) {
  const release = h.hold();
  const page = renderPage(id, query);
  await flush(5);
  await shoot(page, 'loading');
  release();
  await waitFor(() => page.data.loadState !== 'loading', 8000);
}

/**
 * The error state: the page's first call fails in transport (NETWORK.UNAVAILABLE), as offline.
 * @param {{failNext(times?: number): void}} h
 * @param {string} id
 * @param {Record<string, string>} [query]
 */
async function shootError(h, id, query = {}) {
  h.failNext(1);
  const page = renderPage(id, query);
  await waitFor(() => page.data.loadState === 'error', 8000);
  await shoot(page, 'error');
}

// ---- a photo to pick ---------------------------------------------------------------------

/** @param {Buffer} buf */
function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A small PNG that reads as a photographed card (for the document pages): a
 * tinted card with a photo box and text lines.
 * @param {[number, number, number]} tint
 */
function cardPhoto(tint = [214, 228, 250]) {
  const w = 240;
  const h = 150;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      let px = [236, 236, 236];
      const inCard = x >= 12 && x < w - 12 && y >= 10 && y < h - 10;
      if (inCard) px = tint;
      if (inCard && x >= 24 && x < 84 && y >= 26 && y < 104) px = [170, 184, 206];
      const line = [34, 52, 70, 88].findIndex((top) => y >= top && y < top + 8);
      if (inCard && line >= 0 && x >= 100 && x < (line % 2 ? 180 : 216)) px = [120, 132, 150];
      if (inCard && y >= 118 && y < 126 && x >= 24 && x < 216) px = [150, 160, 176];
      row.set(px, 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

module.exports = {
  LANG,
  OUT,
  cardPhoto,
  pageName,
  provideFile,
  scene,
  shoot,
  shootError,
  shootLoading,
  useLanguage,
};
