// Every background job, by name, with how often the local stack runs it.
import type { Deps } from '../core/runtime/deps';

export interface Job {
  /** Local-stack interval; the CloudBase timer trigger runs all jobs every minute. */
  everyMs: number;
  run(deps: Deps): Promise<unknown>;
}

export const jobs: Record<string, Job> = {};
