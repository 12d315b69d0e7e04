// The console's page frame (header, tabs, mini program switch, language
// switch, the flash message) around each tab, and its one style sheet.
import type { PageCtx, Tab } from './context';
import { pageUrl, TABS } from './context';
import { fmt, type Messages } from './i18n';
import { fundsTab } from './funds';
import { overviewTab } from './overview';
import { paymentsTab } from './payments';
import { duration, sandboxTab } from './sandbox-jobs';
import { type Html, html, nothing, time } from './views';

export interface Flash {
  ok: boolean;
  text: string;
}

const TAB_LABEL: Record<Tab, keyof Messages> = {
  overview: 'tabOverview',
  payments: 'tabPayments',
  funds: 'tabFunds',
  sandbox: 'tabSandbox',
};

const CONTENT: Record<Tab, (ctx: PageCtx) => Promise<Html>> = {
  overview: overviewTab,
  payments: paymentsTab,
  funds: fundsTab,
  sandbox: sandboxTab,
};

export async function renderPage(ctx: PageCtx, flash: Flash | null): Promise<string> {
  const { m } = ctx;
  const content = await CONTENT[ctx.tab](ctx);
  const other = ctx.lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  const programs = Object.values(ctx.env.deps.config.miniPrograms);
  const offset = ctx.env.clock.offsetMs;
  return html`<!doctype html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.title} · ${m[TAB_LABEL[ctx.tab]]}</title><link rel="stylesheet" href="/console/console.css"></head>
<body><header>
<div class="top"><div class="brand"><h1>${m.title}</h1><span class="muted">${m.subtitle}</span></div>
<div class="meta">${m.stackTime} ${time(ctx.now.toISOString())}${
    offset > 0 ? html` <span class="tag warn">${fmt(m.ahead, { d: duration(offset) })}</span>` : nothing
  } · <a href="${pageUrl(ctx.tab, ctx.appid, other)}" hreflang="${other}" lang="${other}">${m.otherLang}</a></div></div>
<nav class="tabs">${TABS.map((tab) =>
    tab === ctx.tab
      ? html`<a class="current" aria-current="page" href="${pageUrl(tab, ctx.appid, ctx.lang)}">${m[TAB_LABEL[tab]]}</a>`
      : html`<a href="${pageUrl(tab, ctx.appid, ctx.lang)}">${m[TAB_LABEL[tab]]}</a>`,
  )}</nav>
${
  programs.length > 1
    ? html`<nav class="apps">${m.miniProgram}: ${programs.map((p) =>
        p.appid === ctx.appid
          ? html`<strong>${p.name}</strong>`
          : html`<a href="${pageUrl(ctx.tab, p.appid, ctx.lang)}">${p.name}</a>`,
      )}</nav>`
    : nothing
}
</header><main>
${flash ? html`<p class="flash ${flash.ok ? 'ok' : 'bad'}" role="status">${flash.text}</p>` : nothing}
${content}
</main></body></html>`.value;
}

/** The page for a request that cannot be served (bad form token, unknown action). */
export function refusalPage(m: Messages, text: string): string {
  return html`<!doctype html><html><head><meta charset="utf-8"><title>${m.title}</title>
<link rel="stylesheet" href="/console/console.css"></head><body><main><p class="flash bad">${text}</p>
<p><a href="/console">${m.title}</a></p></main></body></html>`.value;
}

export const CSS = `
:root{--green:#07c160;--line:#e6e6e6;--muted:#777;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:#1f2329;font:14px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
header{background:#fff;border-bottom:1px solid var(--line);padding:.6rem 1.2rem 0}
.top{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;gap:.5rem}
.brand h1{display:inline;font-size:1.25rem;margin:0 .6rem 0 0}
.tabs{display:flex;gap:.2rem;margin-top:.4rem}
.tabs a{padding:.45rem .9rem;border-radius:6px 6px 0 0;color:#1f2329;text-decoration:none}
.tabs a.current{background:var(--bg);border:1px solid var(--line);border-bottom-color:var(--bg);font-weight:600;margin-bottom:-1px}
.apps{padding:.3rem 0 .5rem;display:flex;gap:.8rem;flex-wrap:wrap}
main{padding:1rem 1.2rem 3rem;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:0 0 1rem}
h2{font-size:1.1rem;margin:.1rem 0 .5rem}h3{font-size:1rem;margin:.6rem 0 .4rem}h4{font-size:.95rem;margin:.6rem 0 .3rem}
.note{color:var(--muted);margin:.2rem 0 .6rem;font-size:.9em}
.empty,.muted{color:var(--muted)}
a{color:#576b95}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th{font-weight:600;background:#fafafa;white-space:nowrap}
tr.wide>td{background:#fbfcfd;padding-left:2rem}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,monospace;font-size:.88em;background:#f2f3f5;padding:0 .25rem;border-radius:3px;overflow-wrap:anywhere}
time{white-space:nowrap}
td:first-child>code:first-child{white-space:nowrap}
.money{white-space:nowrap;font-variant-numeric:tabular-nums}
.tag{display:inline-block;padding:0 .45rem;border-radius:4px;font-size:.85em;background:#f2f3f5;color:#444;white-space:nowrap}
.tag.ok{background:#e8f8ef;color:#05803f}.tag.warn{background:#fff4e0;color:#9a5b00}
.tag.bad{background:#fdecec;color:#b42318}.tag.info{background:#e9f1ff;color:#1d4ed8}
.flash{padding:.6rem .9rem;border-radius:6px;margin:0 0 1rem;font-weight:500}
.flash.ok{background:#e8f8ef;border:1px solid #b7e9cb}.flash.bad{background:#fdecec;border:1px solid #f5c2c0}
.card{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin:.6rem 0}
.card h3{margin-top:.2rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.3rem 0}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.history ol,.attempts,.runs,.postings{margin:.2rem 0;padding-left:1.2rem}
.reason{color:#b42318}
.actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:flex-end;margin:.5rem 0}
form.action{display:inline-flex;flex-wrap:wrap;gap:.4rem;align-items:flex-end;margin:0}
.reject{display:flex;flex-wrap:wrap;gap:.4rem}
label{display:inline-flex;flex-direction:column;font-size:.85em;color:var(--muted)}
input,select{font:inherit;font-size:14px;padding:.3rem .4rem;border:1px solid #ccc;border-radius:4px;color:#1f2329;min-width:10rem}
button{font:inherit;padding:.35rem .8rem;border-radius:5px;border:1px solid #c9cdd4;background:#fff;cursor:pointer;white-space:nowrap}
button.primary{background:var(--green);border-color:var(--green);color:#fff}
button.danger{background:#fff;border-color:#e5484d;color:#b42318}
button:hover{filter:brightness(.96)}
code.json{display:block;margin:.1rem 0 .3rem;font-size:.8em;color:#555}
.small{font-size:.8em}
details{margin-top:.5rem}summary{cursor:pointer;color:#576b95}
`;
