// The merchant application's states (WeChat Pay applyment states, DESIGN §3)
// as people read them. Shared by the home page and the onboarding flow.
import { t } from '../i18n';

export type ApplicationState =
  | 'EDITING'
  | 'AUDITING'
  | 'REJECTED'
  | 'TO_BE_CONFIRMED'
  | 'TO_BE_SIGNED'
  | 'SIGNING'
  | 'FINISHED'
  | 'CANCELED';

/** A state this app does not know yet still shows, as itself. */
export function applicationStateLabel(state: string): string {
  const labels = t().applicationStates;
  return Object.prototype.hasOwnProperty.call(labels, state) ? labels[state as ApplicationState] : state;
}

/** Still going somewhere: the admin has something to do or wait for. */
export function isOpenApplication(state: string): boolean {
  return state !== 'FINISHED' && state !== 'CANCELED';
}
