// What the app needs to know before it shows checkout: whether payment
// management is offered (and so which payment API to use), and whether the
// mini program can take payments at all.
import { z } from 'zod';
import type { CheckoutStatus } from '../../typings/checkout';
import { action } from '../core/runtime/action';
import type { MerchantDoc } from '../merchant/status';
import { serviceStatus } from './service-status';

export const statusActions = {
  getCheckoutStatus: action({
    roles: ['buyer', 'admin'],
    input: z.object({}).strict(),
    async handler(_input, { deps, identity, role }): Promise<CheckoutStatus> {
      const merchant = await deps.store.get<MerchantDoc>('merchants', identity.appid);
      return { service: serviceStatus(), role, merchantBound: merchant !== null, merchantName: merchant?.name ?? null };
    },
  }),
};
