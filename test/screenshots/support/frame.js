// @ts-check
// The phone around a page for scripts/screenshots.js: a 44 px status bar, a
// 44 px navigation bar (back arrow below the first page, the page title, the
// mini program capsule) and the page in an iframe 375 px wide, so 100vh and
// fixed bars behave as in the mini program's web view. Also the contact sheet.

const SCREEN = { width: 375, height: 812, bars: 88 };

/** @param {string} s */
const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const FONT = `
@font-face{font-family:"Phone UI";font-weight:100 500;src:local("Noto Sans CJK SC"),local("NotoSansCJKsc-Regular")}
@font-face{font-family:"Phone UI";font-weight:600 900;src:local("Noto Sans CJK SC Bold"),local("NotoSansCJKsc-Bold")}`;

/**
 * @param {{title: string, home: boolean, navigationBarBackgroundColor: string, navigationBarTextStyle: string}} meta
 * @param {string} pageUrl the page document (file:// URL)
 */
function frameHtml(meta, pageUrl) {
  const fg = meta.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000';
  const bg = meta.navigationBarBackgroundColor || '#ffffff';
  const capsuleBg = fg === '#ffffff' ? 'rgba(0,0,0,.15)' : 'rgba(255,255,255,.6)';
  const capsuleLine = fg === '#ffffff' ? 'rgba(255,255,255,.25)' : 'rgba(0,0,0,.12)';
  const back = meta.home
    ? ''
    : `<svg class="back" viewBox="0 0 24 24" width="24" height="24"><path d="M15 4.5 7.5 12l7.5 7.5" fill="none" stroke="${fg}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
${FONT}
html,body{margin:0;background:#fff}
.phone{width:${SCREEN.width}px;font-family:"Phone UI",sans-serif;color:${fg}}
.bars{background:${bg};position:relative;z-index:1}
.status{height:44px;display:flex;align-items:center;justify-content:space-between;padding:0 22px 0 30px;box-sizing:border-box;
  font-size:15px;font-weight:700;letter-spacing:.2px}
.status .icons{display:flex;gap:6px;align-items:center}
.nav{height:44px;position:relative;display:flex;align-items:center;justify-content:center}
.title{font-size:17px;font-weight:600;max-width:${SCREEN.width - 2 * 104}px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.back{position:absolute;left:10px;top:10px}
.capsule{position:absolute;right:7px;top:6px;width:87px;height:32px;box-sizing:border-box;border-radius:16px;
  border:.5px solid ${capsuleLine};background:${capsuleBg};display:flex;align-items:center}
.capsule>span{flex:1;display:flex;align-items:center;justify-content:center;height:100%}
.capsule .sep{flex:0 0 .5px;height:18px;background:${capsuleLine}}
iframe{display:block;border:0;width:${SCREEN.width}px;height:${SCREEN.height - SCREEN.bars}px}
</style></head><body><div class="phone">
<div class="bars">
<div class="status"><span>9:41</span><span class="icons">
<svg viewBox="0 0 18 12" width="18" height="12"><g fill="${fg}"><rect x="0" y="8" width="3" height="4" rx="1"/><rect x="5" y="5.5" width="3" height="6.5" rx="1"/><rect x="10" y="3" width="3" height="9" rx="1"/><rect x="15" y="0" width="3" height="12" rx="1"/></g></svg>
<svg viewBox="0 0 16 12" width="16" height="12"><g fill="none" stroke="${fg}" stroke-width="1.8" stroke-linecap="round"><path d="M1.5 4.5a9.5 9.5 0 0 1 13 0"/><path d="M4 7.3a6 6 0 0 1 8 0"/></g><circle cx="8" cy="10.2" r="1.5" fill="${fg}"/></svg>
<svg viewBox="0 0 27 13" width="27" height="13"><rect x=".5" y=".5" width="23" height="12" rx="3.5" fill="none" stroke="${fg}" stroke-opacity=".4"/><rect x="2" y="2" width="20" height="9" rx="2" fill="${fg}"/><path d="M25 4.5v4a2 2 0 0 0 0-4z" fill="${fg}" fill-opacity=".4"/></svg>
</span></div>
<div class="nav">${back}<span class="title">${escapeHtml(meta.title)}</span>
<span class="capsule"><span><svg viewBox="0 0 20 6" width="20" height="6"><g fill="${fg}"><circle cx="3" cy="3" r="2.2"/><circle cx="10" cy="3" r="2.8"/><circle cx="17" cy="3" r="2.2"/></g></svg></span><span class="sep"></span>
<span><svg viewBox="0 0 20 20" width="19" height="19"><circle cx="10" cy="10" r="7.6" fill="none" stroke="${fg}" stroke-width="1.9"/><circle cx="10" cy="10" r="2.9" fill="${fg}"/></svg></span></span>
</div></div>
<iframe id="page" src="${escapeHtml(pageUrl)}"></iframe>
</div></body></html>
`;
}

/**
 * A grid of thumbnails (top screen of each), captioned.
 * @param {Array<{url: string, caption: string}>} shots
 * @param {{columns: number, thumbWidth: number, title: string}} options
 */
function contactSheetHtml(shots, options) {
  const thumbHeight = Math.round((options.thumbWidth * SCREEN.height) / SCREEN.width);
  const cells = shots
    .map(
      (s) =>
        `<figure><div class="shot"><img src="${escapeHtml(s.url)}"></div><figcaption>${escapeHtml(s.caption)}</figcaption></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
${FONT}
html,body{margin:0;background:#eef0f3}
body{font-family:"Phone UI",sans-serif;color:#1f2329;padding:20px 20px 8px;display:inline-block}
h1{font-size:16px;font-weight:600;margin:0 0 14px}
.grid{display:grid;grid-template-columns:repeat(${options.columns},${options.thumbWidth}px);gap:18px 16px}
figure{margin:0}
.shot{width:${options.thumbWidth}px;height:${thumbHeight}px;overflow:hidden;border-radius:10px;background:#fff;
  box-shadow:0 1px 3px rgba(0,0,0,.18)}
.shot img{display:block;width:100%}
figcaption{font-size:12px;text-align:center;margin-top:6px;color:#4e5969;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
</style></head><body><h1>${escapeHtml(options.title)}</h1><div class="grid">
${cells}
</div></body></html>
`;
}

module.exports = { SCREEN, contactSheetHtml, frameHtml };
