// The local stand-in for CloudBase's timer trigger: each job on its own
// interval, never overlapping itself, stopped cleanly on shutdown. The last
// few runs of every job, from its timer or from the console, are kept in
// memory so the console can show them.
import type { Deps } from '../core/runtime/deps';
import { runJob } from '../jobs';
import { jobs } from '../jobs/registry';

export interface JobRun {
  job: string;
  trigger: 'timer' | 'console';
  /** When it started, by the stack's clock (ISO). */
  startedAt: string;
  ms: number;
  /** What the job returned; for a failure, runJob's { error: 'failed', correlationId }. */
  result: unknown;
  failed: boolean;
  /** How this run differed from the job's own (e.g. "T+0"). */
  note?: string;
}

/** Runs kept per job. */
export const RUNS_KEPT = 5;

export class JobRuns {
  private readonly byJob = new Map<string, JobRun[]>();

  add(run: JobRun): void {
    const list = this.byJob.get(run.job) ?? [];
    list.unshift(run);
    list.length = Math.min(list.length, RUNS_KEPT);
    this.byJob.set(run.job, list);
  }

  /** The job's latest runs, newest first. */
  of(job: string): JobRun[] {
    return [...(this.byJob.get(job) ?? [])];
  }
}

export interface JobTimers {
  readonly runs: JobRuns;
  /** Runs a registered job now, through runJob, and records the run. */
  run(name: string, trigger: JobRun['trigger']): Promise<JobRun>;
  /**
   * Records `work` as a run of `name` (a use case a job runs, called with an
   * override the job does not take). A throw is logged and recorded as a failure.
   */
  record(name: string, trigger: JobRun['trigger'], work: () => Promise<unknown>, note?: string): Promise<JobRun>;
  stop(): void;
}

const isFailure = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && (result as { error?: unknown }).error === 'failed';

export function startJobTimers(deps: Deps, scale = Number(process.env.JOB_TIME_SCALE ?? 1)): JobTimers {
  const runs = new JobRuns();

  const record: JobTimers['record'] = async (name, trigger, work, note) => {
    const startedAt = deps.clock.now().toISOString();
    const started = Date.now();
    let result: unknown;
    try {
      result = await work();
    } catch (err) {
      deps.log.error({ job: name, err }, 'job failed');
      result = { error: 'failed' };
    }
    const run: JobRun = {
      job: name,
      trigger,
      startedAt,
      ms: Date.now() - started,
      result,
      failed: isFailure(result),
      ...(note ? { note } : {}),
    };
    runs.add(run);
    return run;
  };

  const run: JobTimers['run'] = (name, trigger) => {
    if (!Object.hasOwn(jobs, name)) throw new RangeError(`no job ${name}`);
    return record(name, trigger, () => runJob(deps, name));
  };

  const handles = Object.entries(jobs).map(([name, job]) => {
    let running = false;
    return setInterval(
      async () => {
        if (running) return;
        running = true;
        await run(name, 'timer');
        running = false;
      },
      Math.max(50, job.everyMs / scale),
    );
  });
  return { runs, run, record, stop: () => handles.forEach(clearInterval) };
}
