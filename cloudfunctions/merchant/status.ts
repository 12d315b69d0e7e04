// The mini program's merchant status and the admin role's claim.
import { z } from 'zod';
import { claimAdmin } from '../core/merchants/admin-claim';
import { merchantStatus } from '../core/merchants/status';
import { action } from '../core/runtime/action';

export const statusActions = {
  getStatus: action({
    roles: ['buyer', 'admin'],
    input: z.object({}).strict(),
    handler: (_input, ctx) => merchantStatus(ctx),
  }),

  /** The mini program's own setup code makes the caller its merchant admin, once. */
  claimAdmin: action({
    roles: ['buyer', 'admin'],
    input: z.object({ code: z.string().min(4).max(64) }).strict(),
    async handler({ code }, { deps, identity, miniProgram }) {
      await claimAdmin(deps, miniProgram, identity.openid, code);
      return { role: 'admin' as const };
    },
  }),
};
