// What the sandbox reported since this start (its `log` hook), kept in memory
// for the console: an application's history is the states WeChat Pay moved
// it through. Only the fields named here are kept, so nothing personal the
// sandbox might log ever reaches a page.
import type { Clock } from '../../core/ports/clock';

export interface SandboxEvent {
  at: string;
  message: string;
  /** business_code, state, id, ref, ... as plain strings. */
  data: Record<string, string>;
}

const KEPT_FIELDS = ['business_code', 'state', 'id', 'event', 'ref', 'key'];

export class SandboxEvents {
  private readonly events: SandboxEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly keep = 1000,
  ) {}

  record(message: string, data: Record<string, unknown> = {}): void {
    const kept: Record<string, string> = {};
    for (const field of KEPT_FIELDS) {
      const value = data[field];
      if (typeof value === 'string' || typeof value === 'number') kept[field] = String(value);
    }
    this.events.push({ at: this.clock.now().toISOString(), message, data: kept });
    if (this.events.length > this.keep) this.events.splice(0, this.events.length - this.keep);
  }

  /** The states an application (business_code) went through at WeChat Pay, oldest first. */
  applyment(businessCode: string): Array<{ at: string; state: string }> {
    const out: Array<{ at: string; state: string }> = [];
    for (const e of this.events) {
      if (e.message !== 'applyment' || e.data.business_code !== businessCode || !e.data.state) continue;
      // The sandbox saves a document more often than it moves it: keep the moves.
      if (out.at(-1)?.state !== e.data.state) out.push({ at: e.at, state: e.data.state });
    }
    return out;
  }
}
