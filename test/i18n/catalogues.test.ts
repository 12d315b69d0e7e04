// The message catalogues: every package's zh-CN and en-US hold the same keys
// with the same {placeholders}, no text is empty, the English has no Chinese
// left (language names aside), and every key is used by its package's code or
// templates. Type-checking already refuses a missing or misspelt key; this
// catches what types cannot (placeholders, leftovers, keys nobody reads).
import fs from 'node:fs';
import path from 'node:path';
import { errorMessages } from '../../miniprogram/i18n/errors';
import { fieldReasonMessages } from '../../miniprogram/i18n/field-reasons';
import { ERRORS, FIELD_REASONS } from '../../miniprogram/shared/errors';

const APP = path.resolve(__dirname, '../../miniprogram');
const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
/** Written in their own language on purpose, in every language (the language switch). */
const OWN_NAMES = ['简体中文'];

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(at, value);
    else for (const [k, v] of leaves(value, at)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...new Set(Array.from(text.matchAll(/\{(\w+)\}/g), (m) => m[1]))].sort();

function files(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'miniprogram_npm' && entry.name !== 'node_modules') out.push(...files(full, keep));
    } else if (keep(full)) out.push(full);
  }
  return out;
}

/** Every folder holding a catalogue: miniprogram/i18n and each package's i18n. */
const catalogueDirs = files(APP, (f) => f.endsWith(`${path.sep}i18n${path.sep}zh-CN.ts`)).map(path.dirname);

test('the catalogues are found: the main package and each subpackage', () => {
  const names = catalogueDirs.map((d) => path.relative(APP, d)).sort();
  expect(names).toEqual(expect.arrayContaining(['i18n']));
  expect(names.length).toBeGreaterThanOrEqual(1);
});

describe.each(catalogueDirs.map((dir) => [path.relative(APP, dir), dir]))('catalogue %s', (_name, dir) => {
  const zh = leaves(require(path.join(dir, 'zh-CN')).zhCN as Tree);
  const en = leaves(require(path.join(dir, 'en-US')).enUS as Tree);

  test('both languages hold the same keys, none empty', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [key, text] of [...zh, ...en]) expect({ key, text: text.trim() }).not.toEqual({ key, text: '' });
  });

  test('every message names the same {placeholders} in both languages', () => {
    for (const [key, text] of zh)
      expect({ key, placeholders: placeholders(en.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
  });

  test('the English has no Chinese left', () => {
    for (const [key, text] of en) {
      const rest = OWN_NAMES.reduce((t, name) => t.split(name).join(''), text);
      expect({ key, chinese: CJK.test(rest) }).toEqual({ key, chinese: false });
    }
  });

  test('every key is read somewhere in its package', () => {
    // The main catalogue serves the whole app; a package's serves its own folder.
    const root = path.relative(APP, dir) === 'i18n' ? APP : path.dirname(dir);
    const source = files(
      root,
      (f) => /\.(ts|wxml)$/.test(f) && !f.includes(`${path.sep}i18n${path.sep}`) && !f.endsWith('.d.ts'),
    )
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const unused = [...zh.keys()].filter((key) => {
      const leaf = key.split('.').pop() as string;
      return !(source.includes(`.${leaf}`) || source.includes(`'${leaf}'`) || source.includes(`"${leaf}"`));
    });
    expect(unused).toEqual([]);
  });
});

describe('error and field-reason words', () => {
  test('every error code has words in both languages, with the same placeholders', () => {
    for (const code of Object.keys(ERRORS) as (keyof typeof ERRORS)[]) {
      const zh = errorMessages['zh-CN'][code];
      const en = errorMessages['en-US'][code];
      expect({ code, zh: Boolean(zh), en: Boolean(en) }).toEqual({ code, zh: true, en: true });
      expect({ code, placeholders: placeholders(en) }).toEqual({ code, placeholders: placeholders(zh) });
      expect({ code, chinese: CJK.test(en) }).toEqual({ code, chinese: false });
    }
  });

  test('every field reason has words in both languages, with the same placeholders', () => {
    for (const reason of FIELD_REASONS) {
      const zh = fieldReasonMessages['zh-CN'][reason];
      const en = fieldReasonMessages['en-US'][reason];
      expect({ reason, placeholders: placeholders(en) }).toEqual({ reason, placeholders: placeholders(zh) });
      expect({ reason, chinese: CJK.test(en) }).toEqual({ reason, chinese: false });
    }
  });
});
