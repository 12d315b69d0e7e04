import { z } from 'zod';
import type { MerchantStatus } from '../../typings/api';
import type { MerchantType } from '../../typings/onboarding';
import { action } from '../core/runtime/action';
import { claimAdmin } from '../core/runtime/roles';
import { maskMchid } from '../core/domain/mask';

export interface MerchantDoc {
  _id: string; // appid: one bound merchant account per mini program
  appid: string;
  subMchid: string;
  name: string;
  /** Fee rate in parts per million: 6000 = 0.6%. */
  feeRatePpm: number;
  boundAt: string;
  /** WeChat Pay's SUBJECT_TYPE_*: funds allows a personal settlement account only for SUBJECT_TYPE_INDIVIDUAL. */
  subjectType: string;
  /** An individual business's operator (legal person) as on the licence, sealed: the name a personal account must carry. */
  operatorNameSealed?: string;
  /** Set when bound through onboarding (onboarding's own records; funds does not read them). */
  applicationId?: string;
  merchantType?: MerchantType;
  [field: string]: unknown;
}

interface ApplicationSummaryDoc {
  _id: string;
  appid: string;
  state: string;
  updatedAt: string;
  [field: string]: unknown;
}

export const statusActions = {
  getStatus: action({
    roles: ['buyer', 'admin'],
    input: z.object({}).strict(),
    async handler(_input, { deps, identity, role, miniProgram }): Promise<MerchantStatus> {
      const merchant = await deps.store.get<MerchantDoc>('merchants', identity.appid);
      let application: MerchantStatus['application'] = null;
      if (role === 'admin') {
        const page = await deps.store.find<ApplicationSummaryDoc>('applications', {
          where: { appid: identity.appid },
          orderBy: [['createdAt', 'desc']],
          limit: 1,
        });
        const latest = page.items[0];
        if (latest) application = { id: latest._id, state: latest.state, updatedAt: latest.updatedAt };
      }
      return {
        appid: identity.appid,
        miniProgramName: miniProgram.name,
        role,
        merchant: merchant
          ? { mchid: maskMchid(merchant.subMchid), name: merchant.name, feeRatePpm: merchant.feeRatePpm, boundAt: merchant.boundAt }
          : null,
        application,
      };
    },
  }),

  claimAdmin: action({
    roles: ['buyer', 'admin'],
    input: z.object({ code: z.string().min(4).max(64) }).strict(),
    async handler({ code }, { deps, identity, miniProgram }) {
      await claimAdmin(deps, miniProgram, identity.openid, code);
      return { role: 'admin' as const };
    },
  }),
};
