// merchant: the mini program's merchant status, the admin role, and (with
// onboarding) the merchant account application.
import { createMain } from '../core/runtime/main';
import { applicationActions } from './actions';
import { statusActions } from './status';

export const main = createMain('merchant', {
  ...statusActions,
  ...applicationActions,
});
