// Who the caller is to this mini program: its merchant admin (an openid its
// registration lists or, when it lists none, the one user who claimed the
// role with the mini program's own setup code; see merchants/admin-claim.ts)
// or a buyer.
import type { Role } from '../../../typings/api';
import type { MiniProgramRecord } from '../config';
import type { Deps } from './deps';

export interface AdminDoc {
  _id: string; // appid (one claimed admin per mini program: the insert spends the code)
  appid: string;
  openid: string;
  claimedAt: string;
  /** How the role was obtained (never the code itself). */
  via?: 'setup-code';
  [field: string]: unknown;
}

export async function roleOf(deps: Deps, miniProgram: MiniProgramRecord, openid: string): Promise<Role> {
  // Configured admins are the only admins: a claim recorded for such a mini
  // program (before its admins were configured, or by an older release that
  // did not check) gives nothing.
  if (miniProgram.admins.length > 0) return miniProgram.admins.includes(openid) ? 'admin' : 'buyer';
  const claimed = await deps.store.get<AdminDoc>('admins', miniProgram.appid);
  return claimed?.openid === openid ? 'admin' : 'buyer';
}
