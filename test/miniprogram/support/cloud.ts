// wx.cloud for the simulator: callFunction runs the real router functions
// (cloudfunctions/local/functions.ts) in this process, with the identity the
// test chose passed the way CloudBase passes it (the runtime context), on the
// store the harness installed. Events and results go through JSON like on the
// wire. Every call is recorded (local-mode gateway calls too, see
// local-gateway.ts); the next calls can be made to fail like a dropped
// connection, or held in flight.
import crypto from 'node:crypto';
import type { Main } from '../../../cloudfunctions/core/runtime/main';
import { contextFor, type Identity } from '../../../cloudfunctions/core/runtime/identity';
import type { ApiResult } from '../../../typings/api';

export interface RecordedCall {
  name: string;
  action: string;
  data: unknown;
  idempotencyKey?: string;
  identity: Identity;
  /** What the function answered; absent when the call failed in transport. */
  result?: ApiResult<unknown>;
  /** errMsg of an injected or platform failure. */
  failure?: string;
}

export interface WireEvent {
  action?: string;
  data?: unknown;
  idempotencyKey?: string;
}

interface CallFunctionOptions {
  name: string;
  data?: Record<string, unknown>;
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
}

/** An injected transport failure; `errMsg` follows the API that failed. */
export class TransportDrop {
  constructor(
    readonly errCode: number,
    readonly detail: string,
  ) {}
}

export class CloudRouter {
  /** Set by the harness; null means no harness in this test, and calls are refused. */
  identity: Identity | null = null;
  readonly calls: RecordedCall[] = [];
  private failures: TransportDrop[] = [];
  private gate: { promise: Promise<void>; open(): void } | null = null;

  reset(identity: Identity | null): void {
    this.identity = identity;
    this.calls.length = 0;
    this.failures = [];
    this.gate?.open();
    this.gate = null;
  }

  /**
   * Calls from now on are recorded but wait before reaching the function,
   * until the returned release() (to see loading states, or a second tap
   * while the first call is in flight).
   */
  hold(): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gate = { promise, open };
    this.gate = gate;
    return () => {
      if (this.gate === gate) this.gate = null;
      gate.open();
    };
  }

  /** The next `times` calls fail before reaching any function, as on a dropped connection. */
  failNext(times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(new TransportDrop(-504003, 'request:fail timeout'));
  }

  /**
   * Records a call and lets it through the gate; throws a TransportDrop if
   * it was told to fail. Both transports (wx.cloud, local gateway) use it.
   */
  async begin(name: string, event: WireEvent, identity: Identity | null): Promise<RecordedCall> {
    // Without the harness the functions would open the developer's own .data store.
    if (!identity) throw new Error(`a call to ${name} outside the harness: call useHarness() in this test file`);
    const record: RecordedCall = { name, action: String(event.action), data: event.data, identity: { ...identity } };
    if (event.idempotencyKey) record.idempotencyKey = event.idempotencyKey;
    this.calls.push(record);
    if (this.gate) await this.gate.promise;
    const drop = this.failures.shift();
    if (drop) {
      record.failure = drop.detail;
      throw drop;
    }
    return record;
  }

  /** The wx.cloud object to install as `wx.cloud`. */
  api() {
    return {
      // Tests spy on it (jest.spyOn(wx.cloud, 'init')); there is nothing to set up in process.
      init: (_config?: { env?: string; traceUser?: boolean }) => undefined,
      callFunction: (options: CallFunctionOptions) => {
        const run = this.callFunction(options);
        if (!options.success && !options.fail && !options.complete) return run;
        run.then(
          (res) => {
            options.success?.(res);
            options.complete?.(res);
          },
          (err) => {
            options.fail?.(err);
            options.complete?.(err);
          },
        );
        return undefined;
      },
    };
  }

  private async callFunction({ name, data }: CallFunctionOptions) {
    // Never answer synchronously: the real call always crosses threads.
    await Promise.resolve();
    const identity = this.identity;
    const event = JSON.parse(JSON.stringify(data ?? {})) as WireEvent;
    let record: RecordedCall;
    try {
      record = await this.begin(name, event, identity);
    } catch (err) {
      if (err instanceof TransportDrop) throw { errCode: err.errCode, errMsg: `cloud.callFunction:fail ${err.detail}` };
      throw err;
    }
    // Loaded on first use: component tests without cloud calls skip the backend.
    const { functions } = require('../../../cloudfunctions/local/functions') as { functions: Record<string, Main> };
    const main = Object.hasOwn(functions, name) ? functions[name] : undefined;
    if (!main) {
      const err = {
        errCode: -501000,
        errMsg: `cloud.callFunction:fail -501000 FunctionName parameter could not be found: ${name}`,
      };
      record.failure = err.errMsg;
      throw err;
    }
    const result = JSON.parse(
      JSON.stringify(await main(event, contextFor(identity!, crypto.randomUUID()))),
    ) as ApiResult<unknown>;
    record.result = result;
    return { errMsg: 'cloud.callFunction:ok', result, requestID: crypto.randomUUID() };
  }
}

/** The one wx.cloud of a test file (installed by setup.ts, driven by the harness). */
export const cloud = new CloudRouter();
