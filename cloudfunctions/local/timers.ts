// The local stand-in for CloudBase's timer trigger: each job on its own
// interval, never overlapping itself, stopped cleanly on shutdown.
import type { Deps } from '../core/runtime/deps';
import { runJob } from '../jobs';
import { jobs } from '../jobs/registry';

export function startJobTimers(deps: Deps, scale = Number(process.env.JOB_TIME_SCALE ?? 1)): { stop(): void } {
  const handles = Object.entries(jobs).map(([name, job]) => {
    let running = false;
    return setInterval(
      async () => {
        if (running) return;
        running = true;
        await runJob(deps, name);
        running = false;
      },
      Math.max(50, job.everyMs / scale),
    );
  });
  return { stop: () => handles.forEach(clearInterval) };
}
