// Shared by the hardening suites: every action of every router function
// (from the same tables the functions are built from), a second registered
// mini program with its own admin, and a fingerprint of everything stored.
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { checkoutActions } from '../../cloudfunctions/checkout/actions';
import { main as checkout } from '../../cloudfunctions/checkout';
import { DEMO_APPID, demoMiniProgram } from '../../cloudfunctions/core/config';
import type { Action } from '../../cloudfunctions/core/runtime/action';
import type { Identity } from '../../cloudfunctions/core/runtime/identity';
import type { Main } from '../../cloudfunctions/core/runtime/main';
import { fundsActions } from '../../cloudfunctions/funds/actions';
import { main as funds } from '../../cloudfunctions/funds';
import { main as merchant } from '../../cloudfunctions/merchant';
import { applicationActions } from '../../cloudfunctions/merchant/actions';
import { statusActions } from '../../cloudfunctions/merchant/status';
import { ADMIN_OPENID, BUYER_OPENID, type TestDeps } from '../support/deps';

export interface RoutedAction {
  fn: string;
  main: Main;
  name: string;
  action: Action;
}

const tables: Array<[string, Main, Record<string, Action>]> = [
  ['merchant', merchant, { ...statusActions, ...applicationActions }],
  ['checkout', checkout, checkoutActions],
  ['funds', funds, fundsActions],
];

export const ACTIONS: RoutedAction[] = tables.flatMap(([fn, main, actions]) =>
  Object.entries(actions).map(([name, action]) => ({ fn, main, name, action })),
);

export const OTHER_APPID = 'wxb0b0b0b0b0b0b0b0';
export const OTHER_ADMIN = 'o_admin_of_other_000000000001';

/** Mini program B, registered beside the demo (A), with its own configured admin. */
export function registerOtherMiniProgram(deps: TestDeps): void {
  deps.config.miniPrograms[OTHER_APPID] = {
    ...structuredClone(demoMiniProgram),
    appid: OTHER_APPID,
    name: 'Other Shop',
    admins: [OTHER_ADMIN],
  };
}

/** Everyone who may knock on mini program A's door. */
export const CALLERS: Array<{ who: string; identity: Identity | null }> = [
  { who: 'anonymous', identity: null },
  { who: 'buyer', identity: { openid: BUYER_OPENID, appid: DEMO_APPID } },
  { who: 'another buyer', identity: { openid: 'o_buyer_0000000000000000002', appid: DEMO_APPID } },
  { who: "B's admin", identity: { openid: OTHER_ADMIN, appid: DEMO_APPID } },
  { who: 'third-party platform', identity: { openid: ADMIN_OPENID, appid: DEMO_APPID, fromAppid: 'wx_third_party' } },
  { who: 'admin', identity: { openid: ADMIN_OPENID, appid: DEMO_APPID } },
];

/** A digest of every stored row: equal digests, nothing written. */
export function storedDigest(deps: TestDeps): string {
  const db = (deps.store as unknown as { db: Database.Database }).db;
  const hash = crypto.createHash('sha256');
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  for (const { name } of names) {
    for (const row of db.prepare(`SELECT id, doc FROM "${name}" ORDER BY id`).all() as Array<{
      id: string;
      doc: string;
    }>) {
      hash.update(`${name}\n${row.id}\n${row.doc}\n`);
    }
  }
  return hash.digest('hex');
}
