// What the home page shows: the mini program, the caller's role, the bound
// merchant account (masked) and, for the admin, the latest application.
import type { MerchantStatus } from '../../../typings/api';
import { maskMchid } from '../domain/mask';
import type { Doc } from '../ports/store';
import type { CallContext } from '../runtime/action';
import { findMerchant } from './merchant';

interface ApplicationSummaryDoc extends Doc {
  appid: string;
  state: string;
  updatedAt: string;
}

export async function merchantStatus({ deps, identity, role, miniProgram }: CallContext): Promise<MerchantStatus> {
  const merchant = await findMerchant(deps, identity.appid);
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
      ? {
          mchid: maskMchid(merchant.subMchid),
          name: merchant.name,
          feeRatePpm: merchant.feeRatePpm,
          boundAt: merchant.boundAt,
        }
      : null,
    application,
  };
}
