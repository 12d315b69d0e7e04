// Loads mini program components into the simulator (j-component) the way the
// mini program runtime does: the component's json for usingComponents, its
// wxml compiled by WeChat's own template compiler (wcc), its js run once to
// call Component(). Written for jest, where a module runs once per test file:
// every component is registered once per file and reused by every page that
// uses it (miniprogram-simulate's own load() re-requires the js, which jest
// ignores, so a second page sharing a component would render it empty).
import fs from 'node:fs';
import path from 'node:path';

const jComponent = require('j-component');
const compile = require('miniprogram-simulate/src/compile');
const wxss = require('miniprogram-simulate/src/wxss');

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../../miniprogram');

const compileOptions = {
  compiler: 'official',
  rootPath: MINIPROGRAM_ROOT,
  // wcc compiles every wxml under the root at once (tdesign included); its output outgrows the default buffer.
  compilerOptions: { maxBuffer: 256 * 1024 * 1024 },
};

/** The behaviors j-component implements; any other wx:// one (wx://proxy-scroll-view...) is dropped. */
const SIMULATED_WX_BEHAVIORS = new Set([
  'wx://component-export',
  'wx://form-field',
  'wx://form-field-group',
  'wx://form-field-button',
]);

interface Registered {
  id: string;
  file: string;
  tagName: string;
  /** Ids of the components it uses, for its styles. */
  uses: string[];
}

interface Pending {
  reg: Registered;
  template: unknown;
  usingComponents: Record<string, string>;
  defined: boolean;
}

const byFile = new Map<string, Registered>();
const byId = new Map<string, Registered>();
let running: Pending | null = null;
let seq = 0;

function readJson(file: string): { usingComponents?: Record<string, string> } | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const relative = (file: string) => path.relative(MINIPROGRAM_ROOT, file);

/** Our Component(): the definition plus what the loader knows about the file being run. */
export function defineComponent(options: Record<string, any>): void {
  const pending = running;
  if (!pending)
    throw new Error('Component() called outside a component load: load it with loadComponent() / loadPage()');
  if (pending.defined)
    throw new Error(`${relative(pending.reg.file)} called Component() twice (did it require another component's js?)`);
  pending.defined = true;

  const behaviors = (options.behaviors ?? []).filter(
    (b: unknown) => typeof b !== 'string' || !b.startsWith('wx://') || SIMULATED_WX_BEHAVIORS.has(b),
  );
  let relations = options.relations;
  if (relations) {
    // Relations name the other component by path; j-component knows it by id.
    relations = {};
    for (const [key, value] of Object.entries<Record<string, unknown>>(options.relations)) {
      const target = byFile.get(
        key.startsWith('/') ? path.join(MINIPROGRAM_ROOT, key) : path.join(path.dirname(pending.reg.file), key),
      );
      if (target) relations[target.id] = { ...value, target: target.id };
      else relations[key] = value;
    }
  }
  jComponent.register({
    id: pending.reg.id,
    path: pending.reg.file,
    template: pending.template,
    usingComponents: pending.usingComponents,
    tagName: pending.reg.tagName,
    ...options,
    behaviors,
    relations,
    options: { classPrefix: pending.reg.tagName, ...(options.options ?? {}) },
  });
}

function register(file: string, tagName: string): string {
  const known = byFile.get(file);
  if (known) return known.id;
  const json = readJson(`${file}.json`);
  if (!json) throw new Error(`no component at ${relative(file)} (${relative(file)}.json is missing or not JSON)`);

  // Letters only, like simulate's ids: they end up as tag names.
  const id = `pms${(++seq).toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)])}`;
  const reg: Registered = { id, file, tagName, uses: [] };
  byFile.set(file, reg);
  byId.set(id, reg);

  const usingComponents: Record<string, string> = {};
  for (const [key, value] of Object.entries(json.usingComponents ?? {})) {
    const target = value.startsWith('/') ? path.join(MINIPROGRAM_ROOT, value) : path.join(path.dirname(file), value);
    // The simulator would silently render an empty tag; DevTools would refuse to compile.
    if (!fs.existsSync(`${target}.json`))
      throw new Error(`${relative(file)}.json: "${key}": "${value}" does not resolve to a component`);
    usingComponents[key] = register(target, key);
    reg.uses.push(usingComponents[key]);
  }

  // App files go through WeChat's compiler; a test fixture outside the app
  // (test/miniprogram/fixtures) is parsed by j-component's own template engine.
  const inApp = !path.relative(MINIPROGRAM_ROOT, file).startsWith('..');
  const template = inApp ? compile.getWxml(file, compileOptions) : fs.readFileSync(`${file}.wxml`, 'utf8');
  const previous = running;
  running = { reg, template, usingComponents, defined: false };
  try {
    // Jest's require: .ts before .js, transformed, once per test file.
    require(file);
    if (!running.defined) {
      throw new Error(
        `${relative(file)} did not call Component() (was its module already imported by the test? import pages only through the loader)`,
      );
    }
  } finally {
    running = previous;
  }
  return id;
}

/**
 * Registers a component (and everything it uses) by its path under
 * miniprogram/ ("components/amount/index"), or by an absolute file path
 * without extension (a test fixture).
 */
export function loadComponent(componentPath: string, tagName = 'main'): string {
  const file =
    path.isAbsolute(componentPath) && fs.existsSync(`${componentPath}.json`)
      ? componentPath
      : path.join(MINIPROGRAM_ROOT, componentPath.replace(/^\//, ''));
  return register(file, tagName);
}

const styled = new Set<string>();

/** Puts the compiled wxss of a component tree into the document (once), so computed styles are real. */
export function insertStyles(id: string): void {
  const css: string[] = [];
  const visit = (componentId: string) => {
    if (styled.has(componentId)) return;
    styled.add(componentId);
    const reg = byId.get(componentId);
    if (!reg) return;
    reg.uses.forEach(visit);
    const source = wxss.getContent(`${reg.file}.wxss`);
    if (source) css.push(wxss.compile(source, { prefix: reg.tagName, ...compileOptions }));
  };
  visit(id);
  if (css.length) {
    const style = document.createElement('style');
    style.textContent = css.join('').replace(/(\d+)rpx/gi, '$1px');
    document.head.appendChild(style);
  }
}
