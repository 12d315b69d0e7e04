// merchant: the mini program's merchant status, the admin role, and (with
// onboarding) the merchant account application.
import { createMain } from '../core/runtime/main';
import { statusActions } from './status';
import { applicationActions } from './application';
import { documentActions } from './documents';

export const main = createMain('merchant', {
  ...statusActions,
  ...applicationActions,
  ...documentActions,
});
