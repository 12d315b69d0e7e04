// Functions behind an HTTP trigger (CloudBase "HTTP access"), by name.
import type { HttpMain } from '../core/runtime/http';
import { main as payNotify } from '../payNotify';

export const httpFunctions: Record<string, HttpMain> = {
  payNotify,
};
