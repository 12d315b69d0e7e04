// The app's static structure, as WeChat DevTools will read it. Every page and
// subpackage other engineers add is checked here too: a usingComponents path
// the simulator cannot resolve renders nothing (no error), and DevTools refuses
// cross-subpackage components and missing page files.
import fs from 'node:fs';
import path from 'node:path';
import { MINIPROGRAM_ROOT } from './harness';

const root = MINIPROGRAM_ROOT;
const projectRoot = path.join(root, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const app = readJson(path.join(root, 'app.json'));
const FLOW_ROOTS = ['packages/onboarding', 'packages/checkout', 'packages/funds'];

/** Every file under the app's own sources (not the npm build output). */
function sources(dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'miniprogram_npm' || entry.name === 'node_modules' ? [] : sources(full);
    return [full];
  });
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
const packageOf = (file: string) => FLOW_ROOTS.find((r) => rel(file).startsWith(`${r}/`)) ?? 'main';

const pages: string[] = [
  ...app.pages,
  ...(app.subPackages ?? []).flatMap((sub: { root: string; pages: string[] }) =>
    sub.pages.map((p) => `${sub.root.replace(/\/$/, '')}/${p}`),
  ),
];

test('app.json: the home page first, lazy component loading, style v2, a sitemap', () => {
  expect(app.pages[0]).toBe('pages/home/index');
  expect(app.lazyCodeLoading).toBe('requiredComponents');
  expect(app.style).toBe('v2');
  expect(fs.existsSync(path.join(root, app.sitemapLocation))).toBe(true);
  expect(Array.isArray(app.subPackages)).toBe(true);
});

test('subpackages are the agreed flow roots, each with pages', () => {
  for (const sub of app.subPackages) {
    expect(FLOW_ROOTS).toContain(sub.root.replace(/\/$/, ''));
    expect(sub.pages.length).toBeGreaterThan(0);
  }
});

test.each(pages)('page %s has its four files', (page) => {
  const missing = ['ts', 'json', 'wxml', 'wxss']
    .map((ext) => `${page}.${ext}`)
    .filter((file) => !fs.existsSync(path.join(root, file)));
  expect(missing).toEqual([]);
});

describe('usingComponents', () => {
  const jsons = sources().filter(
    (f) => f.endsWith('.json') && !['app.json', 'sitemap.json', 'tsconfig.json'].includes(path.basename(f)),
  );

  test.each(jsons.map(rel))('%s: every component resolves, within what WeChat allows', (file) => {
    const full = path.join(root, file);
    const using: Record<string, string> = readJson(full).usingComponents ?? {};
    for (const [tag, value] of Object.entries(using)) {
      // Root-absolute paths work in both DevTools and the simulator (toolchain.md).
      const target = value.startsWith('/') ? path.join(root, value) : path.join(path.dirname(full), value);
      expect({ tag, resolves: fs.existsSync(`${target}.json`) }).toEqual({ tag, resolves: true });
      const from = packageOf(full);
      const to = packageOf(target);
      // The main package cannot use a subpackage's component, nor a subpackage another's.
      expect({ tag, from, to: to === 'main' || to === from ? from : to }).toEqual({ tag, from, to: from });
    }
  });
});

describe('what gets packed into the app', () => {
  const ts = sources().filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

  test.each(ts.map(rel))('%s imports shared typings as types only, and no backend code', (file) => {
    const code = fs.readFileSync(path.join(root, file), 'utf8');
    const imports = [...code.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({
      typeOnly: Boolean(m[1]),
      from: m[2],
    }));
    for (const imp of imports) {
      if (/(^|\/)typings\//.test(imp.from))
        expect({ ...imp, typeOnly: imp.typeOnly }).toEqual({ ...imp, typeOnly: true });
      expect(imp.from).not.toMatch(/(^|\/)cloudfunctions\//);
    }
    expect(code).not.toMatch(/require\(\s*['"][^'"]*(typings|cloudfunctions)\//);
  });
});

test('project.config.json opens the app and the functions, with tdesign built into miniprogram_npm', () => {
  const project = readJson(path.join(projectRoot, 'project.config.json'));
  expect(project).toMatchObject({
    miniprogramRoot: 'miniprogram/',
    cloudfunctionRoot: 'cloudfunctions/',
    compileType: 'miniprogram',
  });
  expect(project.setting.packNpmManually).toBe(true);
  expect(project.setting.packNpmRelationList).toEqual([
    { packageJsonPath: './package.json', miniprogramNpmDistDir: './miniprogram/' },
  ]);
  const [major, minor] = String(project.libVersion).split('.').map(Number);
  expect(major > 2 || (major === 2 && minor >= 16)).toBe(true); // requestOrderPayment
  expect(project.packOptions.ignore).toContainEqual({ type: 'suffix', value: '.ts' });
  expect(fs.existsSync(path.join(root, 'miniprogram_npm/tdesign-miniprogram/button/button.json'))).toBe(true);
});
