// The page screenshots stay complete: every page in miniprogram/app.json
// (main package and subpackages) has at least its content state in
// docs/screenshots/<lang>/, each a real PNG 375 px wide at 2x; no PNG is left
// for a page that is gone; every page has its scenes; the contact sheet the
// README shows is there. Reads files only: no Chromium (`npm run screenshots`
// draws them, see scripts/screenshots.js).
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = path.join(ROOT, 'docs', 'screenshots');
/** Languages that must be complete (the app's two). Any other folder present is checked too. */
const REQUIRED_LANGUAGES = ['zh-CN', 'en-US'];
const WIDTH = 750;

interface AppJson {
  pages: string[];
  subPackages?: Array<{ root: string; pages: string[] }>;
}

const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'miniprogram', 'app.json'), 'utf8')) as AppJson;
const routes = [
  ...app.pages,
  ...(app.subPackages ?? []).flatMap((pkg) => pkg.pages.map((page) => `${pkg.root}/${page}`)),
];

/** As test/screenshots/support/scenes.js names pages: "home", "funds-withdraw". */
function pageName(route: string): string {
  const parts = route.split('/');
  const page = parts[parts.length - 2];
  return parts[0] === 'packages' ? `${parts[1]}-${page}` : page;
}

function pngSize(file: string): { width: number; height: number } {
  const head = fs.readFileSync(file).subarray(0, 24);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!head.subarray(0, 8).equals(signature) || head.toString('ascii', 12, 16) !== 'IHDR')
    throw new Error(`${path.relative(ROOT, file)} is not a PNG`);
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

const languages = [
  ...new Set([
    ...REQUIRED_LANGUAGES,
    ...(fs.existsSync(DOCS) ? fs.readdirSync(DOCS).filter((f) => fs.statSync(path.join(DOCS, f)).isDirectory()) : []),
  ]),
];
const names = routes.map(pageName);

test('app.json lists pages and their screenshot names are distinct', () => {
  expect(routes.length).toBeGreaterThan(1);
  expect(new Set(names).size).toBe(names.length);
});

describe.each(languages)('docs/screenshots/%s', (lang) => {
  const dir = path.join(DOCS, lang);
  const pngs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.png')) : [];

  test('every page in app.json has its content state', () => {
    const missing = names.filter((name) => !pngs.includes(`${name}--content.png`));
    expect(missing).toEqual([]);
  });

  test('every PNG is "<page>--<state>.png" of a page in app.json, 375 px wide at 2x', () => {
    const wrong = pngs.filter((f) => {
      const match = /^([a-z0-9-]+?)--([a-z0-9-]+)\.png$/.exec(f);
      return !match || !names.includes(match[1]) || pngSize(path.join(dir, f)).width !== WIDTH;
    });
    expect(wrong).toEqual([]);
  });
});

test('every page has its scenes, so a run draws it again', () => {
  const scenes = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.shots.js'))
    .map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'))
    .join('\n');
  expect(routes.filter((route) => !scenes.includes(`'${route}'`))).toEqual([]);
});

test('the contact sheet of the main pages is there and the README shows it', () => {
  const sheet = path.join(DOCS, 'contact-sheet.png');
  expect(fs.existsSync(sheet)).toBe(true);
  expect(pngSize(sheet).width).toBeGreaterThan(600);
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('docs/screenshots/contact-sheet.png');
});
