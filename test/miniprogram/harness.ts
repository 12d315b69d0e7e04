// The simulator harness for page and component tests. A page test runs
// page -> service -> transport -> wx.cloud.callFunction -> the real function
// handler -> SQLite (a fresh temp store per test), as a chosen identity:
//
//   const h = useHarness();                     // module scope: per-test deps, identity, stubs
//   const home = loadPage('pages/home/index');  // module scope: once per file
//   test('...', async () => {
//     h.as('admin');
//     await h.deps.store.insert('merchants', {...});   // arrange through the real store
//     const page = renderPage(home);                  // loading state is on screen now
//     await waitFor(() => page.data.loadState === 'idle');
//     expect(cell(page, 'Merchant ID').note).toBe('19******45');
//     await tap(find(page, 'home__apply-button'));    // t-class on tdesign, class on views
//     expect(h.navigations()).toEqual(['/packages/onboarding/pages/intro/index']);
//   });
//
// Queries match class names without the simulator's "owner--" prefix. On a
// tdesign component, put hook classes in `t-class` (its `class` is dropped by
// the simulator's virtual hosts); on views, `class` works.
import fs from 'node:fs';
import type { RootComponent } from 'j-component';
import { admin, buyer, testDeps, type TestDeps } from '../support/deps';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import { useDeps } from '../../cloudfunctions/core/runtime/deps';
import { config } from '../../miniprogram/config';
import { cloud, type RecordedCall } from './support/cloud';
import { realRequest } from './support/http';
import { LocalGateway } from './support/local-gateway';
import { insertStyles, loadComponent, MINIPROGRAM_ROOT } from './support/loader';
import { pageStack } from './support/page-stack';

const jComponent = require('j-component');
const exparser = require('miniprogram-exparser');

export { loadComponent, MINIPROGRAM_ROOT, realRequest };
export type { RecordedCall };
export type Rendered = RootComponent<any, any, any>;
export type Who = 'admin' | 'buyer' | Identity;

export interface Harness {
  /**
   * This test's real deps (test/support/deps.ts): SQLite store, manual clock,
   * config (setup code 246810, `admin` configured), the WeChat Pay sandbox.
   */
  readonly deps: TestDeps;
  /** Calls from now on are made as this identity: 'admin' (configured admin), 'buyer', or any {openid, appid, fromAppid?}. */
  as(who: Who): void;
  readonly identity: Identity;
  /** Every function call so far in this test (wx.cloud, or the gateway in local mode), in order. */
  readonly calls: RecordedCall[];
  callsTo(name: string, action?: string): RecordedCall[];
  /** The next `times` calls fail in transport (the page sees NETWORK.UNAVAILABLE). */
  failNext(times?: number): void;
  /** Function calls wait (recorded, in flight) until release() is called. */
  hold(): () => void;
  /** URLs passed to wx.navigateTo / redirectTo / reLaunch, in order. */
  navigations(): string[];
}

const identityOf = (who: Who): Identity => (who === 'admin' ? admin : who === 'buyer' ? buyer : who);

let current: TestDeps | null = null;
const rendered: Rendered[] = [];
const routes = new Map<string, string>();

const configDefaults = JSON.parse(JSON.stringify(config)) as typeof config;
const gateway = new LocalGateway();

export interface HarnessOptions {
  /** Identity at the start of each test (default 'buyer'). */
  as?: Who;
  /**
   * 'cloud' (default): wx.cloud.callFunction runs the functions in process.
   * 'local': the app's local mode against the real gateway on a loopback
   * port, wx.request made as real HTTP (also to any other local server).
   */
  mode?: 'cloud' | 'local';
}

/**
 * Call once at module scope. Before each test: fresh deps on a temp SQLite
 * file, the app in `options.mode`, identity `options.as`, no calls recorded,
 * wx stubs back to their defaults. After: pages detached, gateway stopped,
 * store closed, files removed, app config restored.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  const mode = options.mode ?? 'cloud';

  const setIdentity = (identity: Identity) => {
    cloud.identity = identity;
    // Local mode: the app sends config.local's identity in headers, as a developer's DevTools would.
    config.local.openid = identity.openid;
    config.local.appid = identity.appid;
  };

  beforeEach(async () => {
    current = await testDeps();
    Object.assign(config, JSON.parse(JSON.stringify(configDefaults)), { mode });
    cloud.reset(null);
    setIdentity(identityOf(options.as ?? 'buyer'));
    if (mode === 'local') {
      config.local.gateway = await gateway.start(current);
      (wx.request as unknown as jest.Mock).mockImplementation(gateway.request());
      (wx.uploadFile as unknown as jest.Mock).mockImplementation(gateway.upload());
    }
  });

  afterEach(async () => {
    while (rendered.length) rendered.pop()!.detach();
    pageStack.length = 0;
    cloud.reset(null);
    await gateway.stop();
    Object.assign(config, JSON.parse(JSON.stringify(configDefaults)));
    if (current) {
      // deps.close() also stops what testDeps started (the WeChat Pay sandbox); it closes the store.
      await current.close();
      fs.rmSync(current.dataDir, { recursive: true, force: true });
      useDeps(null);
      current = null;
    }
  });

  return {
    get deps() {
      if (!current) throw new Error('harness deps exist only inside a test');
      return current;
    },
    as(who) {
      setIdentity(identityOf(who));
    },
    get identity() {
      if (!cloud.identity) throw new Error('no identity outside a test');
      return cloud.identity;
    },
    calls: cloud.calls,
    callsTo: (name, action) =>
      cloud.calls.filter((c) => c.name === name && (action === undefined || c.action === action)),
    failNext: (times = 1) => cloud.failNext(times),
    hold: () => cloud.hold(),
    navigations: () =>
      (['navigateTo', 'redirectTo', 'reLaunch'] as const)
        .flatMap((api) => {
          const { calls, invocationCallOrder } = (wx[api] as unknown as jest.Mock).mock;
          return calls.map((args, i) => ({ url: String(args[0]?.url), order: invocationCallOrder[i] }));
        })
        .sort((a, b) => a.order - b.order)
        .map((n) => n.url),
  };
}

/** Registers a page by its route ("pages/home/index", "packages/funds/pages/dashboard/index"); once per file. */
/**
 * The WeChat client's language for this test (the default, as on most phones
 * in China, is zh_CN): the app reads it through wx.getAppBaseInfo().
 */
export function speak(lang: 'zh-CN' | 'en-US'): void {
  const wxApi = (globalThis as any).wx;
  const base = { SDKVersion: '3.4.0', enableDebug: false, host: { env: 'WeChat' }, version: '8.0.50', theme: 'light' };
  (wxApi.getAppBaseInfo as jest.Mock).mockReturnValue({ ...base, language: lang === 'zh-CN' ? 'zh_CN' : 'en' });
}

export function loadPage(route: string): string {
  // A fixture's absolute file path stands for its own route.
  const normalized = fs.existsSync(`${route}.json`) ? route : route.replace(/^\//, '');
  const id = loadComponent(normalized, 'main');
  routes.set(id, normalized);
  return id;
}

/** Renders a component with properties, attached to the document. */
export function renderComponent(id: string, properties?: Record<string, unknown>): Rendered {
  insertStyles(id);
  const comp = jComponent.create(id, properties) as Rendered;
  const parent = document.createElement('parent-wrapper');
  document.body.appendChild(parent);
  comp.attach(parent);
  rendered.push(comp);
  return comp;
}

/**
 * Renders `template` inside a throwaway host component, for testing a shared
 * component the way a page uses it: properties bound to the host's data,
 * events bound to the host's methods (pass jest.fn()s).
 *   const host = renderHost('<amount fen="{{fen}}" />', { amount: loadComponent('components/amount/index') }, { fen: 5 });
 *   host.setData({ fen: -5 });
 */
export function renderHost(
  template: string,
  usingComponents: Record<string, string>,
  data: Record<string, unknown> = {},
  methods: Record<string, (...args: any[]) => unknown> = {},
): Rendered {
  const id = jComponent.register({ template, usingComponents, data, methods });
  Object.values(usingComponents).forEach(insertStyles);
  return renderComponent(id);
}

/**
 * Opens a page as WeChat would: attached, pushed on the page stack, then
 * onLoad(query), onShow, onReady. Returns right after those calls, before
 * their async work (so the loading state is still on screen): use waitFor.
 */
export function renderPage(id: string, query: Record<string, string> = {}): Rendered {
  const page = renderComponent(id);
  const instance = page.instance as unknown as Record<string, any>;
  const route = routes.get(id);
  if (!route) throw new Error('renderPage takes an id from loadPage()');
  instance.route = route;
  instance.options = query;
  pageStack.push({ route, options: query, instance });
  instance.onLoad?.(query);
  showPage(page);
  instance.onReady?.();
  return page;
}

/** The page comes back to the front (after a navigateBack from the page above). */
export function showPage(page: Rendered): void {
  (page.instance as unknown as Record<string, any>).onShow?.();
  (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show');
}

/** Lets pending promises and zero-delay timers run. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Waits until `condition` holds (returns truthy without throwing), letting
 * async work run in between; fails with the last error after `timeoutMs`.
 */
export async function waitFor(condition: () => unknown, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  let last: unknown = null;
  for (;;) {
    try {
      if (condition()) return;
      last = null;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `waitFor timed out after ${timeoutMs} ms${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}\n${String(condition)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Root = Rendered | Element;
const domOf = (root: Root): Element => {
  const dom = root instanceof Element ? root : root.dom;
  if (!dom) throw new Error('this component has no DOM (virtual host?): query from its parent');
  return dom;
};

// Class names in the simulator's DOM carry their owner's tag as a prefix
// ("t-cell--t-cell__title", "main--home__apply"); match either form.
const hasClass = (el: Element, cls: string) =>
  Array.from(el.classList).some((c) => c === cls || c.endsWith(`--${cls}`));

/** Every element under `root` with the class (unprefixed: "t-button", "home__apply"). */
export function findAll(root: Root, cls: string): Element[] {
  return Array.from(domOf(root).querySelectorAll('*')).filter((el) => hasClass(el, cls));
}

/** The first element with the class (inside the first `within` element if given); throws when there is none. */
export function find(root: Root, cls: string, within?: string): Element {
  const scope = within ? find(root, within) : domOf(root);
  const el = findAll(scope, cls)[0];
  if (!el) throw new Error(`no element with class "${cls}"${within ? ` inside "${within}"` : ''}`);
  return el;
}

export function exists(root: Root, cls: string): boolean {
  return findAll(root, cls).length > 0;
}

/** Text content, one space between separate text nodes (views are blocks), whitespace collapsed. */
export function text(el: Root): string {
  const walker = document.createTreeWalker(domOf(el), NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.textContent ?? '');
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** Text of every element with the class. */
export function texts(root: Root, cls: string): string[] {
  return findAll(root, cls).map(text);
}

/** A tap on the element, reaching `bindtap` / `bind:tap` handlers up the tree. */
export async function tap(el: Element, detail: Record<string, unknown> = {}): Promise<void> {
  await fire(el, 'tap', detail);
}

/**
 * Fires a mini program event on a DOM element through exparser (bubbling and
 * crossing component boundaries, as WeChat does), then lets handlers' async
 * work run a little.
 */
export async function fire(el: Element, eventName: string, detail: Record<string, unknown> = {}): Promise<void> {
  const node = (el as unknown as { __wxElement?: unknown }).__wxElement;
  if (!node) throw new Error('not a simulator element (no __wxElement)');
  exparser.Event.dispatchEvent(
    node,
    exparser.Event.create(eventName, detail, {
      bubbles: true,
      composed: true,
      capturePhase: true,
      extraFields: { touches: {}, changedTouches: {} },
    }),
  );
  await flush();
}

export interface CellView {
  el: Element;
  title: string;
  description: string;
  note: string;
}

/** Every tdesign t-cell under `root` as its title, description and note texts. */
export function cells(root: Root): CellView[] {
  const part = (el: Element, cls: string) => (findAll(el, cls)[0] ? text(findAll(el, cls)[0]) : '');
  return findAll(root, 't-cell').map((el) => ({
    el,
    title: part(el, 't-cell__title-text'),
    description: part(el, 't-cell__description'),
    note: part(el, 't-cell__note'),
  }));
}

/** The t-cell with this title (throws listing the titles there are). */
export function cell(root: Root, title: string): CellView {
  const all = cells(root);
  const found = all.find((c) => c.title === title);
  if (!found)
    throw new Error(`no t-cell titled "${title}"; there are: ${all.map((c) => JSON.stringify(c.title)).join(', ')}`);
  return found;
}

/** Types into a tdesign t-input (or a native input) inside `root` with the class: fires `input` like the keyboard. */
export async function typeInto(root: Root, cls: string, value: string): Promise<void> {
  const host = find(root, cls);
  const input =
    host.tagName.toLowerCase() === 'wx-input'
      ? host
      : (findAll(host, 't-input__control')[0] ?? host.querySelector('wx-input'));
  if (!input) throw new Error(`no input inside "${cls}"`);
  await fire(input, 'input', { value, cursor: value.length, keyCode: 0 });
}
