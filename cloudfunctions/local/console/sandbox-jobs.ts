// The sandbox and jobs tab: the stack's clock and the buttons that move it,
// every notification the sandbox sent with each attempt and payNotify's
// reply, and each background job's latest runs with a "run now" button.
import { maskMchid } from '../../core/domain/mask';
import { jobs } from '../../jobs/registry';
import type { DeliveryDoc } from '../sandbox/notify';
import type { PageCtx } from './context';
import { fmt } from './i18n';
import { actionForm, actions, code, facts, type Html, html, json, section, stateTag, table, time } from './views';

export async function sandboxTab(ctx: PageCtx): Promise<Html> {
  return html`${clock(ctx)}${notifications(ctx)}${jobRuns(ctx)}`;
}

/** "1d 2h 3m": how far the clock was moved. */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  const minutes = Math.floor(ms / 60_000);
  const parts = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ].filter(([n]) => n);
  return parts.map(([n, unit]) => `${n}${unit}`).join(' ');
}

function clock(ctx: PageCtx): Html {
  const { m } = ctx;
  const { clock, sandbox } = ctx.env;
  const certificateMode = sandbox.ctx.platformMode === 'certificate';
  // None in effect only if the clock was set before the first certificate (then the sandbox cannot sign).
  const signer = certificateMode
    ? (sandbox.ctx.certificates.current()?.serial_no ?? '-')
    : sandbox.ctx.keys.platformKeyId;
  const by = (value: string, label: string) => actionForm(ctx, 'clock', { by: value, at: 'clock' }, label);
  return section(
    'clock',
    m.secClock,
    html`${facts([
      [m.stackTime, time(ctx.now.toISOString())],
      [m.realTime, time(new Date(ctx.now.getTime() - clock.offsetMs).toISOString())],
      ...(clock.offsetMs > 0
        ? ([[m.offset, fmt(m.ahead, { d: duration(clock.offsetMs) })]] as Array<[string, string]>)
        : []),
      [
        m.platformSigner,
        certificateMode ? fmt(m.signerCertificate, { serial: signer }) : fmt(m.signerPublicKey, { id: signer }),
      ],
    ])}${actions([
      by('hour', m.advanceHour),
      by('day', m.advanceDay),
      by('bills', m.advanceBills),
      actionForm(ctx, 'tick', { at: 'clock' }, m.tick),
      ...(certificateMode ? [actionForm(ctx, 'certificate', { at: 'clock' }, m.rotateCertificate)] : []),
    ])}`,
    m.clockNote,
  );
}

/** "order:1600000001|T123" with the merchant id masked, as the app masks it. */
function ref(value: string): string {
  return value.replace(
    /^(\w+):([^|]+)\|/,
    (_whole, kind: string, merchant: string) => `${kind}:${maskMchid(merchant)}|`,
  );
}

function attempts(d: DeliveryDoc): Html {
  if (d.attempts.length === 0) return html`<span class="muted">-</span>`;
  return html`<ol class="attempts">${d.attempts.map(
    (a) =>
      html`<li>${time(a.at)} ${
        a.status !== undefined
          ? html`<span class="tag ${a.status === 200 || a.status === 204 ? 'ok' : 'bad'}">HTTP ${a.status}</span>`
          : html`<span class="tag bad">${a.error ?? '?'}</span>`
      } <span class="muted">${a.ms} ms</span></li>`,
  )}</ol>`;
}

function notifications(ctx: PageCtx): Html {
  const { m } = ctx;
  const list = ctx.env.sandbox.deliveries({ limit: 50 });
  return section(
    'notifications',
    m.secNotifications,
    table(
      [m.colId, m.colEvent, m.colAbout, m.state, m.colAttempts, m.colNext, m.created],
      list.map((d) => [
        code(d.id),
        html`<code>${d.event_type}</code><br><span class="muted">${d.notify_url}</span>`,
        code(ref(d.ref)),
        stateTag(ctx, 'delivery', d.state),
        attempts(d),
        time(d.next_attempt_at),
        time(d.created_at),
      ]),
      m.none,
    ),
    m.notificationsNote,
  );
}

function jobRuns(ctx: PageCtx): Html {
  const { m } = ctx;
  const scale = Number(process.env.JOB_TIME_SCALE ?? 1) || 1;
  const rows = Object.entries(jobs).map(([name, job]) => [
    html`${stateTag(ctx, 'job', name)}<br><code>${name}</code>`,
    html`${duration(Math.max(50, job.everyMs / scale))}`,
    html`<ol class="runs">${ctx.env.jobs.runs
      .of(name)
      .map(
        (run) =>
          html`<li>${time(run.startedAt)} <span class="tag ${run.failed ? 'bad' : 'plain'}">${
            run.trigger === 'timer' ? m.triggerTimer : m.triggerConsole
          }${run.note ? ` ${run.note}` : ''}</span> <span class="muted">${run.ms} ms</span>${json(run.result)}</li>`,
      )}</ol>`,
    actions([actionForm(ctx, 'job', { job: name, at: 'jobs' }, m.runNow, { title: `${m.runNow}: ${name}` })]),
  ]);
  return section('jobs', m.secJobs, table([m.colJob, m.colEvery, m.colRuns, ''], rows, m.none), m.jobsNote);
}
