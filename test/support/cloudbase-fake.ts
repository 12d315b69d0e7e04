// A loopback stand-in for the CloudBase endpoint, for wire-level tests: the
// real @cloudbase/node-sdk is pointed at it (serviceUrl) and every request is
// recorded, then answered the way CloudBase answers: HTTP 200 with
// `{requestId, data}` or `{requestId, code, message}`, documents as canonical
// Extended JSON strings. Behind it is a small in-memory document database
// (MongoDB query, sort and update semantics for what the SDK sends, write
// conflicts in transactions) and a COS-like bucket for storage uploads.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

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

interface Transaction {
  id: string;
  state: 'active' | 'committed' | 'aborted';
  /** Version of each touched document when the transaction first saw it. */
  seen: Map<string, number>;
  /** Pending writes (null: deleted). */
  writes: Map<string, Document | null>;
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

export class CloudBaseFake {
  readonly calls: ApiCall[] = [];
  readonly cos: CosCall[] = [];
  readonly env = 'test-env-1a2b3c';
  readonly secretId = 'AKIDloopbacktest';
  readonly secretKey = 'loopback-secret-key';

  private server?: http.Server;
  private readonly docs = new Map<string, Document>();
  private readonly versions = new Map<string, number>();
  private readonly locks = new Map<string, string>();
  private readonly transactions = new Map<string, Transaction>();
  private readonly failures: Array<{ action: string; failure: Failure }> = [];
  private readonly files = new Map<string, Buffer>();
  private readonly uploads = new Map<string, { fileId: string; authorization: string }>();
  private port = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
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
  }

  /** Answer the next request for `action` with this error (as CloudBase would). */
  failNext(action: string, code: string, message = code): void {
    this.failures.push({ action, failure: { code, message } });
  }

  /** Seed or inspect the committed state directly. */
  put(collection: string, doc: Document): void {
    this.commitWrite(keyOf(collection, doc._id), structuredClone(doc));
  }

  peek(collection: string, id: string): Document | undefined {
    return structuredClone(this.docs.get(keyOf(collection, id)));
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
      const requestId = randomUUID();
      let reply: Record<string, unknown>;
      try {
        const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        const call: ApiCall = { action: String(body.action), body, url: req.url ?? '', headers: req.headers };
        call.query = parseEjson(body.query);
        call.data = Array.isArray(body.data) ? body.data.map(parseEjson) : parseEjson(body.data);
        call.order = parseEjson(body.order);
        this.calls.push(call);
        reply = { requestId, ...this.dispatch(call) };
      } catch (err) {
        const code = err instanceof FakeError ? err.code : 'SYS_ERR';
        reply = { requestId, code, message: err instanceof Error ? err.message : String(err) };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  }

  private dispatch(call: ApiCall): Record<string, unknown> {
    const txId = typeof call.body.transactionId === 'string' ? call.body.transactionId : undefined;
    const injected = this.failures.findIndex((f) => f.action === call.action);
    if (injected >= 0) {
      const [{ failure }] = this.failures.splice(injected, 1);
      if (txId) this.abort(txId);
      throw new FakeError(failure.code, failure.message);
    }
    const tx = txId ? this.activeTx(txId) : undefined;
    const collection = String(call.body.collectionName ?? '');
    switch (call.action) {
      case 'database.startTransaction': {
        const id = randomUUID();
        this.transactions.set(id, { id, state: 'active', seen: new Map(), writes: new Map() });
        return { transactionId: id };
      }
      case 'database.commitTransaction':
        return this.commit(this.activeTx(String(call.body.transactionId)));
      case 'database.abortTransaction':
        this.activeTx(String(call.body.transactionId));
        this.abort(String(call.body.transactionId));
        return {};
      case 'database.getDocument': {
        const list = this.select(collection, call, tx).map((d) => JSON.stringify(encodeEjson(d)));
        return { data: { list } };
      }
      case 'database.calculateDocument':
        return {
          data: { total: this.select(collection, { ...call, body: { ...call.body, limit: Infinity } }, tx).length },
        };
      case 'database.insertDocument': {
        const ids: string[] = [];
        for (const doc of call.data as Document[]) {
          const id = doc._id ?? randomUUID().replace(/-/g, '');
          if (this.read(collection, id, tx)) {
            throw new FakeError(
              'DATABASE_DUPLICATE_WRITE',
              `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: "${id}" }`,
            );
          }
          this.write(collection, id, { ...doc, _id: id }, tx);
          ids.push(id);
        }
        return { data: { insertedIds: ids } };
      }
      case 'database.modifyDocument':
        return this.modify(collection, call, tx);
      case 'database.removeDocument': {
        const victims = this.select(
          collection,
          { ...call, body: { ...call.body, order: undefined, limit: call.body.multi ? Infinity : 1 } },
          tx,
        );
        for (const doc of victims) this.write(collection, doc._id, null, tx);
        return { data: { deleted: victims.length } };
      }
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

  private activeTx(id: string): Transaction {
    const tx = this.transactions.get(id);
    if (tx?.state !== 'active') throw new FakeError('DATABASE_TRANSACTION_FAIL', `transaction ${id} is not active`);
    return tx;
  }

  private read(collection: string, id: string, tx?: Transaction): Document | undefined {
    const key = keyOf(collection, id);
    if (tx?.writes.has(key)) return tx.writes.get(key) ?? undefined;
    if (tx && !tx.seen.has(key)) tx.seen.set(key, this.versions.get(key) ?? 0);
    return this.docs.get(key);
  }

  private select(collection: string, call: ApiCall, tx?: Transaction): Document[] {
    if (call.body.queryType === 'DOC') {
      const id = (call.query as { _id: string })._id;
      const doc = this.read(collection, id, tx);
      return doc ? [structuredClone(doc)] : [];
    }
    if (tx)
      throw new FakeError('DATABASE_REQUEST_FAILED', 'only single-document operations are allowed in a transaction');
    const prefix = keyOf(collection, '');
    const found = [...this.docs.entries()]
      .filter(([key, doc]) => key.startsWith(prefix) && matchQuery(doc, call.query))
      .map(([, doc]) => doc);
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

  private modify(collection: string, call: ApiCall, tx?: Transaction): Record<string, unknown> {
    const { merge, upsert, multi } = call.body as { merge: boolean; upsert: boolean; multi: boolean };
    const data = call.data as Record<string, unknown>;
    const targets = this.select(
      collection,
      { ...call, body: { ...call.body, order: undefined, limit: multi ? Infinity : 1 } },
      tx,
    );
    if (targets.length === 0 && upsert) {
      const id = (call.query as { _id?: string })._id ?? randomUUID();
      const doc = merge ? applyOperators({ _id: id }, data) : ({ ...data, _id: id } as Document);
      this.write(collection, id, doc, tx);
      return { data: { updated: 0, upsert_id: id } };
    }
    let updated = 0;
    for (const doc of targets) {
      if (!merge && Object.keys(data).some((k) => k.startsWith('$')))
        throw new FakeError('DATABASE_REQUEST_FAILED', 'replacement contains operators');
      const next = merge ? applyOperators(doc, data) : ({ ...data, _id: doc._id } as Document);
      // Like MongoDB's nModified: a document left as it was does not count.
      if (!same(next, doc)) updated++;
      this.write(collection, doc._id, next, tx);
    }
    return { data: { updated } };
  }

  private write(collection: string, id: string, doc: Document | null, tx?: Transaction): void {
    const key = keyOf(collection, id);
    if (!tx) return this.commitWrite(key, doc);
    const holder = this.locks.get(key);
    const seen = tx.seen.get(key);
    const version = this.versions.get(key) ?? 0;
    if ((holder && holder !== tx.id) || (seen !== undefined && seen !== version)) {
      this.abort(tx.id);
      throw new FakeError(
        'DATABASE_TRANSACTION_CONFLICT',
        'WriteConflict error: this operation conflicted with another operation',
      );
    }
    if (seen === undefined) tx.seen.set(key, version);
    this.locks.set(key, tx.id);
    tx.writes.set(key, doc);
  }

  private commitWrite(key: string, doc: Document | null): void {
    if (doc) this.docs.set(key, doc);
    else this.docs.delete(key);
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
  }

  private commit(tx: Transaction): Record<string, unknown> {
    // A plain write that landed on a document after the transaction saw it.
    for (const key of tx.writes.keys()) {
      if ((this.versions.get(key) ?? 0) !== tx.seen.get(key)) {
        this.abort(tx.id);
        throw new FakeError('DATABASE_TRANSACTION_CONFLICT', 'WriteConflict error at commit');
      }
    }
    for (const [key, doc] of tx.writes) this.commitWrite(key, doc);
    this.release(tx);
    tx.state = 'committed';
    return {};
  }

  private abort(id: string): void {
    const tx = this.transactions.get(id);
    if (tx?.state !== 'active') return;
    this.release(tx);
    tx.state = 'aborted';
  }

  private release(tx: Transaction): void {
    for (const [key, holder] of this.locks) if (holder === tx.id) this.locks.delete(key);
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
    return key !== undefined && this.files.has(key)
      ? { fileID, tempFileURL: `${this.base}/cos/${key}?sign=loopback`, code: 'SUCCESS' }
      : { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exist' };
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
