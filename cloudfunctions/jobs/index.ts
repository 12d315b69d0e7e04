// jobs: the background work, on a CloudBase timer trigger (config.json) and on
// timers in `npm start`. Each job is idempotent: running it twice, or two
// runs overlapping, changes nothing the first did not.
import type { Deps } from '../core/runtime/deps';
import { getDeps } from '../core/runtime/deps';
import { jobs } from './registry';

export interface JobEvent {
  /** Run only these jobs (default: all). CloudBase timer events carry none. */
  only?: string[];
}

/** Runs one job; a failure is logged and reported, and retried on the next tick. */
export async function runJob(deps: Deps, name: string): Promise<unknown> {
  const started = Date.now();
  try {
    const result = await jobs[name].run(deps);
    deps.log.info({ job: name, ms: Date.now() - started, result }, 'job done');
    return result;
  } catch (err) {
    deps.log.error({ job: name, err }, 'job failed');
    return { error: (err as Error).message };
  }
}

export async function main(event: JobEvent = {}): Promise<Record<string, unknown>> {
  const deps = await getDeps();
  const results: Record<string, unknown> = {};
  for (const name of Object.keys(jobs)) {
    if (event.only && !event.only.includes(name)) continue;
    results[name] = await runJob(deps, name);
  }
  return results;
}
