// Merchant admins: the openids the mini program's configuration lists, plus
// the one user who claimed the role with the one-time setup code.
import crypto from 'node:crypto';
import type { Role } from '../../../typings/api';
import type { MiniProgramRecord } from '../config';
import { AppError } from '../errors';
import { isDuplicate } from '../ports/store';
import type { Deps } from './deps';

export interface AdminDoc {
  _id: string; // appid (one claimed admin per mini program)
  appid: string;
  openid: string;
  claimedAt: string;
  [field: string]: unknown;
}

export async function roleOf(deps: Deps, miniProgram: MiniProgramRecord, openid: string): Promise<Role> {
  if (miniProgram.admins.includes(openid)) return 'admin';
  const claimed = await deps.store.get<AdminDoc>('admins', miniProgram.appid);
  return claimed?.openid === openid ? 'admin' : 'buyer';
}

export async function claimAdmin(deps: Deps, miniProgram: MiniProgramRecord, openid: string, code: string): Promise<void> {
  const expected = deps.config.setupCode;
  if (!expected) throw new AppError('AUTH.SETUP_CODE_DISABLED', 'No setup code is configured for this deployment');
  const a = Buffer.from(code);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) {
    throw new AppError('AUTH.SETUP_CODE_INVALID', 'That setup code is not right');
  }
  try {
    // The id is the appid, so only the first claim can ever be inserted.
    await deps.store.insert<AdminDoc>('admins', { _id: miniProgram.appid, appid: miniProgram.appid, openid, claimedAt: deps.clock.now().toISOString() });
  } catch (err) {
    if (isDuplicate(err)) throw new AppError('AUTH.ADMIN_ALREADY_CLAIMED', 'The merchant admin role of this mini program has already been claimed');
    throw err;
  }
}
