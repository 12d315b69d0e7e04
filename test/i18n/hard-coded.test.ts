// Nothing a person reads is written outside the catalogues: no text in a
// WXML text node or text attribute, no page title in a page config, and no
// Chinese or English sentence in the app's code. Each finding names the file
// and line. Catalogues (i18n folders), the error catalogue's declarations and
// the developer-only local settings are the only places words may live.
import fs from 'node:fs';
import path from 'node:path';

const APP = path.resolve(__dirname, '../../miniprogram');

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['miniprogram_npm', 'node_modules', 'i18n'].includes(entry.name)) out.push(...files(full, ext));
    } else if (entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const where = (file: string, source: string, index: number) =>
  `${path.relative(APP, file)}:${source.slice(0, index).split('\n').length}`;

/** Letters a person reads: Latin words or Chinese. */
const WORDS = /[A-Za-z]{2,}|[\u3400-\u9fff]/;
/** Quoted literals inside {{ }} that read as words (Chinese, or two Latin words), not tokens like 'primary' or ' · '. */
function proseLiterals(expression: string): boolean {
  return Array.from(expression.matchAll(/'([^']*)'|"([^"]*)"/g), (m) => m[1] ?? m[2] ?? '').some((literal) =>
    /[\u3400-\u9fff]|[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(literal),
  );
}

/** Attributes whose value is shown (tdesign's included). */
const TEXT_ATTRS = new Set([
  'title',
  'description',
  'note',
  'placeholder',
  'label',
  'content',
  'text',
  'tips',
  'alt',
  'aria-label',
  'confirm-btn',
  'cancel-btn',
  'loading-text',
  'empty-text',
  'no-more-text',
  'error-text',
  'error-title',
  'retry-text',
  'message',
  'desc',
  'sub-title',
  'left-text',
  'right-text',
  'prefix',
  'suffix',
  'cancel-text',
  'confirm-text',
  'header',
  'footer',
  'extra',
  'value-text',
  'header-title',
  'close-btn',
  'sub-text',
]);

const stripMustache = (s: string) => s.replace(/\{\{[\s\S]*?\}\}/g, '');
const mustaches = (s: string) => Array.from(s.matchAll(/\{\{([\s\S]*?)\}\}/g), (m) => m[1] as string);

function wxmlFindings(file: string): string[] {
  // Comments blanked, and < > inside {{ }} (comparisons) made harmless, keeping every offset.
  const source = fs
    .readFileSync(file, 'utf8')
    .replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/\{\{[\s\S]*?\}\}/g, (m) => m.replace(/[<>]/g, ' '));
  const out: string[] = [];
  // Text nodes: between one tag's end and the next tag's start.
  for (const m of source.matchAll(/>([^<]+)</g)) {
    const node = m[1] as string;
    if (WORDS.test(stripMustache(node)) || mustaches(node).some(proseLiterals))
      out.push(`${where(file, source, m.index ?? 0)} text "${node.trim()}"`);
  }
  // Attributes of every tag.
  for (const tag of source.matchAll(/<[a-zA-Z][\w-]*\s([^>]*)>/g)) {
    for (const attr of (tag[1] as string).matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
      const [name, value] = [attr[1] as string, attr[2] as string];
      if (!TEXT_ATTRS.has(name)) continue;
      if (WORDS.test(stripMustache(value)) || mustaches(value).some(proseLiterals))
        out.push(`${where(file, source, tag.index ?? 0)} ${name}="${value}"`);
    }
  }
  return out;
}

/** String literals of TS source: '...', "..." and template texts outside ${}. */
function literals(source: string): Array<{ text: string; index: number }> {
  const out: Array<{ text: string; index: number }> = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'((?:\\.|[^'\\\n])*)'|"((?:\\.|[^"\\\n])*)"|`((?:\\.|[^`\\])*)`/g;
  for (const m of source.matchAll(re)) {
    const text = m[1] ?? m[2] ?? (m[3] !== undefined ? m[3].replace(/\$\{[^}]*\}/g, ' ') : undefined);
    if (text !== undefined) out.push({ text, index: m.index ?? 0 });
  }
  return out;
}

/** Reads as a sentence someone would see: Chinese, or two or more English words with a capital first. */
const SENTENCE = /[\u3400-\u9fff]|^[A-Z][a-z']*(?:[ ,]+[A-Za-z'’][\w'’]*){1,}[.!?…]?$/;

/**
 * Code whose literals are not for people (the error catalogue's declarations, developer settings) or are a
 * catalogue outside an i18n folder (the transaction types' words, shared with the server's CSV export).
 */
const NOT_SHOWN = ['shared/errors/', 'shared/transaction-types.ts', 'config.ts', 'local-gateway.ts'];

function tsFindings(file: string): string[] {
  const rel = path.relative(APP, file);
  if (NOT_SHOWN.some((p) => rel.startsWith(p) || rel === p)) return [];
  const source = fs.readFileSync(file, 'utf8');
  return literals(source)
    .filter(({ text, index }) => {
      if (!SENTENCE.test(text.trim())) return false;
      const line = source.slice(source.lastIndexOf('\n', index) + 1, source.indexOf('\n', index));
      // Thrown for developers (a bug), logged, or imported: not shown.
      return !/throw new (Range|Type)?Error\(|console\.|import |require\(/.test(line);
    })
    .map(({ text, index }) => `${where(file, source, index)} "${text}"`);
}

test('no WXML text node or text attribute is written outside the catalogues', () => {
  expect(files(APP, '.wxml').flatMap(wxmlFindings)).toEqual([]);
});

test('no page or app config carries a title: titles come from the catalogues', () => {
  const titled = files(APP, '.json')
    .filter((f) => !f.endsWith('sitemap.json') && !f.endsWith('tsconfig.json'))
    .filter((f) => {
      const json = JSON.parse(fs.readFileSync(f, 'utf8'));
      return Boolean(json.navigationBarTitleText || json.window?.navigationBarTitleText);
    })
    .map((f) => path.relative(APP, f));
  expect(titled).toEqual([]);
});

test("no sentence is written in the app's code outside the catalogues", () => {
  expect(files(APP, '.ts').flatMap(tsFindings)).toEqual([]);
});

test('the checks find what they look for', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'hard-coded-'));
  const wxml = path.join(dir, 'x.wxml');
  fs.writeFileSync(
    wxml,
    '<view title="Hello">Pay now</view>\n<t-cell note="{{ok ? \'已支付\' : t.x}}" />\n<view class="a b">{{t.ok}}</view>',
  );
  expect(wxmlFindings(wxml)).toHaveLength(3);
  const ts = path.join(dir, 'x.ts');
  fs.writeFileSync(
    ts,
    [
      "toast('Saved the draft');",
      "const a = '支付成功';",
      "const b = 'primary';",
      'const c = `Pay $' + '{x} now`;',
      '',
    ].join('\n'),
  );
  expect(tsFindings(ts).map((f) => f.split(' ').slice(1).join(' '))).toEqual([
    '"Saved the draft"',
    '"支付成功"',
    '"Pay   now"',
  ]);
  fs.rmSync(dir, { recursive: true });
});
