// The README's "HTTP walkthrough", run as written: its `sh` blocks, in order,
// in one bash session (as someone pasting them would), against the built
// local stack started with the environment the README's start command sets,
// the setup code taken from what the stack printed. Each numbered step's
// answers are checked, and the ledger must balance at the end. Edit the
// README's blocks and this test runs the new ones.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../cloudfunctions/core/adapters/sqlite/store';
import { DEMO_APPID, demoMiniProgram } from '../../cloudfunctions/core/config';
import { feeFen, refundFeeFen } from '../../cloudfunctions/core/domain/fee';
import { verifyLedger } from '../../cloudfunctions/core/ledger/verify';
import { startStack, type Stack } from './stack';

jest.setTimeout(120_000);

const README = path.join(__dirname, '../../README.md');
const ROOT = path.join(__dirname, '../..');

interface Step {
  n: number;
  title: string;
  script: string;
}

/** The section's start command and its numbered steps (each `sh` block opening with `# <n>. <title>`). */
function readWalkthrough(): { start: string; steps: Step[] } {
  const readme = fs.readFileSync(README, 'utf8');
  const section = readme.split(/^## HTTP walkthrough$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## HTTP walkthrough" section');
  const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  // The block whose command (not a comment) is `npm start`.
  const start = blocks.find((b) => /^[^#\n]*\bnpm start\s*$/m.test(b));
  if (!start) throw new Error('the walkthrough has no block that runs `npm start`');
  const steps = blocks
    .filter((b) => b !== start)
    .map((script, i) => {
      const head = /^# (\d+)\. (.+)$/m.exec(script.split('\n')[0]);
      if (!head || Number(head[1]) !== i)
        throw new Error(`walkthrough block ${i + 1} must open with "# ${i}. <title>":\n${script}`);
      return { n: i, title: head[2], script };
    });
  return { start, steps };
}

/** `A=1 B=2 npm start` -> { A: '1', B: '2' } */
function startEnv(command: string): Record<string, string> {
  const line = command.split('\n').find((l) => /^[^#]*\bnpm start\s*$/.test(l)) ?? '';
  const env: Record<string, string> = {};
  for (const [, name, value] of line.matchAll(/\b([A-Z][A-Z0-9_]*)=(\S+)/g)) env[name] = value;
  return env;
}

interface StepRun {
  status: number;
  out: string;
  err: string;
  /** Every line of output that is JSON, parsed. */
  json: unknown[];
}

/** One bash session fed a step at a time; each step's output ends at a marker line with its last exit status. */
class Session {
  private readonly bash: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';

  constructor(env: Record<string, string>) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: ROOT, env: { ...process.env, ...env } });
    this.bash.stdout.on('data', (d) => (this.out += d));
    this.bash.stderr.on('data', (d) => (this.err += d));
  }

  async run(step: Step, timeoutMs: number): Promise<StepRun> {
    this.out = '';
    this.err = '';
    const marker = `@@walkthrough-step-${step.n}-done`;
    this.bash.stdin.write(`${step.script}\necho "${marker} $?"\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = new RegExp(`^${marker} (\\d+)$`, 'm').exec(this.out);
      if (done) {
        const out = this.out.slice(0, done.index);
        const json = out
          .split('\n')
          .filter((l) => /^[[{]/.test(l.trim()))
          .map((l) => JSON.parse(l));
        return { status: Number(done[1]), out, err: this.err, json };
      }
      if (Date.now() > deadline)
        throw new Error(`step ${step.n} (${step.title}) did not finish in ${timeoutMs} ms\n${this.out}\n${this.err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill();
  }
}

type Json = Record<string, any>;

let stack: Stack;
let session: Session | undefined;

afterAll(async () => {
  session?.close();
  await stack?.stop();
});

test('the README walkthrough runs as written: apply, approve, sell, pay, refund, settle, withdraw', async () => {
  const started = Date.now();
  const { start, steps } = readWalkthrough();
  const env = startEnv(start);
  // What the walkthrough relies on: the reviewer waits for step 4, money settles at the next run.
  expect(env).toMatchObject({ SANDBOX_REVIEW: 'manual', PMS_SETTLEMENT_DAYS: '0' });
  // The sandbox's delays 100x shorter than `npm start`'s (stack.ts's default), the rest as the README says.
  stack = await startStack({ SANDBOX_TIME_SCALE: '0.01', ...env });

  // The setup code as `npm start` printed it for the demo mini program.
  let setup: string | undefined;
  for (const until = Date.now() + 10_000; !setup && Date.now() < until; await new Promise((r) => setTimeout(r, 50)))
    setup = /setup code\s+(\S+)/.exec(stack.output().split(`appid ${DEMO_APPID}`)[1] ?? '')?.[1];
  if (!setup) throw new Error(`npm start printed no setup code for the demo:\n${stack.output()}`);

  session = new Session({
    SETUP: setup,
    PORT: new URL(stack.gatewayUrl).port,
    SANDBOX_PORT: new URL(stack.sandboxUrl).port,
    PMS_DATA_DIR: stack.dataDir,
  });

  // What each step must answer. `r.json` holds the JSON lines it printed, in order.
  let rate = 0;
  let expectedAvailable = 0;
  const checks: Record<number, (r: StepRun) => void> = {
    0: (r) => expect(r.out).toBe(''),
    1: (r) => expect(r.json).toEqual([{ ok: true, data: { role: 'admin' } }]),
    2: (r) => {
      const answers = r.json as Json[];
      expect(answers).toHaveLength(6);
      for (const a of answers) expect(a).toMatchObject({ ok: true });
      expect(answers[0].data).toMatchObject({ merchantType: 'ENTERPRISE', state: 'EDITING' });
      expect(answers[5].data.complete).toEqual({
        subject: true,
        identity: true,
        contact: true,
        business: true,
        bank: true,
        documents: false,
      });
    },
    3: (r) => {
      const [l1, l2, l3, problems, submitted] = r.json as Json[];
      for (const [a, slot] of [
        [l1, 'licence'],
        [l2, 'legalIdFront'],
        [l3, 'legalIdBack'],
      ] as const)
        expect(a).toMatchObject({ ok: true, data: { slot, contentType: 'image/png' } });
      expect(problems).toEqual({});
      expect(submitted).toMatchObject({ ok: true, data: { state: 'AUDITING' } });
    },
    4: (r) => {
      const [review, merchant] = r.json as Json[];
      expect(review).toMatchObject({ applyment_state: 'APPLYMENT_STATE_FINISHED' });
      expect(merchant).toMatchObject({
        name: demoMiniProgram.entity.name,
        mchid: expect.stringMatching(/^\d{2}\*+\d{2}$/),
      });
      rate = merchant.feeRatePpm;
      expect(rate).toBeGreaterThan(0);
    },
    5: (r) =>
      expect(r.json).toEqual([
        { ok: true, data: { id: expect.any(String), name: 'Jasmine tea 250 g', priceFen: 3800, active: true } },
      ]),
    6: (r) =>
      expect(r.json).toEqual([
        {
          ok: true,
          data: expect.objectContaining({
            state: 'CREATED',
            totalFen: 7600,
            items: [expect.objectContaining({ name: 'Jasmine tea 250 g', quantity: 2, amountFen: 7600 })],
          }),
        },
      ]),
    7: (r) => {
      const [payment, buyer, confirmed] = r.json as Json[];
      expect(payment).toMatchObject({ ok: true, data: { totalFen: 7600, params: { signType: 'RSA' } } });
      expect(buyer).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: payment.data.orderId });
      expect(confirmed).toMatchObject({ ok: true, data: { state: 'PAID' } });
    },
    8: (r) => {
      const [refund, refunds] = r.json as [Json, Json[]];
      expect(refund).toMatchObject({ ok: true, data: { state: 'PROCESSING', amountFen: 1000 } });
      expect(refunds).toEqual([expect.objectContaining({ id: refund.data.id, state: 'SUCCESS', amountFen: 1000 })]);
    },
    9: (r) => {
      const fee = feeFen(7600, rate);
      const feeBack = refundFeeFen({ totalFen: 7600, feeFen: fee, refundedFen: 0, feeReturnedFen: 0 }, 1000);
      expectedAvailable = 7600 - fee - (1000 - feeBack);
      const balances = r.json as Json[];
      // First as the step found them (settled already or not), then once pending is empty.
      expect(balances[0].data.pendingFen + balances[0].data.availableFen).toBe(expectedAvailable);
      expect(balances[balances.length - 1]).toEqual({
        ok: true,
        data: { pendingFen: 0, availableFen: expectedAvailable, withdrawingFen: 0 },
      });
    },
    10: (r) => {
      const [requested, confirmed, paid, balances] = r.json as Json[];
      expect(requested).toMatchObject({
        ok: true,
        data: {
          withdrawal: { amountFen: expectedAvailable, state: 'AWAITING_CONFIRMATION' },
          challenge: { method: 'code' },
        },
      });
      expect(confirmed).toMatchObject({ ok: true, data: { state: 'CREATED', amountFen: expectedAvailable } });
      expect(paid).toMatchObject({ ok: true, data: { state: 'SUCCESS' } });
      expect(balances).toEqual({ ok: true, data: { pendingFen: 0, availableFen: 0, withdrawingFen: 0 } });
    },
  };
  expect(steps.map((s) => s.n)).toEqual(Object.keys(checks).map(Number));

  for (const step of steps) {
    const r = await session.run(step, 30_000);
    try {
      expect(r.err).toBe('');
      expect(r.status).toBe(0);
      checks[step.n](r);
    } catch (err) {
      throw new Error(
        `README walkthrough step ${step.n} (${step.title}):\n${(err as Error).message}\n--- it printed:\n${r.out}${r.err}`,
      );
    }
  }

  // The stack's own books, read beside it, balance.
  const store = new SqliteStore({ file: path.join(stack.dataDir, 'pms.sqlite') });
  try {
    expect(await verifyLedger(store, DEMO_APPID)).toMatchObject({ ok: true, unbalancedEntries: [], differences: [] });
  } finally {
    await store.close();
  }
  // Quick enough to run in every `npm test`.
  expect(Date.now() - started).toBeLessThan(60_000);
});
