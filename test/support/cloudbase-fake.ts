// A loopback stand-in for the CloudBase endpoint, for wire-level tests: the
// real @cloudbase/node-sdk is pointed at it (serviceUrl) and every request is
// recorded, then answered the way CloudBase answers: HTTP 200 with
// `{requestId, data}` or `{requestId, code, message}`, documents as canonical
// Extended JSON strings. Behind it is a small in-memory document database
// (MongoDB query, sort and update semantics for what the SDK sends; CloudBase's
// collections, snapshot transactions, locks and transaction lifetime, see "The
// database" below), a COS-like bucket for storage uploads, and the Tencent
// Cloud API actions @cloudbase/manager-node uses to create collections and
// indexes (point TCB_BASE_URL at `managerUrl`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomUUID } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Document = { _id: string; [key: string]: Json };

export interface ApiCall {
  action: string;
  /** The request body as sent (query/data/order still EJSON strings). */
  body: Record<string, unknown>;
  /** Decoded EJSON of body.query, body.data (array for inserts) and body.order. */
  query?: unknown;
  data?: unknown;
  order?: unknown;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface CosCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

interface Failure {
  code: string;
  message: string;
}

class FakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---- Extended JSON (the canonical subset the SDK sends and expects) ----

const TYPE_KEYS = new Set([
  '$numberInt',
  '$numberLong',
  '$numberDouble',
  '$numberDecimal',
  '$date',
  '$oid',
  '$regularExpression',
]);

export function decodeEjson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeEjson);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && TYPE_KEYS.has(entries[0][0])) {
    const [key, raw] = entries[0];
    if (key === '$numberInt' || key === '$numberLong' || key === '$numberDouble') return Number(raw);
    throw new FakeError('INVALID_PARAM', `the fake does not store ${key} values`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, decodeEjson(v)]));
}

function encodeEjson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(encodeEjson);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) return { $numberInt: String(value) };
    if (Number.isSafeInteger(value)) return { $numberLong: String(value) };
    return { $numberDouble: String(value) };
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeEjson(v)]));
}

const parseEjson = (text: unknown) => (typeof text === 'string' ? decodeEjson(JSON.parse(text)) : undefined);

// ---- MongoDB semantics for queries, sorting and updates ----

function getPath(doc: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      doc,
    );
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null) node[key] = {};
    if (typeof node[key] !== 'object')
      throw new FakeError(
        'DATABASE_REQUEST_FAILED',
        `Cannot create field in element {${key}: ${JSON.stringify(node[key])}}`,
      );
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function unsetPath(doc: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  const parent = getPath(doc, keys.slice(0, -1).join('.')) ?? (keys.length === 1 ? doc : undefined);
  if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[keys[keys.length - 1]];
}

/** BSON type order for sorting and bracketing comparisons. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'object') return 4;
  if (typeof v === 'boolean') return 8;
  return 99;
}

function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function equals(value: unknown, expected: unknown): boolean {
  if (expected === null) return value === null || value === undefined;
  if (Array.isArray(value) && !Array.isArray(expected)) return value.some((v) => same(v, expected));
  return same(value, expected);
}

function isOperatorObject(cond: unknown): cond is Record<string, unknown> {
  return (
    cond !== null &&
    typeof cond === 'object' &&
    !Array.isArray(cond) &&
    Object.keys(cond).length > 0 &&
    Object.keys(cond).every((k) => k.startsWith('$'))
  );
}

function bracketed(value: unknown, operand: unknown, test: (order: number) => boolean): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return candidates.some(
    (v) => typeRank(v) === typeRank(operand) && v !== undefined && test(compareValues(v, operand)),
  );
}

function matchCondition(value: unknown, cond: unknown): boolean {
  if (!isOperatorObject(cond)) return equals(value, cond);
  return Object.entries(cond).every(([op, operand]) => {
    switch (op) {
      case '$eq':
        return equals(value, operand);
      case '$ne':
        return !equals(value, operand);
      case '$gt':
        return bracketed(value, operand, (o) => o > 0);
      case '$gte':
        return bracketed(value, operand, (o) => o >= 0);
      case '$lt':
        return bracketed(value, operand, (o) => o < 0);
      case '$lte':
        return bracketed(value, operand, (o) => o <= 0);
      case '$in':
        return (operand as unknown[]).some((o) => equals(value, o));
      case '$nin':
        return !(operand as unknown[]).some((o) => equals(value, o));
      case '$exists':
        return (value !== undefined) === Boolean(operand);
      default:
        throw new FakeError('DATABASE_REQUEST_FAILED', `unknown operator: ${op}`);
    }
  });
}

export function matchQuery(doc: unknown, query: unknown): boolean {
  if (query === undefined) return true;
  return Object.entries(query as Record<string, unknown>).every(([key, cond]) => {
    if (key === '$and') return (cond as unknown[]).every((q) => matchQuery(doc, q));
    if (key === '$or') return (cond as unknown[]).some((q) => matchQuery(doc, q));
    if (key === '$nor') return !(cond as unknown[]).some((q) => matchQuery(doc, q));
    if (key.startsWith('$')) throw new FakeError('DATABASE_REQUEST_FAILED', `unknown top level operator: ${key}`);
    return matchCondition(getPath(doc, key), cond);
  });
}

function applyOperators(doc: Document, update: Record<string, unknown>): Document {
  const next = structuredClone(doc) as Record<string, unknown>;
  const touched: string[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!op.startsWith('$')) throw new FakeError('DATABASE_REQUEST_FAILED', `merge update needs operators, got ${op}`);
    for (const [path, operand] of Object.entries(fields as Record<string, unknown>)) {
      if (path === '_id' || path.startsWith('_id.'))
        throw new FakeError(
          'DATABASE_REQUEST_FAILED',
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      const clash = touched.find((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
      if (clash)
        throw new FakeError(
          'DATABASE_REQUEST_FAILED',
          `Updating the path '${path}' would create a conflict at '${clash}'`,
        );
      touched.push(path);
      switch (op) {
        case '$set':
          setPath(next, path, structuredClone(operand));
          break;
        case '$unset':
          unsetPath(next, path);
          break;
        case '$inc': {
          const current = getPath(next, path);
          if (current !== undefined && typeof current !== 'number') {
            throw new FakeError('DATABASE_REQUEST_FAILED', `Cannot apply $inc to a value of non-numeric type`);
          }
          setPath(next, path, ((current as number | undefined) ?? 0) + (operand as number));
          break;
        }
        default:
          throw new FakeError('DATABASE_REQUEST_FAILED', `unsupported update operator ${op}`);
      }
    }
  }
  return next as Document;
}

// ---- The database ----
//
// What CloudBase refuses or does, and where it says so:
// - a collection exists only once created (console, db.createCollection, or the
//   manager API's CreateTable); any other request on it answers
//   DATABASE_COLLECTION_NOT_EXIST (docs.cloudbase.net/en/error-code/basic/
//   DATABASE_COLLECTION_NOT_EXIST; the message is the one wx-server-sdk users
//   report, github.com/Voyzz/Fruit-store-mp/issues/9);
// - transactions use snapshot isolation: reads see the data as of the
//   snapshot; a write locks the document; another transaction's write to a
//   locked document fails at once; a plain (non-transaction) write to it waits
//   until the lock is released or times out; the commit applies every write
//   at once (developers.weixin.qq.com/minigame/dev/wxcloud/guide/database/
//   transaction.md, 快照隔离). Writing a document committed by someone else
//   after the snapshot is a write conflict too (MongoDB's first-writer-wins,
//   which that snapshot implies). The snapshot is taken at startTransaction:
//   only the live run can say whether CloudBase takes it at the first read;
// - a transaction must be committed or aborted within 30 s, after which it does
//   not exist (DATABASE_TRANSACTION_FAIL, docs.cloudbase.net/en/error-code/
//   DATABASE_TRANSACTION_FAIL); its locks go with it;
// - an error inside a transaction ends it (MongoDB aborts a transaction on a
//   write error; CloudBase's runTransaction then only retries conflicts,
//   node_modules/@cloudbase/database/src/transaction/index.ts).

interface Version {
  /** Commit time (a counter). */
  ts: number;
  doc: Document | null;
}

interface Transaction {
  id: string;
  state: 'active' | 'committed' | 'aborted' | 'expired';
  /** Commits up to this time are visible to the transaction's reads. */
  snapshot: number;
  /** Pending writes (null: deleted). */
  writes: Map<string, Document | null>;
  timer?: NodeJS.Timeout;
}

interface IndexKey {
  Name: string;
  Direction: string;
}

export interface Index {
  Name: string;
  Keys: IndexKey[];
  Unique: boolean;
}

export interface FakeOptions {
  /** How long a transaction lives before the server drops it and its locks (CloudBase: 30 s). */
  transactionTimeoutMs?: number;
  /** Collections that exist from the start (as if created in the console). */
  collections?: Iterable<string>;
}

/** A call to the Tencent Cloud API (the manager SDK's endpoint, TCB_BASE_URL). */
export interface ManagerCall {
  action: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;
const collectionOf = (key: string) => key.slice(0, key.indexOf('\u0000'));

/** Database actions that name a collection (the SDK's `collectionName`). */
const COLLECTION_ACTIONS = new Set([
  'database.getDocument',
  'database.calculateDocument',
  'database.insertDocument',
  'database.modifyDocument',
  'database.removeDocument',
  'database.modifyAndReturnDoc',
  'database.aggregateDocuments',
]);

export class CloudBaseFake {
  readonly calls: ApiCall[] = [];
  readonly cos: CosCall[] = [];
  readonly manager: ManagerCall[] = [];
  readonly env = 'test-env-1a2b3c';
  readonly secretId = 'AKIDloopbacktest';
  readonly secretKey = 'loopback-secret-key';
  readonly transactionTimeoutMs: number;

  private server?: http.Server;
  private clock = 0;
  private readonly versions = new Map<string, Version[]>();
  private readonly created = new Map<string, Index[]>();
  private readonly locks = new Map<string, string>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly failures: Array<{ action: string; failure: Failure }> = [];
  private readonly stalls: Array<{ action: string; ms: number; process: 'before' | 'after' }> = [];
  private released: Array<() => void> = [];
  private readonly files = new Map<string, Buffer>();
  private readonly uploads = new Map<string, { fileId: string; authorization: string }>();
  private dropAfterUrl = false;
  private port = 0;

  constructor(options: FakeOptions = {}) {
    this.transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
    for (const name of options.collections ?? []) this.createCollection(name);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const tx of this.transactions.values()) clearTimeout(tx.timer);
    this.wake();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What to put in TCB_SERVICE_URL / serviceUrl. */
  get serviceUrl(): string {
    return `${this.base}/admin`;
  }

  /** What to put in TCB_BASE_URL: where @cloudbase/manager-node sends Tencent Cloud API calls. */
  get managerUrl(): string {
    return `${this.base}/tcb-api`;
  }

  /** Environment for CloudBaseStore.fromEnv. */
  get processEnv(): NodeJS.ProcessEnv {
    return {
      TCB_ENV: this.env,
      TCB_SECRET_ID: this.secretId,
      TCB_SECRET_KEY: this.secretKey,
      TCB_SERVICE_URL: this.serviceUrl,
    };
  }

  actions(): string[] {
    return this.calls.map((c) => c.action);
  }

  reset(): void {
    this.calls.length = 0;
    this.cos.length = 0;
    this.manager.length = 0;
  }

  /** Answer the next request for `action` with this error (as CloudBase would). */
  failNext(action: string, code: string, message = code): void {
    this.failures.push({ action, failure: { code, message } });
  }

  /**
   * Hold the answer to the next `action` for `ms`: processed at once and
   * answered late ('after': the write happened, its answer is lost to a client
   * that timed out), or processed only after the wait ('before': it may lose
   * to a request that comes in meanwhile).
   */
  stallNext(action: string, ms: number, process: 'before' | 'after'): void {
    this.stalls.push({ action, ms, process });
  }

  /** The next download URL is issued for an object that is then deleted (COS answers 404). */
  dropObjectAfterNextUrl(): void {
    this.dropAfterUrl = true;
  }

  createCollection(name: string): void {
    if (!this.created.has(name))
      this.created.set(name, [{ Name: '_id_', Keys: [{ Name: '_id', Direction: '1' }], Unique: true }]);
  }

  createCollections(names: Iterable<string>): void {
    for (const name of names) this.createCollection(name);
  }

  hasCollection(name: string): boolean {
    return this.created.has(name);
  }

  /** An index made by hand (in the console), on a collection that exists. */
  addIndex(collection: string, index: Index): void {
    const indexes = this.created.get(collection);
    if (!indexes) throw new Error(`no collection ${collection}`);
    indexes.push(structuredClone(index));
  }

  /** The indexes of a collection (MongoDB's `_id_` included), as DescribeTable reports them. */
  indexes(name: string): Index[] | undefined {
    return this.created.get(name)?.map((i) => structuredClone(i));
  }

  /** Transactions still open (not committed, aborted or expired). */
  openTransactions(): number {
    return [...this.transactions.values()].filter((tx) => tx.state === 'active').length;
  }

  /** Plain writes waiting for a transaction's lock. */
  get waitingWrites(): number {
    return this.released.length;
  }

  /** Seed or inspect the committed state directly (the collection is created if need be). */
  put(collection: string, doc: Document): void {
    this.createCollection(collection);
    this.commitWrites(new Map([[keyOf(collection, doc._id), structuredClone(doc)]]));
  }

  peek(collection: string, id: string): Document | undefined {
    return structuredClone(this.latest(keyOf(collection, id)) ?? undefined);
  }

  storedFile(fileId: string): Buffer | undefined {
    const key = this.objectKey(fileId);
    return key === undefined ? undefined : this.files.get(key);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', this.base);
      if (url.pathname.startsWith('/cos/')) return this.handleCos(req, url, bytes, res);
      if (url.pathname === '/tcb-api') return this.handleManager(req, bytes, res);
      void this.handleApi(req, bytes, res);
    });
  }

  private async handleApi(req: http.IncomingMessage, bytes: Buffer, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let reply: Record<string, unknown>;
    let stall: { ms: number; process: 'before' | 'after' } | undefined;
    try {
      const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      const call: ApiCall = { action: String(body.action), body, url: req.url ?? '', headers: req.headers };
      call.query = parseEjson(body.query);
      call.data = Array.isArray(body.data) ? body.data.map(parseEjson) : parseEjson(body.data);
      call.order = parseEjson(body.order);
      this.calls.push(call);
      const s = this.stalls.findIndex((x) => x.action === call.action);
      if (s >= 0) [stall] = this.stalls.splice(s, 1);
      if (stall?.process === 'before') await delay(stall.ms);
      reply = { requestId, ...(await this.dispatch(call)) };
    } catch (err) {
      const code = err instanceof FakeError ? err.code : 'SYS_ERR';
      reply = { requestId, code, message: err instanceof Error ? err.message : String(err) };
    }
    if (stall?.process === 'after') await delay(stall.ms);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  }

  private async dispatch(call: ApiCall): Promise<Record<string, unknown>> {
    const txId = typeof call.body.transactionId === 'string' ? call.body.transactionId : undefined;
    const injected = this.failures.findIndex((f) => f.action === call.action);
    if (injected >= 0) {
      const [{ failure }] = this.failures.splice(injected, 1);
      if (txId) this.end(txId, 'aborted');
      throw new FakeError(failure.code, failure.message);
    }
    const collection = String(call.body.collectionName ?? '');
    if (COLLECTION_ACTIONS.has(call.action) && !this.created.has(collection)) {
      if (txId) this.end(txId, 'aborted');
      throw new FakeError(
        'DATABASE_COLLECTION_NOT_EXIST',
        `[ResourceNotFound] Db or Table not exist: ${collection}. Please check your request, but if the problem cannot be solved, contact us.`,
      );
    }
    if (txId && call.action !== 'database.commitTransaction' && call.action !== 'database.abortTransaction') {
      // An error inside a transaction ends it.
      const tx = this.activeTx(txId);
      try {
        return this.dispatchIn(call, collection, tx);
      } catch (err) {
        this.end(tx.id, 'aborted');
        throw err;
      }
    }
    switch (call.action) {
      case 'database.addCollection':
        if (this.created.has(collection))
          throw new FakeError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${collection} already exists`);
        this.createCollection(collection);
        return {};
      case 'database.startTransaction': {
        const id = randomUUID();
        const tx: Transaction = { id, state: 'active', snapshot: this.clock, writes: new Map() };
        tx.timer = setTimeout(() => this.end(id, 'expired'), this.transactionTimeoutMs);
        tx.timer.unref();
        this.transactions.set(id, tx);
        return { transactionId: id };
      }
      case 'database.commitTransaction':
        return this.commit(this.activeTx(String(call.body.transactionId)));
      case 'database.abortTransaction':
        this.activeTx(String(call.body.transactionId));
        this.end(String(call.body.transactionId), 'aborted');
        return {};
      case 'database.getDocument': {
        const list = this.select(collection, call).map((d) => JSON.stringify(encodeEjson(d)));
        return { data: { list } };
      }
      case 'database.calculateDocument':
        return {
          data: { total: this.select(collection, { ...call, body: { ...call.body, limit: Infinity } }).length },
        };
      case 'database.insertDocument':
        return this.plainWrite(() => this.insert(collection, call));
      case 'database.modifyDocument':
        return this.plainWrite(() => this.modify(collection, call));
      case 'database.removeDocument':
        return this.plainWrite(() => this.removeDocs(collection, call));
      case 'storage.getUploadMetadata':
        return this.uploadMetadata(String(call.body.path));
      case 'storage.batchGetDownloadUrl':
        return {
          data: {
            download_list: (call.body.file_list as Array<{ fileid: string }>).map(({ fileid }) =>
              this.downloadEntry(fileid),
            ),
          },
        };
      case 'storage.batchDeleteFile':
        return { data: { delete_list: (call.body.fileid_list as string[]).map((fileID) => this.deleteEntry(fileID)) } };
      default:
        throw new FakeError('INVALID_PARAM', `the fake does not serve ${call.action}`);
    }
  }

  /** A request under a transaction id: single documents by id only, read at the snapshot, written under locks. */
  private dispatchIn(call: ApiCall, collection: string, tx: Transaction): Record<string, unknown> {
    switch (call.action) {
      case 'database.getDocument': {
        const doc = this.txRead(collection, this.docId(call), tx);
        return { data: { list: doc ? [JSON.stringify(encodeEjson(doc))] : [] } };
      }
      case 'database.insertDocument': {
        const ids: string[] = [];
        for (const doc of call.data as Document[]) {
          const id = doc._id ?? randomUUID().replace(/-/g, '');
          if (this.txRead(collection, id, tx)) throw duplicate(collection, id);
          this.txWrite(collection, id, { ...doc, _id: id }, tx);
          ids.push(id);
        }
        return { data: { insertedIds: ids } };
      }
      case 'database.modifyDocument': {
        const id = this.docId(call);
        const { merge, upsert } = call.body as { merge: boolean; upsert: boolean };
        const data = call.data as Record<string, unknown>;
        const current = this.txRead(collection, id, tx);
        if (!current && !upsert) return { data: { updated: 0 } };
        const next = this.updated(current ?? { _id: id }, data, merge);
        this.txWrite(collection, id, next, tx);
        return current ? { data: { updated: same(next, current) ? 0 : 1 } } : { data: { updated: 0, upsert_id: id } };
      }
      case 'database.removeDocument': {
        const id = this.docId(call);
        const current = this.txRead(collection, id, tx);
        if (current) this.txWrite(collection, id, null, tx);
        return { data: { deleted: current ? 1 : 0 } };
      }
      default:
        throw new FakeError('DATABASE_REQUEST_FAILED', `${call.action} is not allowed in a transaction`);
    }
  }

  /** Transactions address documents by id only ("事务中不支持批量操作（where 语句）"). */
  private docId(call: ApiCall): string {
    const id = (call.query as { _id?: unknown } | undefined)?._id;
    if (call.body.queryType !== 'DOC' || typeof id !== 'string')
      throw new FakeError('DATABASE_REQUEST_FAILED', 'only single-document operations are allowed in a transaction');
    return id;
  }

  private activeTx(id: string): Transaction {
    const tx = this.transactions.get(id);
    if (tx?.state !== 'active')
      throw new FakeError('DATABASE_TRANSACTION_FAIL', `transaction ${id} does not exist (${tx?.state ?? 'unknown'})`);
    return tx;
  }

  // ---- versions ----

  private latestVersion(key: string): Version | undefined {
    const list = this.versions.get(key);
    return list?.[list.length - 1];
  }

  private latest(key: string): Document | null {
    return this.latestVersion(key)?.doc ?? null;
  }

  private at(key: string, ts: number): Document | null {
    const list = this.versions.get(key) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].ts <= ts) return list[i].doc;
    return null;
  }

  private commitWrites(writes: Map<string, Document | null>): void {
    this.clock++;
    for (const [key, doc] of writes) {
      const list = this.versions.get(key) ?? [];
      list.push({ ts: this.clock, doc });
      this.versions.set(key, list);
    }
  }

  // ---- transactions ----

  private txRead(collection: string, id: string, tx: Transaction): Document | null {
    const key = keyOf(collection, id);
    if (tx.writes.has(key)) return structuredClone(tx.writes.get(key) ?? null);
    return structuredClone(this.at(key, tx.snapshot));
  }

  private txWrite(collection: string, id: string, doc: Document | null, tx: Transaction): void {
    const key = keyOf(collection, id);
    const holder = this.locks.get(key);
    const changedSince = (this.latestVersion(key)?.ts ?? 0) > tx.snapshot;
    if ((holder && holder !== tx.id) || changedSince) {
      throw new FakeError(
        'DATABASE_TRANSACTION_CONFLICT',
        'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.',
      );
    }
    this.locks.set(key, tx.id);
    tx.writes.set(key, doc);
  }

  private commit(tx: Transaction): Record<string, unknown> {
    this.commitWrites(tx.writes);
    this.end(tx.id, 'committed');
    return {};
  }

  private end(id: string, state: 'committed' | 'aborted' | 'expired'): void {
    const tx = this.transactions.get(id);
    if (tx?.state !== 'active') return;
    clearTimeout(tx.timer);
    tx.state = state;
    for (const [key, holder] of this.locks) if (holder === tx.id) this.locks.delete(key);
    this.wake();
  }

  private wake(): void {
    const waiting = this.released;
    this.released = [];
    for (const resume of waiting) resume();
  }

  // ---- plain writes ----

  /**
   * A plain write runs against the latest data; if a document it would change
   * is locked by an open transaction it waits for the lock (commit, abort or
   * expiry) and then runs again against what is there.
   */
  private async plainWrite(attempt: () => { result: Record<string, unknown>; locked: string[] }) {
    for (;;) {
      const { result, locked } = attempt();
      if (locked.length === 0) return result;
      await new Promise<void>((resolve) => this.released.push(resolve));
    }
  }

  private lockedOf(keys: string[]): string[] {
    return keys.filter((key) => {
      const holder = this.locks.get(key);
      return holder !== undefined && this.transactions.get(holder)?.state === 'active';
    });
  }

  private insert(collection: string, call: ApiCall): { result: Record<string, unknown>; locked: string[] } {
    const docs = (call.data as Document[]).map((doc) => ({ ...doc, _id: doc._id ?? randomUUID().replace(/-/g, '') }));
    const locked = this.lockedOf(docs.map((d) => keyOf(collection, d._id)));
    if (locked.length) return { result: {}, locked };
    for (const doc of docs) if (this.latest(keyOf(collection, doc._id))) throw duplicate(collection, doc._id);
    this.commitWrites(new Map(docs.map((doc) => [keyOf(collection, doc._id), doc])));
    return { result: { data: { insertedIds: docs.map((d) => d._id) } }, locked: [] };
  }

  private modify(collection: string, call: ApiCall): { result: Record<string, unknown>; locked: string[] } {
    const { merge, upsert, multi } = call.body as { merge: boolean; upsert: boolean; multi: boolean };
    const data = call.data as Record<string, unknown>;
    const targets = this.select(collection, {
      ...call,
      body: { ...call.body, order: undefined, limit: multi ? Infinity : 1 },
    });
    const id = (call.query as { _id?: unknown } | undefined)?._id;
    const locked = this.lockedOf(
      targets.length
        ? targets.map((d) => keyOf(collection, d._id))
        : typeof id === 'string'
          ? [keyOf(collection, id)]
          : [],
    );
    if (locked.length) return { result: {}, locked };
    if (targets.length === 0 && upsert) {
      const newId = typeof id === 'string' ? id : randomUUID();
      this.commitWrites(new Map([[keyOf(collection, newId), this.updated({ _id: newId }, data, merge)]]));
      return { result: { data: { updated: 0, upsert_id: newId } }, locked: [] };
    }
    let updated = 0;
    const writes = new Map<string, Document | null>();
    for (const doc of targets) {
      const next = this.updated(doc, data, merge);
      // Like MongoDB's nModified: a document left as it was does not count.
      if (!same(next, doc)) updated++;
      writes.set(keyOf(collection, doc._id), next);
    }
    if (writes.size) this.commitWrites(writes);
    return { result: { data: { updated } }, locked: [] };
  }

  private removeDocs(collection: string, call: ApiCall): { result: Record<string, unknown>; locked: string[] } {
    const victims = this.select(collection, {
      ...call,
      body: { ...call.body, order: undefined, limit: call.body.multi ? Infinity : 1 },
    });
    const locked = this.lockedOf(victims.map((d) => keyOf(collection, d._id)));
    if (locked.length) return { result: {}, locked };
    if (victims.length) this.commitWrites(new Map(victims.map((d) => [keyOf(collection, d._id), null])));
    return { result: { data: { deleted: victims.length } }, locked: [] };
  }

  private updated(doc: Document, data: Record<string, unknown>, merge: boolean): Document {
    if (merge) return applyOperators(doc, data);
    if (Object.keys(data).some((k) => k.startsWith('$')))
      throw new FakeError('DATABASE_REQUEST_FAILED', 'replacement contains operators');
    return { ...(data as Record<string, Json>), _id: doc._id } as Document;
  }

  /** A plain query over the latest committed data. */
  private select(collection: string, call: ApiCall): Document[] {
    if (call.body.queryType === 'DOC') {
      const doc = this.latest(keyOf(collection, this.docIdOf(call)));
      return doc ? [structuredClone(doc)] : [];
    }
    const found: Document[] = [];
    for (const [key, list] of this.versions) {
      const doc = list[list.length - 1].doc;
      if (doc && collectionOf(key) === collection && matchQuery(doc, call.query)) found.push(doc);
    }
    const order = Object.entries((call.order ?? {}) as Record<string, number>);
    found.sort((a, b) => {
      for (const [field, dir] of order) {
        const c = compareValues(getPath(a, field), getPath(b, field));
        if (c !== 0) return dir < 0 ? -c : c;
      }
      return 0;
    });
    const offset = Number(call.body.offset ?? 0);
    const limit = call.body.limit === undefined ? 100 : Number(call.body.limit);
    return found.slice(offset, offset + limit).map((d) => structuredClone(d));
  }

  private docIdOf(call: ApiCall): string {
    return String((call.query as { _id?: unknown } | undefined)?._id);
  }

  // ---- the manager API (Tencent Cloud API 3.0, service tcb, version 2018-06-08) ----
  //
  // What @cloudbase/manager-node's DatabaseService sends (node_modules/@cloudbase/
  // manager-node/lib/database/index.js, lib/utils/cloud-api-request.js): a POST
  // of the parameters as JSON, the action in X-TC-Action, signed TC3-HMAC-SHA256;
  // answers are `{Response: {..., RequestId}}` or `{Response: {Error: {Code,
  // Message}, RequestId}}`. UpdateTable (cloud.tencent.com/document/api/876/127964)
  // re-creates an index that already exists ("索引创建时如果已经存在,则会先删除
  // 再创建", docs.cloudbase.net/api-reference/manager/php/clouddatabase), which
  // the fake records as a rebuild so a test can see a setup run never does it.

  /** Indexes UpdateTable was asked to create again (dropped and rebuilt on CloudBase). */
  readonly rebuiltIndexes: string[] = [];

  private handleManager(req: http.IncomingMessage, bytes: Buffer, res: http.ServerResponse): void {
    const RequestId = randomUUID();
    const action = String(req.headers['x-tc-action'] ?? '');
    let response: Record<string, unknown>;
    try {
      const body = JSON.parse(bytes.toString('utf8') || '{}') as Record<string, unknown>;
      this.manager.push({ action, body, headers: req.headers });
      this.verifyTc3(req, bytes);
      response = { ...this.managerAction(action, body), RequestId };
    } catch (err) {
      const Code = err instanceof FakeError ? err.code : 'InternalError';
      response = { Error: { Code, Message: err instanceof Error ? err.message : String(err) }, RequestId };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response: response }));
  }

  /** The signature the manager SDK computes (getRequestSign in lib/utils/cloud-api-request.js). */
  private verifyTc3(req: http.IncomingMessage, bytes: Buffer): void {
    const auth = String(req.headers.authorization ?? '');
    const m =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/tcb\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m || m[1] !== this.secretId) throw new FakeError('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    const timestamp = String(req.headers['x-tc-timestamp'] ?? '');
    const hash = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
    const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();
    const canonicalRequest = `POST\n/tcb-api\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${hash(bytes)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${m[2]}/tcb/tc3_request\n${hash(canonicalRequest)}`;
    const key = hmac(hmac(hmac(`TC3${this.secretKey}`, m[2]), 'tcb'), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== m[3])
      throw new FakeError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated');
  }

  private managerAction(action: string, body: Record<string, unknown>): Record<string, unknown> {
    if (body.EnvId !== undefined && body.EnvId !== this.env)
      throw new FakeError('ResourceNotFound', `Environment ${String(body.EnvId)} not found`);
    const table = String(body.TableName ?? '');
    switch (action) {
      case 'DescribeEnvInfo':
        return {
          EnvInfo: {
            EnvBaseInfo: {
              EnvId: this.env,
              Alias: 'loopback',
              Status: 'NORMAL',
              Region: 'ap-shanghai',
              Databases: [{ InstanceId: 'tnt-loopback', Region: 'ap-shanghai', Status: 'RUNNING' }],
            },
          },
        };
      case 'ListTables': {
        const offset = Number(body.MgoOffset ?? 0);
        const limit = Number(body.MgoLimit ?? 100);
        const names = [...this.created.keys()].sort();
        const page = names.slice(offset, offset + limit).map((TableName) => ({
          TableName,
          Count: this.count(TableName),
          Size: 0,
          IndexCount: this.created.get(TableName)?.length ?? 0,
          IndexSize: 0,
        }));
        return { Tables: page.length ? page : null, Pager: { Offset: offset, Limit: limit, Total: names.length } };
      }
      case 'DescribeTable': {
        const indexes = this.created.get(table);
        if (!indexes) throw new FakeError('ResourceNotFound', `Db or Table not exist: ${table}`);
        return {
          Indexes: indexes.map((i) => ({ ...structuredClone(i), Size: 0, Accesses: { Ops: 0, Since: '' } })),
          IndexNum: indexes.length,
        };
      }
      case 'CreateTable':
        if (this.created.has(table)) throw new FakeError('ResourceInUse', `Table ${table} already exists`);
        this.createCollection(table);
        return {};
      case 'UpdateTable': {
        const indexes = this.created.get(table);
        if (!indexes) throw new FakeError('ResourceNotFound', `Db or Table not exist: ${table}`);
        for (const { IndexName } of (body.DropIndexes ?? []) as Array<{ IndexName: string }>) {
          const at = indexes.findIndex((i) => i.Name === IndexName);
          if (at > 0) indexes.splice(at, 1);
        }
        for (const create of (body.CreateIndexes ?? []) as Array<{
          IndexName: string;
          MgoKeySchema: { MgoIndexKeys: IndexKey[]; MgoIsUnique: boolean };
        }>) {
          const keys = create.MgoKeySchema?.MgoIndexKeys ?? [];
          if (
            !create.IndexName ||
            keys.length === 0 ||
            keys.some((k) => !k.Name || !['1', '-1'].includes(String(k.Direction)))
          )
            throw new FakeError('InvalidParameter', `bad index ${JSON.stringify(create)}`);
          const at = indexes.findIndex((i) => i.Name === create.IndexName);
          if (at >= 0) {
            this.rebuiltIndexes.push(`${table}.${create.IndexName}`);
            indexes.splice(at, 1);
          }
          indexes.push({
            Name: create.IndexName,
            Keys: keys.map((k) => ({ Name: k.Name, Direction: String(k.Direction) })),
            Unique: Boolean(create.MgoKeySchema.MgoIsUnique),
          });
        }
        return {};
      }
      default:
        throw new FakeError('UnsupportedOperation', `the fake does not serve ${action}`);
    }
  }

  private count(collection: string): number {
    let n = 0;
    for (const [key, list] of this.versions) if (collectionOf(key) === collection && list[list.length - 1].doc) n++;
    return n;
  }

  // ---- storage: metadata from the API, bytes to and from a COS-like bucket ----

  private get filePrefix(): string {
    return `cloud://${this.env}.7465-${this.env}-1250000000/`;
  }

  private objectKey(fileId: string): string | undefined {
    return fileId.startsWith(this.filePrefix) ? fileId.slice(this.filePrefix.length) : undefined;
  }

  private uploadMetadata(path: string): Record<string, unknown> {
    const authorization = `q-sign-algorithm=sha1&q-ak=loopback&q-signature=${randomUUID()}`;
    this.uploads.set(path, { fileId: this.filePrefix + path, authorization });
    return {
      data: {
        url: `${this.base}/cos/${path}`,
        token: 'cos-session-token',
        authorization,
        fileId: this.filePrefix + path,
        cosFileId: `cos-${randomUUID()}`,
        download_url: `${this.base}/cos/${path}`,
      },
    };
  }

  private downloadEntry(fileID: string): Record<string, unknown> {
    const key = this.objectKey(fileID);
    if (key === undefined || !this.files.has(key))
      return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exist' };
    if (this.dropAfterUrl) {
      this.dropAfterUrl = false;
      this.files.delete(key);
    }
    return { fileID, tempFileURL: `${this.base}/cos/${key}?sign=loopback`, code: 'SUCCESS' };
  }

  private deleteEntry(fileID: string): Record<string, unknown> {
    const key = this.objectKey(fileID);
    return { fileID, code: key !== undefined && this.files.delete(key) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
  }

  private handleCos(req: http.IncomingMessage, url: URL, bytes: Buffer, res: http.ServerResponse): void {
    this.cos.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, bytes });
    const key = decodeURIComponent(url.pathname.slice('/cos/'.length));
    const cosError = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${url.pathname}</Resource><RequestId>${randomUUID()}</RequestId><TraceId>loopback</TraceId></Error>`,
      );
    };
    if (req.method === 'PUT') {
      const upload = this.uploads.get(key);
      if (!upload || req.headers.authorization !== upload.authorization)
        return cosError(403, 'AccessDenied', 'Access Denied.');
      this.uploads.delete(key);
      this.files.set(key, bytes);
      res.writeHead(200, { etag: `"${randomUUID()}"` });
      res.end();
      return;
    }
    if (req.method === 'GET') {
      const content = this.files.get(key);
      if (!content) return cosError(404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': content.length });
      res.end(content);
      return;
    }
    cosError(405, 'MethodNotAllowed', 'The specified method is not allowed.');
  }
}

function duplicate(collection: string, id: string): FakeError {
  return new FakeError(
    'DATABASE_DUPLICATE_WRITE',
    `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: "${id}" }`,
  );
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
