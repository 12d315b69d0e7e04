// Every router function the local gateway and the test harness serve, by name.
import type { Main } from '../core/runtime/main';
import { main as checkout } from '../checkout';
import { main as funds } from '../funds';
import { main as merchant } from '../merchant';

export const functions: Record<string, Main> = {
  merchant,
  checkout,
  funds,
};
