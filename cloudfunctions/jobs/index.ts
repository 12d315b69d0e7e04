// jobs: the background work, on a CloudBase timer trigger (config.json) and on
// timers in `npm start`. Each job is idempotent: running it twice, or two
// runs overlapping, changes nothing the first did not.
//
// Only the timer may run it. A mini program user can name any cloud function
// in wx.cloud.callFunction, and such a call carries the user's WeChat
// identity in its runtime context; a timer trigger carries none. So a call
// with an identity gets { ok: false, error: AUTH.FORBIDDEN } (the shape of
// every other function's refusals) and nothing runs.
import crypto from 'node:crypto';
import { Errors } from '../core/errors';
import type { Deps } from '../core/runtime/deps';
import { getDeps } from '../core/runtime/deps';
import { type FunctionContext, identityFrom } from '../core/runtime/identity';
import { jobs } from './registry';

export interface JobEvent {
  /** Run only these jobs (default: all). CloudBase timer events carry none. */
  only?: string[];
}

/** What a failed job reports: no error text (it may carry internals); the log line has it under the same id. */
export interface JobFailure {
  error: 'failed';
  correlationId: string;
}

/** Runs one job; a failure is logged and reported, and retried on the next tick. */
export async function runJob(deps: Deps, name: string): Promise<unknown> {
  const started = Date.now();
  try {
    const result = await jobs[name].run(deps);
    deps.log.info({ job: name, ms: Date.now() - started, result }, 'job done');
    return result;
  } catch (err) {
    const correlationId = crypto.randomUUID();
    deps.log.error({ job: name, correlationId, err }, 'job failed');
    return { error: 'failed', correlationId } satisfies JobFailure;
  }
}

export async function main(event: JobEvent = {}, context?: FunctionContext): Promise<Record<string, unknown>> {
  const deps = await getDeps();
  const caller = identityFrom(context);
  if (caller) {
    deps.log.warn({ appid: caller.appid }, 'jobs called with a WeChat identity; refused');
    return { ok: false, error: Errors.forbidden('run background jobs').toApi() };
  }
  const results: Record<string, unknown> = {};
  for (const name of Object.keys(jobs)) {
    if (event.only && !event.only.includes(name)) continue;
    results[name] = await runJob(deps, name);
  }
  return results;
}
