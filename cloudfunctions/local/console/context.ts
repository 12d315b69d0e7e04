// What the console works with: the stack's own parts (the same deps the
// functions use, the in-process sandbox, the job timers, the clock) and,
// per request, the page being drawn.
import type { Deps } from '../../core/runtime/deps';
import type { Sandbox } from '../sandbox/server';
import type { JobTimers } from '../timers';
import type { LocalClock } from './clock';
import type { SandboxEvents } from './events';
import type { Lang, Messages } from './i18n';

export interface ConsoleEnv {
  deps: Deps;
  sandbox: Sandbox;
  jobs: JobTimers;
  clock: LocalClock;
  events: SandboxEvents;
}

export const TABS = ['overview', 'payments', 'funds', 'sandbox'] as const;
export type Tab = (typeof TABS)[number];

/** One page being drawn. */
export interface PageCtx {
  env: ConsoleEnv;
  lang: Lang;
  m: Messages;
  tab: Tab;
  /** The mini program shown. */
  appid: string;
  /** Every form carries it; actions without it are refused. */
  csrf: string;
  now: Date;
}

export function tabPath(tab: Tab): string {
  return tab === 'overview' ? '/console' : `/console/${tab}`;
}

/** A console URL for `tab` showing `appid` in `lang` (Chinese is the default and needs no parameter). */
export function pageUrl(tab: Tab, appid: string, lang: Lang, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ appid, ...(lang === 'zh-CN' ? {} : { lang }), ...extra });
  return `${tabPath(tab)}?${query.toString()}`;
}
