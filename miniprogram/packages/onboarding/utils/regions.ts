// Provinces, cities and districts by their GB/T 2260 codes, for the region
// picker (t-cascader). Data: @vant/area-data (version in AREA_SOURCE),
// emitted into areas.js by scripts/area-data.js. A code's level shows in its
// digits: "440000" a province, "440300" a city, "440305" a district. Names
// are place names and stay Chinese in every language.
import { AREAS } from './areas';

export interface RegionOption {
  label: string;
  value: string;
  /** Present (possibly still empty, not loaded yet) when the option has a next level. */
  children?: RegionOption[];
}

interface Table {
  names: Map<string, string>;
  /** Parent code -> child codes in code order; the root's key is "". */
  children: Map<string, string[]>;
}

let table: Table | null = null;

function parentOf(code: string): string {
  if (code.endsWith('0000')) return '';
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/** Parsed once, on first use: the form's other steps never pay for it. */
function load(): Table {
  if (table) return table;
  const names = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const entry of AREAS.split('|')) {
    const code = entry.slice(0, 6);
    names.set(code, entry.slice(6));
  }
  for (const code of names.keys()) {
    // A district whose city the table lacks hangs under its province (none today).
    let parent = parentOf(code);
    if (parent && !names.has(parent)) parent = parentOf(parent);
    const list = children.get(parent) ?? [];
    list.push(code);
    children.set(parent, list);
  }
  table = { names, children };
  return table;
}

/** Province, city and district names of a code ("440305" -> 广东省, 深圳市, 南山区); [] for an unknown code. */
export function regionNames(code: string): string[] {
  const { names } = load();
  if (!names.has(code)) return [];
  const path: string[] = [];
  for (let at = code; at; at = parentOf(at)) {
    const name = names.get(at);
    if (name) path.unshift(name);
  }
  return path;
}

/** "广东省 / 深圳市 / 南山区", or "" for an unknown code. */
export function regionText(code: string): string {
  return regionNames(code).join(' / ');
}

function optionOf(code: string, open: ReadonlySet<string>): RegionOption {
  const { names, children } = load();
  const option: RegionOption = { label: names.get(code) ?? code, value: code };
  const below = children.get(code);
  if (below?.length) option.children = open.has(code) ? below.map((c) => optionOf(c, open)) : [];
  return option;
}

/**
 * The cascader's options with only the opened provinces and cities filled in
 * (the whole table is ~3,300 options; the picker shows one branch at a time).
 * Opening a branch adds to the tree and never removes from it, so the
 * cascader's selected indexes stay valid.
 */
export function regionOptions(open: ReadonlySet<string>): RegionOption[] {
  return (load().children.get('') ?? []).map((code) => optionOf(code, open));
}

/** The branches to open so that `code` can be shown as chosen: its province and city. */
export function branchesOf(code: string): string[] {
  const out: string[] = [];
  for (let at = parentOf(code); at; at = parentOf(at)) out.unshift(at);
  return out;
}
