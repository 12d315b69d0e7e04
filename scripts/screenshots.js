#!/usr/bin/env node
// @ts-check
// npm run screenshots [-- --lang zh-CN] [-- --only home,funds-withdraw] [-- --skip-jest]
//
// Every mini program page in each of its states as a PNG, 375 px wide at 2x,
// in docs/screenshots/<lang>/<page>--<state>.png, plus the contact sheet of
// the main pages (docs/screenshots/contact-sheet.png) the README shows.
//
// 1. jest runs the scenes (test/screenshots/*.shots.js, config
//    test/screenshots/jest.config.js): the simulator harness puts each page in
//    its state with the real functions, and each scene writes the page's HTML
//    (its DOM and the WXSS it uses, made browser-ready) to
//    .build/screenshots/<lang>/.
// 2. Debian's Chromium (/usr/bin/chromium, through playwright-core) draws each
//    page in a phone frame (status bar, navigation bar with the title) and the
//    PNG is re-encoded losslessly, smaller.
// 3. The contact sheet; PNGs of states no scene shoots any more are removed.
//
// --lang: the languages the app is shot in (each names its folder; default
// both, zh-CN first). --only: just the
// shots whose "<page>--<state>" contains one of the words (nothing removed).
// --skip-jest: photograph the HTML of the last run again (after a change to
// the frame). $CHROMIUM overrides the browser path.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { SCREEN, contactSheetHtml, frameHtml } = require('../test/screenshots/support/frame');
const { optimisePng } = require('../test/screenshots/support/png');

const ROOT = path.resolve(__dirname, '..');
const DOCS = path.join(ROOT, 'docs', 'screenshots');
const WORK = path.join(ROOT, '.build', 'screenshots');
/** The app's default language: its contact sheet is the README's. */
const DEFAULT_LANG = 'zh-CN';
const ALL_LANGS = ['zh-CN', 'en-US'];
/** Tallest page drawn (CSS px); a longer page is cut there. */
const MAX_HEIGHT = 3200;

/**
 * What a scene wrote beside a page's HTML (test/screenshots/support/scenes.js).
 * @typedef {{name: string, page: string, state: string, route: string, lang: string, title: string, home: boolean,
 *   navigationBarBackgroundColor: string, navigationBarTextStyle: string}} Meta
 */

/** The main pages, in the order of the merchant's and the buyer's stories. */
const CONTACT_SHEET = [
  ['home--content', 'Home'],
  ['onboarding-intro--content', 'Apply: intro'],
  ['onboarding-form--content', 'Apply: form'],
  ['onboarding-documents--uploaded', 'Apply: documents'],
  ['onboarding-status--content', 'Application status'],
  ['checkout-products--content', 'Shop'],
  ['checkout-confirm--content', 'Confirm order'],
  ['checkout-result--content', 'Payment result'],
  ['checkout-order--content', 'Order and refund'],
  ['funds-dashboard--content', 'Funds'],
  ['funds-transactions--content', 'Transactions'],
  ['funds-withdraw--content', 'Withdraw'],
];

/** @param {string[]} argv */
function parseArgs(argv) {
  const args = { langs: ALL_LANGS, only: '', skipJest: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg.startsWith('--lang')) args.langs = value().split(',');
    else if (arg.startsWith('--only')) args.only = value();
    else if (arg === '--skip-jest') args.skipJest = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('npm run screenshots [-- --lang en-US[,zh-CN]] [--only <page>--<state>,...] [--skip-jest]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  for (const lang of args.langs) if (!/^[a-z]{2}-[A-Z]{2}$/.test(lang)) throw new Error(`--lang ${lang}: like en-US`);
  return args;
}

/**
 * Runs the scenes for one language; true when every scene passed.
 * @param {string} lang @param {string} only @param {string} work
 */
function runScenes(lang, only, work) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const result = spawnSync(
    process.execPath,
    [createRequire(__filename).resolve('jest/bin/jest'), '-c', 'test/screenshots/jest.config.js', '--maxWorkers=2'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, SCREENSHOTS_LANG: lang, SCREENSHOTS_OUT: work, SCREENSHOTS_ONLY: only },
    },
  );
  return result.status === 0;
}

async function launch() {
  const { chromium } = require('playwright-core');
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath} (apt-get install chromium fonts-noto-cjk, or set $CHROMIUM)`);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--allow-file-access-from-files',
    ],
  });
  return browser;
}

/**
 * Offline: only file: and data: URLs load.
 * @param {import('playwright-core').Browser} browser @param {number} deviceScaleFactor
 */
async function offlineContext(browser, deviceScaleFactor) {
  const context = await browser.newContext({
    viewport: { width: SCREEN.width, height: SCREEN.height },
    deviceScaleFactor,
  });
  await context.route(/^(?!file:|data:)/, (route) => route.abort());
  return context;
}

/**
 * Draws one page in the phone frame; returns the PNG.
 * @param {import('playwright-core').Page} page @param {string} htmlFile @param {Meta} meta
 */
async function photograph(page, htmlFile, meta) {
  const frameFile = htmlFile.replace(/\.html$/, '.frame.html');
  fs.writeFileSync(frameFile, frameHtml(meta, pathToFileURL(htmlFile).href));
  await page.goto(pathToFileURL(frameFile).href, { waitUntil: 'load' });
  const frame = page.frames().find((f) => f !== page.mainFrame());
  if (!frame) throw new Error(`${meta.name}: the page frame did not load`);
  await frame.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // A page longer than the screen is drawn whole (up to MAX_HEIGHT): the frame grows to it, and
  // the screenshot takes the whole document (no viewport resize, which can be caught half-painted).
  const contentHeight = await frame.evaluate(() =>
    Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0),
  );
  const pageHeight = Math.min(Math.max(contentHeight, SCREEN.height - SCREEN.bars), MAX_HEIGHT - SCREEN.bars);
  if (pageHeight > SCREEN.height - SCREEN.bars) {
    await page.evaluate((h) => {
      const iframe = document.getElementById('page');
      if (iframe) iframe.style.height = `${h}px`;
    }, pageHeight);
  }
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await frame.evaluate(painted);
  await page.evaluate(painted);
  return page.screenshot({ animations: 'disabled', caret: 'hide', fullPage: true });
}

/**
 * @param {import('playwright-core').Browser} browser @param {string} lang @param {string} dir
 */
async function contactSheet(browser, lang, dir) {
  const shots = CONTACT_SHEET.filter(([name]) => fs.existsSync(path.join(dir, `${name}.png`))).map(
    ([name, caption]) => ({ url: pathToFileURL(path.join(dir, `${name}.png`)).href, caption }),
  );
  if (!shots.length) return null;
  const columns = 6;
  const thumbWidth = 176;
  const html = contactSheetHtml(shots, {
    columns,
    thumbWidth,
    title: `Mini program payment management: main pages (${lang}; every page and state in docs/screenshots/${lang}/)`,
  });
  const file = path.join(WORK, lang, 'contact-sheet.html');
  fs.writeFileSync(file, html);
  const context = await offlineContext(browser, 1);
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 40 + columns * thumbWidth + (columns - 1) * 16, height: 600 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const png = optimisePng(await page.screenshot({ fullPage: true, animations: 'disabled' }));
    const out = path.join(DOCS, lang === DEFAULT_LANG ? 'contact-sheet.png' : `contact-sheet.${lang}.png`);
    fs.writeFileSync(out, png);
    return { file: out, bytes: png.length };
  } finally {
    await context.close();
  }
}

const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(0)} KB`;

async function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  let failed = false;
  const browser = await launch();
  try {
    for (const lang of args.langs) {
      const work = path.join(WORK, lang);
      let scenesPassed = true;
      if (!args.skipJest) {
        console.log(`\n[screenshots] ${lang}: putting the pages in their states (jest)...`);
        scenesPassed = runScenes(lang, args.only, work);
        if (!scenesPassed) failed = true;
      }
      const metas = fs.existsSync(work)
        ? fs
            .readdirSync(work)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => /** @type {Meta} */ (JSON.parse(fs.readFileSync(path.join(work, f), 'utf8'))))
        : [];
      if (!metas.length) throw new Error(`no pages to photograph in ${work}`);
      const dir = path.join(DOCS, lang);
      fs.mkdirSync(dir, { recursive: true });

      console.log(`[screenshots] ${lang}: drawing ${metas.length} pages in Chromium...`);
      const drawStarted = Date.now();
      const context = await offlineContext(browser, 2);
      /** @type {string[]} */
      const errors = [];
      let bytes = 0;
      const written = new Set();
      // Two pages at a time: Chromium draws one while Node packs the other's PNG.
      const queue = [...metas];
      const worker = async () => {
        const page = await context.newPage();
        page.on('pageerror', (err) => errors.push(err.message));
        for (let meta = queue.shift(); meta; meta = queue.shift()) {
          const png = optimisePng(await photograph(page, path.join(work, `${meta.name}.html`), meta));
          fs.writeFileSync(path.join(dir, `${meta.name}.png`), png);
          written.add(`${meta.name}.png`);
          bytes += png.length;
        }
      };
      await Promise.all([worker(), worker()]);
      await context.close();
      if (errors.length) console.warn(`[screenshots] page errors:\n  ${errors.join('\n  ')}`);

      // States no scene shoots any more (only after a complete, passing run).
      const removed = [];
      if (!args.only && scenesPassed) {
        for (const f of fs.readdirSync(dir)) {
          if (f.endsWith('.png') && !written.has(f)) {
            fs.rmSync(path.join(dir, f));
            removed.push(f);
          }
        }
      }
      const sheet = await contactSheet(browser, lang, dir);
      const pages = new Set(metas.map((m) => m.page));
      console.log(
        `[screenshots] ${lang}: ${metas.length} PNGs (${pages.size} pages) in ${path.relative(ROOT, dir)}, ${kb(bytes)}` +
          `, drawn in ${((Date.now() - drawStarted) / 1000).toFixed(1)} s` +
          (removed.length ? `; removed ${removed.join(', ')}` : '') +
          (sheet ? `; contact sheet ${path.relative(ROOT, sheet.file)} ${kb(sheet.bytes)}` : ''),
      );
    }
  } finally {
    await browser.close();
  }
  console.log(`[screenshots] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failed) {
    console.error('[screenshots] some scenes failed (above): their PNGs were not updated');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
