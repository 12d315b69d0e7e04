// The merchant application's states (WeChat Pay applyment states, DESIGN §3)
// as people read them. Shared by the home page and the onboarding flow.

export type ApplicationState =
  | 'EDITING'
  | 'AUDITING'
  | 'REJECTED'
  | 'TO_BE_CONFIRMED'
  | 'TO_BE_SIGNED'
  | 'SIGNING'
  | 'FINISHED'
  | 'CANCELED';

const LABELS: Record<ApplicationState, string> = {
  EDITING: 'Draft, not submitted yet',
  AUDITING: 'Under review',
  REJECTED: 'Rejected: changes needed',
  TO_BE_CONFIRMED: 'Waiting for account verification',
  TO_BE_SIGNED: 'Waiting for you to sign the contract',
  SIGNING: 'Contract being signed',
  FINISHED: 'Approved and bound',
  CANCELED: 'Canceled',
};

/** A state this app does not know yet still shows, as itself. */
export function applicationStateLabel(state: string): string {
  return Object.prototype.hasOwnProperty.call(LABELS, state) ? LABELS[state as ApplicationState] : state;
}

/** Still going somewhere: the admin has something to do or wait for. */
export function isOpenApplication(state: string): boolean {
  return state !== 'FINISHED' && state !== 'CANCELED';
}
