// wx.cloud for the simulator: callFunction runs the real router functions
// (cloudfunctions/local/functions.ts) in this process, with the identity the
// test chose passed the way CloudBase passes it (the runtime context), on the
// store the harness installed. Events and results go through JSON like on the
// wire. Every call is recorded (local-mode gateway calls too, see
// local-gateway.ts); the next calls can be made to fail like a dropped
// connection, or held in flight.
//
// uploadFile stores the photo in the test's file store (what the functions
// read by file id), reporting progress through the UploadTask it returns, in
// chunks as a slow network would. The photos on the "phone" are `phoneFiles`
// (temp paths from chooseMedia); uploads are recorded, can be failed, or held
// halfway.
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

export interface RecordedUpload {
  cloudPath: string;
  filePath: string;
  identity: Identity;
  /** What the storage answered; absent while in flight or when it failed. */
  fileID?: string;
  /** Every progress event the task reported, in order. */
  progress: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult[];
  failure?: string;
}

interface UploadFileOptions {
  cloudPath: string;
  filePath: string;
  success?: (res: unknown) => void;
  fail?: (err: unknown) => void;
  complete?: (res: unknown) => void;
}

/** Progress events per upload: a photo arrives in this many chunks. */
const UPLOAD_CHUNKS = 4;

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
  /** Files uploads to storage, both transports (wx.cloud.uploadFile, and wx.uploadFile to the local gateway). */
  readonly uploads: RecordedUpload[] = [];
  /** The phone's temp files by path (a photo chooseMedia returned): what an upload sends. */
  readonly phoneFiles = new Map<string, Buffer>();
  private failures: TransportDrop[] = [];
  private uploadFailures: string[] = [];
  private gate: { promise: Promise<void>; open(): void } | null = null;
  private uploadGate: { promise: Promise<void>; open(): void } | null = null;
  /** Bumped by reset(): an upload still running from an earlier test stops without a word. */
  private generation = 0;

  reset(identity: Identity | null): void {
    this.generation++;
    this.identity = identity;
    this.calls.length = 0;
    this.uploads.length = 0;
    this.phoneFiles.clear();
    this.failures = [];
    this.uploadFailures = [];
    this.gate?.open();
    this.gate = null;
    this.uploadGate?.open();
    this.uploadGate = null;
  }

  /** The next `times` uploads to storage fail midway, as on a dropped connection. */
  failNextUpload(times = 1): void {
    for (let i = 0; i < times; i++) this.uploadFailures.push('timeout');
  }

  /**
   * Uploads from now on stop halfway (after half their progress events) until
   * the returned release(), to see a progress bar part full.
   */
  holdUploads(): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gate = { promise, open };
    this.uploadGate = gate;
    return () => {
      if (this.uploadGate === gate) this.uploadGate = null;
      gate.open();
    };
  }

  /**
   * Sends a recorded upload's bytes in chunks: `send(chunk)` per chunk (after
   * it, a progress event to every listener), halting halfway while uploads are
   * held, and failing halfway if told to. Both transports use it.
   */
  async transfer(
    record: RecordedUpload,
    content: Buffer,
    listeners: Array<(res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void>,
    send: (chunk: Buffer) => Promise<void> = async () => undefined,
  ): Promise<void> {
    const failure = this.uploadFailures.shift();
    const generation = this.generation;
    // The test is over (its page detached): the upload never reports again.
    const abandoned = () => generation !== this.generation;
    const size = Math.max(1, Math.ceil(content.length / UPLOAD_CHUNKS));
    for (let i = 0; i < UPLOAD_CHUNKS; i++) {
      if (i === UPLOAD_CHUNKS / 2) {
        if (this.uploadGate) await this.uploadGate.promise;
        if (abandoned()) return new Promise<void>(() => undefined);
        if (failure) {
          record.failure = failure;
          throw new TransportDrop(-1, failure);
        }
      }
      const chunk = content.subarray(i * size, (i + 1) * size);
      await send(chunk);
      // The platform reports after each chunk left, on a later tick.
      await new Promise((r) => setTimeout(r, 0));
      if (abandoned()) return new Promise<void>(() => undefined);
      const sent = Math.min(content.length, (i + 1) * size);
      const event = {
        progress: Math.round((sent / Math.max(1, content.length)) * 100),
        totalBytesSent: sent,
        totalBytesExpectedToSend: content.length,
      };
      record.progress.push(event);
      for (const listener of listeners) listener(event);
    }
  }

  /** The bytes of a phone path, or null (as a temp file cleaned up by WeChat). */
  phoneFile(filePath: string): Buffer | null {
    return this.phoneFiles.get(filePath) ?? null;
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
      uploadFile: (options: UploadFileOptions) => this.uploadFile(options),
    };
  }

  /**
   * wx.cloud.uploadFile with callbacks: returns the UploadTask at once (the
   * page subscribes to onProgressUpdate on it), then sends the photo in
   * chunks and stores it where the functions read files, under cloudPath.
   */
  private uploadFile(options: UploadFileOptions): WechatMiniprogram.UploadTask {
    const listeners: Array<(res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void> = [];
    const fail = (errMsg: string, errCode = -1) => {
      const err = { errCode, errMsg: `cloud.uploadFile:fail ${errMsg}` };
      options.fail?.(err);
      options.complete?.(err);
    };
    const run = async () => {
      await Promise.resolve();
      if (!this.identity) throw new Error('an upload outside the harness: call useHarness() in this test file');
      const record: RecordedUpload = {
        cloudPath: options.cloudPath,
        filePath: options.filePath,
        identity: { ...this.identity },
        progress: [],
      };
      this.uploads.push(record);
      const content = this.phoneFile(options.filePath);
      if (!content) {
        record.failure = 'file not found';
        return fail(`file not found: ${options.filePath}`);
      }
      try {
        await this.transfer(record, content, listeners);
      } catch (err) {
        if (err instanceof TransportDrop) return fail(err.detail, err.errCode);
        throw err;
      }
      const { getDeps } = require('../../../cloudfunctions/core/runtime/deps') as {
        getDeps: typeof import('../../../cloudfunctions/core/runtime/deps').getDeps;
      };
      let stored: { fileId: string };
      try {
        stored = await (await getDeps()).files.put(options.cloudPath, content, 'application/octet-stream');
      } catch (err) {
        record.failure = String(err);
        return fail(`invalid cloudPath ${options.cloudPath}`);
      }
      record.fileID = stored.fileId;
      const res = { errMsg: 'cloud.uploadFile:ok', fileID: stored.fileId, statusCode: 200 };
      options.success?.(res);
      options.complete?.(res);
    };
    void run();
    return {
      onProgressUpdate: (listener: (res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void) => {
        listeners.push(listener);
      },
      offProgressUpdate: (listener?: (res: WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult) => void) => {
        if (!listener) listeners.length = 0;
        else if (listeners.includes(listener)) listeners.splice(listeners.indexOf(listener), 1);
      },
      abort: () => undefined,
      onHeadersReceived: () => undefined,
      offHeadersReceived: () => undefined,
    } as unknown as WechatMiniprogram.UploadTask;
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
