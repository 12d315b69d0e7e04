// @ts-check
// Turns a page the simulator harness rendered (jsdom) into a standalone HTML
// document Chromium draws like a phone would (see
// ../../../scripts/screenshots.js, which frames and photographs it):
//
// - CSS: exactly the WXSS the page uses (its own, its components', app.wxss),
//   recorded as the harness loader compiles it, before the loader's 1:1 rpx
//   step; then 1 rpx = 0.5 px (375 px screen), WeChat tags mapped to the
//   simulator's elements (view -> wx-view, page -> body), :host to the
//   component's tag, remote fonts dropped;
// - WeChat's built-in element styles (view is a block, the default button
//   style, input, image 320 x 240...);
// - fonts: tdesign asks for PingFang SC / Microsoft YaHei: aliased to Noto
//   Sans CJK SC, or Chromium falls back to a serif;
// - icons: t-icon's font comes from a CDN; each icon used is drawn from
//   tdesign-icons-svg as a CSS mask in currentColor;
// - DOM: what jsdom dropped is put back from j-component's virtual tree
//   (raw style with rpx, hidden, input values and placeholders, image src).

const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
/** @type {{getContent(file: string): string, compile(source: string, options?: {prefix?: string}): string}} */
const wxss = require(/** @type {string} */ ('miniprogram-simulate/src/wxss'));
const { MINIPROGRAM_ROOT } = require('../../miniprogram/support/loader');

const ICONS_DIR = path.dirname(createRequire(__filename).resolve('tdesign-icons-svg/package.json'));

// ---- recording the WXSS the loader compiles -------------------------------------------

/** Compiled (prefixed, rpx kept) CSS by component file (path without extension). */
const recorded = new Map();

/**
 * Wraps miniprogram-simulate's wxss module (the very object the harness loader
 * calls) so every compile is recorded with the file it came from. Call once,
 * from a jest setup file, before any page renders.
 */
function recordWxss() {
  if (/** @type {any} */ (wxss).__recording) return;
  const getContent = wxss.getContent;
  const compile = wxss.compile;
  /** @type {string | null} */
  let lastFile = null;
  Object.assign(wxss, {
    __recording: true,
    /** @param {string} file */
    getContent(file) {
      lastFile = file;
      return getContent(file);
    },
    /** @param {string} source @param {{prefix?: string}} options */
    compile(source, options = {}) {
      const css = compile(source, options);
      if (lastFile) recorded.set(lastFile.replace(/\.wxss$/, ''), { prefix: options.prefix ?? '', css });
      lastFile = null;
      return css;
    },
  });
}

// ---- component tree ----------------------------------------------------------------------

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Every component file a page uses, its dependencies before it (the order the
 * loader inserts their styles), the page itself last.
 * @param {string} file absolute, without extension
 * @param {string[]} out
 */
function componentFiles(file, out = []) {
  if (out.includes(file)) return out;
  const json = readJson(`${file}.json`) ?? {};
  for (const value of Object.values(json.usingComponents ?? {})) {
    const target = String(value).startsWith('/')
      ? path.join(MINIPROGRAM_ROOT, String(value))
      : path.join(path.dirname(file), String(value));
    componentFiles(target, out);
  }
  if (!out.includes(file)) out.push(file);
  return out;
}

// ---- CSS for a browser -------------------------------------------------------------------

/** WeChat's built-in components: the simulator renders <view> as <wx-view>. */
const WX_TAGS = [
  'view',
  'text',
  'button',
  'image',
  'input',
  'textarea',
  'scroll-view',
  'swiper',
  'swiper-item',
  'navigator',
  'icon',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'switch',
  'slider',
  'radio',
  'radio-group',
  'checkbox',
  'checkbox-group',
  'form',
  'progress',
  'rich-text',
  'canvas',
  'video',
  'map',
  'cover-view',
  'cover-image',
  'movable-area',
  'movable-view',
  'editor',
];
const TAG_RE = new RegExp(`(^|[\\s>+~(,])(page|${WX_TAGS.join('|')})(?![-\\w])`, 'g');

/** 1 rpx = 0.5 px on a 375 px wide screen. */
const rpx = (/** @type {string} */ css) =>
  css.replace(/(-?\d*\.?\d+)rpx\b/gi, (_, n) => `${Number((Number(n) / 2).toFixed(3))}px`);

/**
 * @param {string} selector
 * @param {string} host the component's tag, for :host
 */
function mapSelector(selector, host) {
  return selector
    .replace(TAG_RE, (_, lead, tag) => `${lead}${tag === 'page' ? 'body' : `wx-${tag}`}`)
    .replace(/:host\b/g, host);
}

/**
 * Compiled WXSS -> CSS Chromium applies as WeChat would.
 * @param {string} css
 * @param {string} host
 */
function browserCss(css, host) {
  const withoutRemote = css
    // t-icon's font (and any other) from a CDN: unreachable offline, and drawn from SVG instead.
    .replace(/@font-face\s*\{[^}]*url\(\s*['"]?https?:[^}]*\}/gi, '')
    .replace(/@import[^;]+;/g, '');
  // Rule preludes: text between a brace (or the start) and the next "{", at-rules left alone.
  const mapped = withoutRemote.replace(/(^|[{}])([^{}@]+)\{/g, (_, lead, selector) => {
    return `${lead}${mapSelector(selector, host)}{`;
  });
  return rpx(mapped);
}

/** @param {string} svg */
const svgUrl = (svg) => `url("data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}")`;

/** What an image that cannot load offline (wxfile://, http) shows. */
const IMAGE_PLACEHOLDER = svgUrl(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#a6a6a6" stroke-width="1.5">' +
    '<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="M4 18l5-5 4 4 3-3 4 4"/></svg>',
);

/** WeChat's own element styles (its base library's defaults, style v2), as the simulator's tags. */
const BUILTIN_CSS = `
html{-webkit-text-size-adjust:100%;scrollbar-width:none}
::-webkit-scrollbar{display:none}
body{margin:0;font-family:"PingFang SC",-apple-system,"Helvetica Neue",sans-serif;font-size:16px;line-height:1.2;
  -webkit-font-smoothing:antialiased;-webkit-tap-highlight-color:transparent}
[hidden]{display:none!important}
main,wx-view,wx-scroll-view,wx-swiper,wx-swiper-item,wx-form,wx-navigator,wx-picker,wx-picker-view,wx-radio-group,
wx-checkbox-group,wx-rich-text,wx-movable-area,wx-cover-view,wx-editor,wx-map,wx-canvas,wx-video,wx-progress{display:block}
wx-text,wx-label{display:inline}
wx-text{white-space:pre-line}
wx-scroll-view{overflow:hidden;position:relative}
wx-swiper{position:relative;overflow:hidden;height:150px}
wx-swiper-item{position:absolute;inset:0}
wx-icon,wx-switch,wx-radio,wx-checkbox{display:inline-block}
wx-image{display:inline-block;width:320px;height:240px;overflow:hidden;position:relative}
wx-image>img{display:block;width:100%;height:auto}
.__wx-image-picture,.__wx-image-missing{position:absolute;inset:0;background-repeat:no-repeat;background-position:center}
.__wx-image-missing{background:#e7e7e7 ${IMAGE_PLACEHOLDER} center / 40% 40% no-repeat}
wx-input{display:block;height:1.4em;min-height:1.4em;overflow:hidden;text-overflow:clip;white-space:nowrap;
  cursor:auto;text-align:inherit;contain:inline-size;min-width:0}
wx-textarea{display:block;position:relative;width:300px;height:150px;overflow:hidden;white-space:pre-wrap;
  cursor:auto}
.__wx-input-value,.__wx-input-placeholder{display:grid;align-content:center;height:100%;overflow:hidden;text-overflow:clip}
wx-textarea>.__wx-input-value,wx-textarea>.__wx-input-placeholder{display:block;height:auto}
.__wx-input-placeholder{color:#808080}
wx-button{position:relative;display:block;margin-left:auto;margin-right:auto;padding-left:14px;padding-right:14px;
  box-sizing:border-box;font-size:18px;text-align:center;text-decoration:none;line-height:2.55555556;
  border-radius:5px;overflow:hidden;color:#000;background-color:#f8f8f8;cursor:pointer}
wx-button::after{content:" ";width:200%;height:200%;position:absolute;top:0;left:0;border:1px solid rgba(0,0,0,.2);
  transform:scale(.5);transform-origin:0 0;box-sizing:border-box;border-radius:10px;pointer-events:none}
wx-button[disabled]{color:rgba(0,0,0,.3)}
`;

/** Noto Sans CJK SC (Regular and Bold are installed) under the names tdesign and WeChat ask for. */
const FONT_ALIASES = [
  'PingFang SC',
  'PingFangSC-Regular',
  'PingFangSC-Medium',
  'PingFangSC-Semibold',
  'PingFangSC-Light',
  'Microsoft YaHei',
  'Helvetica Neue',
  'Helvetica',
  '-apple-system',
  'BlinkMacSystemFont',
  'Arial Regular',
];
const FONT_CSS = FONT_ALIASES.map(
  (name) =>
    `@font-face{font-family:"${name}";font-weight:100 500;src:local("Noto Sans CJK SC"),local("NotoSansCJKsc-Regular")}` +
    `@font-face{font-family:"${name}";font-weight:600 900;src:local("Noto Sans CJK SC Bold"),local("NotoSansCJKsc-Bold")}`,
).join('\n');

/** Each t-icon class used in the HTML drawn from its SVG in currentColor. @param {string} html */
function iconCss(html) {
  const rules = new Set();
  for (const match of html.matchAll(/class="([^"]*)"/g)) {
    for (const cls of match[1].split(/\s+/)) {
      const icon = /^(?:[\w-]+--)?t-icon-([a-z0-9-]+)$/.exec(cls);
      if (!icon || icon[1] === 'base') continue;
      const file = path.join(ICONS_DIR, 'src', `${icon[1]}.svg`);
      if (!fs.existsSync(file)) continue;
      const svg = fs
        .readFileSync(file, 'utf8')
        .replace(/view-box=/g, 'viewBox=')
        .replace(/width="1em"/, 'width="24"')
        .replace(/height="1em"/, 'height="24"');
      const mask = `${svgUrl(svg)} center / 100% 100% no-repeat`;
      rules.add(
        `.${cls}::before{content:""!important;display:inline-block;width:1em;height:1em;vertical-align:top;` +
          `background-color:currentColor;-webkit-mask:${mask};mask:${mask}}`,
      );
    }
  }
  return [...rules].join('\n');
}

// ---- DOM ------------------------------------------------------------------------------------

/**
 * @param {Element} el
 * @returns {Record<string, unknown> | null} j-component's attributes of the node, as the template set them
 */
function rawAttrs(el) {
  const vt = /** @type {any} */ (el).__wxElement?._vt;
  if (!vt || !Array.isArray(vt.attrs)) return null;
  /** @type {Record<string, unknown>} */
  const attrs = {};
  for (const a of vt.attrs) attrs[a.name] = a.value;
  return attrs;
}

/**
 * The class names as the DOM has them: "t-input__placeholder" on an input
 * whose own classes are "t-input--t-input__control" becomes
 * "t-input--t-input__placeholder".
 * @param {Element} el @param {unknown} rawClass @param {unknown} classes
 */
function prefixedLike(el, rawClass, classes) {
  const own = String(rawClass ?? '')
    .split(/\s+/)
    .filter(Boolean);
  let prefix = '';
  for (const cls of Array.from(el.classList)) {
    const at = cls.indexOf('--');
    if (at > 0 && own.includes(cls.slice(at + 2))) {
      prefix = cls.slice(0, at + 2);
      break;
    }
  }
  return String(classes ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => prefix + c)
    .join(' ');
}

/**
 * @param {string} src
 * @param {Map<string, string>} files wxfile:// paths the scene handed to the page, as data: URLs
 */
function imageUrl(src, files) {
  if (!src) return '';
  if (src.startsWith('data:')) return src;
  if (files.has(src)) return files.get(src) ?? '';
  if (/^[a-z]+:/i.test(src)) return ''; // wxfile://, http(s):// : cannot be loaded offline
  const file = path.join(MINIPROGRAM_ROOT, src.replace(/^\//, ''));
  if (!fs.existsSync(file)) return '';
  const type = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.svg': 'image/svg+xml' }[
    path.extname(file).toLowerCase()
  ];
  return type ? `data:${type};base64,${fs.readFileSync(file).toString('base64')}` : '';
}

/**
 * @param {Element} src the simulator's element
 * @param {Element} dst its clone, to fix
 * @param {Map<string, string>} files
 */
function fixElement(src, dst, files) {
  const attrs = rawAttrs(src);
  if (!attrs) return;
  const tag = src.tagName.toLowerCase();
  if (typeof attrs.style === 'string') {
    if (attrs.style.trim()) dst.setAttribute('style', rpx(attrs.style));
    else dst.removeAttribute('style');
  }
  if (attrs.hidden === true || attrs.hidden === 'true') dst.setAttribute('hidden', '');

  if (tag === 'wx-input' || tag === 'wx-textarea') {
    const doc = dst.ownerDocument;
    const value = attrs.value === undefined || attrs.value === null ? '' : String(attrs.value);
    const span = doc.createElement('span');
    if (value) {
      span.className = '__wx-input-value';
      span.textContent = attrs.password === true || attrs.type === 'password' ? '•'.repeat(value.length) : value;
    } else {
      span.className = `__wx-input-placeholder ${prefixedLike(src, attrs.class, attrs.placeholderClass)}`.trim();
      span.textContent = String(attrs.placeholder ?? '');
      if (attrs.placeholderStyle) span.setAttribute('style', rpx(String(attrs.placeholderStyle)));
    }
    dst.replaceChildren(span);
  }

  if (tag === 'wx-image') {
    // As WeChat draws it: an inner box with the picture as its background, so
    // the element's own class (a background colour, a size) does not touch it.
    const url = imageUrl(String(attrs.src ?? ''), files);
    const mode = String(attrs.mode ?? 'scaleToFill');
    const doc = dst.ownerDocument;
    dst.replaceChildren();
    if (url && (mode === 'widthFix' || mode === 'heightFix')) {
      const img = doc.createElement('img');
      img.setAttribute('src', url);
      dst.appendChild(img);
      dst.setAttribute('style', `height:auto;${dst.getAttribute('style') ?? ''}`);
    } else {
      const inner = doc.createElement('div');
      inner.className = url ? '__wx-image-picture' : '__wx-image-missing';
      const size = { aspectFit: 'contain', aspectFill: 'cover' }[mode] ?? '100% 100%';
      inner.setAttribute('style', url ? `background-image:url("${url}");background-size:${size}` : '');
      dst.appendChild(inner);
    }
  }
}

/**
 * tdesign's cell group takes the bottom border off its last cell through a
 * component relation the simulator does not link (the loader registers
 * components by id, tdesign looks them up by path): done here instead.
 * @param {Element} root
 */
function lastCellsWithoutBorder(root) {
  const hasClass = (/** @type {Element} */ el, /** @type {string} */ suffix) =>
    Array.from(el.classList).some((c) => c === suffix || c.endsWith(`--${suffix}`));
  for (const group of Array.from(root.querySelectorAll('*')).filter((el) => hasClass(el, 't-cell-group'))) {
    const cells = Array.from(group.querySelectorAll('*')).filter(
      (el) => hasClass(el, 't-cell') && el.parentElement?.closest('[class*="t-cell-group"]') === group,
    );
    const last = cells[cells.length - 1];
    if (!last) continue;
    for (const cls of Array.from(last.classList)) if (/(^|--)t-cell--bordered$/.test(cls)) last.classList.remove(cls);
  }
}

/**
 * @param {Element} src @param {Element} dst @param {Map<string, string>} files
 */
function fixTree(src, dst, files) {
  fixElement(src, dst, files);
  const a = src.children;
  const b = dst.children;
  for (let i = 0; i < a.length && i < b.length; i++) fixTree(a[i], b[i], files);
}

// ---- the page document ------------------------------------------------------------------

/**
 * The page's HTML document: its DOM as it is now, with every style it uses.
 * @param {{dom?: Element | null}} page a page from renderPage()
 * @param {string} route "packages/funds/pages/withdraw/index"
 * @param {{lang: string, files?: Map<string, string>}} options
 */
function pageDocument(page, route, options) {
  const dom = page.dom;
  if (!dom) throw new Error(`${route}: the page has no DOM`);
  const clone = /** @type {Element} */ (dom.cloneNode(true));
  fixTree(dom, clone, options.files ?? new Map());
  lastCellsWithoutBorder(clone);
  const body = clone.outerHTML;

  const pageFile = path.join(MINIPROGRAM_ROOT, route);
  const css = [BUILTIN_CSS, FONT_CSS];
  const app = wxss.getContent(path.join(MINIPROGRAM_ROOT, 'app.wxss'));
  // app.wxss applies to pages: their classes carry the page tag "main".
  if (app) css.push(browserCss(wxss.compile(app, { prefix: 'main' }), 'main'));
  for (const file of componentFiles(pageFile)) {
    const entry = recorded.get(file);
    if (entry) css.push(browserCss(entry.css, entry.prefix || 'main'));
  }
  css.push(iconCss(body));

  return [
    '<!doctype html>',
    `<html lang="${options.lang}"><head><meta charset="utf-8">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${route}</title>`,
    `<style>\n${css.join('\n')}\n</style></head>`,
    `<body>${body}</body></html>`,
  ].join('\n');
}

module.exports = { recordWxss, pageDocument, browserCss, componentFiles };
