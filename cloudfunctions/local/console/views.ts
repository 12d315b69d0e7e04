// HTML building blocks for the console. Everything goes through `html`, which
// escapes every interpolated value unless it is already Html, so no stored
// text can become markup. The pages carry no script at all.
import { beijingDateTime } from '../../../miniprogram/shared/beijing';
import { formatFen } from '../../../miniprogram/shared/money';
import type { PageCtx } from './context';
import { type StateKind, stateLabel } from './states';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template whose interpolations are escaped (arrays joined, null/undefined/false left out). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

export const nothing = new Html('');

// ---- values ---------------------------------------------------------------------------------

export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">-</span>`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? html`${iso}` : html`<time datetime="${iso}">${beijingDateTime(at)}</time>`;
}

export function fen(amount: number | null | undefined, sign = false): Html {
  return amount === null || amount === undefined || !Number.isSafeInteger(amount)
    ? html`<span class="muted">-</span>`
    : html`<span class="money">${formatFen(amount, { sign })}</span>`;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'plain';

/** A state: its words in the page's language, and its code. */
export function tag(label: string, code: string, tone: Tone = 'plain'): Html {
  return html`<span class="tag ${tone}" data-state="${code}">${label}</span>`;
}

export function code(text: string | number | null | undefined): Html {
  return text === null || text === undefined || text === ''
    ? html`<span class="muted">-</span>`
    : html`<code>${text}</code>`;
}

/** A state of `kind` in the page's language, with its code for tests and developers. */
export function stateTag(ctx: PageCtx, kind: StateKind, state: string | null | undefined): Html {
  if (!state) return html`<span class="muted">-</span>`;
  const { label, tone } = stateLabel(ctx.lang, kind, state);
  return tag(label, state, tone);
}

/** The same thing's state at WeChat Pay (the sandbox), under ours. */
export function remoteTag(ctx: PageCtx, kind: StateKind, state: string): Html {
  return html`<br><span class="muted small">${ctx.m.wechatSide}</span> ${stateTag(ctx, kind, state)}`;
}

/** A value as one line of JSON, for job results and anomaly details (escaped like everything else). */
export function json(value: unknown): Html {
  return html`<code class="json">${JSON.stringify(value) ?? ''}</code>`;
}

// ---- structure ------------------------------------------------------------------------------

export function section(id: string, title: string, body: Html | Html[], note?: string): Html {
  return html`<section id="${id}"><h2>${title}</h2>${note ? html`<p class="note">${note}</p>` : nothing}${body}</section>`;
}

/** A row that spans the whole table (a nested list under the row before it). */
export interface WideRow {
  wide: Html;
}

export function table(headers: string[], rows: Array<Html[] | WideRow>, empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  const row = (r: Html[] | WideRow) =>
    Array.isArray(r)
      ? html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`
      : html`<tr class="wide"><td colspan="${headers.length}">${r.wide}</td></tr>`;
  return html`<div class="scroll"><table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${rows.map(row)}</tbody></table></div>`;
}

/** Label/value pairs. */
export function facts(pairs: Array<[string, Html | string | number]>): Html {
  return html`<dl class="facts">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

// ---- actions --------------------------------------------------------------------------------

export interface FormOptions {
  /** Visible inputs placed before the button. */
  inputs?: Html;
  tone?: 'primary' | 'danger' | 'plain';
  /** Names the button for tests and screen readers when the label alone is ambiguous. */
  title?: string;
}

/** A form that POSTs one console action and comes back to this page. */
export function actionForm(
  ctx: PageCtx,
  action: string,
  fields: Record<string, string>,
  label: string,
  options: FormOptions = {},
): Html {
  const hidden = { ...fields, csrf: ctx.csrf, tab: ctx.tab, appid: ctx.appid, lang: ctx.lang };
  return html`<form method="post" action="/console/actions/${action}" class="action">${Object.entries(hidden).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}${options.inputs ?? nothing}<button type="submit" class="${options.tone ?? 'plain'}"${
    options.title ? html` title="${options.title}"` : nothing
  }>${label}</button></form>`;
}

export function actions(forms: Html[]): Html {
  return forms.length ? html`<div class="actions">${forms}</div>` : nothing;
}
