// jobs: the background work, on a CloudBase timer trigger (config.json) and on
// timers in `npm start`. Each job is idempotent: running it twice, or two
// runs overlapping, changes nothing the first did not.
import { getDeps } from '../core/runtime/deps';
import { jobs } from './registry';

export interface JobEvent {
  /** Run only these jobs (default: all). CloudBase timer events carry none. */
  only?: string[];
}

export async function main(event: JobEvent = {}): Promise<Record<string, unknown>> {
  const deps = await getDeps();
  const results: Record<string, unknown> = {};
  for (const [name, job] of Object.entries(jobs)) {
    if (event.only && !event.only.includes(name)) continue;
    const started = Date.now();
    try {
      results[name] = await job.run(deps);
      deps.log.info({ job: name, ms: Date.now() - started, result: results[name] }, 'job done');
    } catch (err) {
      // One failing job must not starve the others; it is retried on the next tick.
      deps.log.error({ job: name, err }, 'job failed');
      results[name] = { error: (err as Error).message };
    }
  }
  return results;
}
