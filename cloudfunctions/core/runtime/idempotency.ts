// Retried writes: the first call with a key records its result; a retry with
// the same key and the same input gets that result back instead of running
// again. The record's id is the key itself, so two racing calls cannot both
// start (the second insert conflicts).
import crypto from 'node:crypto';
import { AppError, Errors } from '../errors';
import { isDuplicate, isOutcomeUnknown } from '../ports/store';
import type { Deps } from './deps';
import type { Identity } from './identity';

interface IdempotencyDoc {
  _id: string;
  hash: string;
  state: 'running' | 'done';
  result?: unknown;
  createdAt: string;
  [field: string]: unknown;
}

/** A record left 'running' this long belongs to a crashed call and may be taken over. */
const STALE_MS = 60_000;

export interface IdempotentCall {
  fn: string;
  action: string;
  identity: Identity;
  key: string;
  input: unknown;
}

export async function runIdempotent<R>(deps: Deps, call: IdempotentCall, run: () => Promise<R>): Promise<R> {
  const { store, clock } = deps;
  const id = crypto
    .createHash('sha256')
    .update([call.fn, call.action, call.identity.appid, call.identity.openid, call.key].join('\n'))
    .digest('hex');
  const hash = crypto
    .createHash('sha256')
    .update(JSON.stringify(call.input) ?? '')
    .digest('hex');
  const now = clock.now();
  try {
    await store.insert<IdempotencyDoc>('idempotency', {
      _id: id,
      hash,
      state: 'running',
      createdAt: now.toISOString(),
    });
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    const seen = await store.get<IdempotencyDoc>('idempotency', id);
    if (!seen) return runIdempotent(deps, call, run);
    if (seen.hash !== hash) throw Errors.idempotencyMismatch();
    if (seen.state === 'done') return seen.result as R;
    const stale = now.getTime() - Date.parse(seen.createdAt) > STALE_MS;
    const takenOver =
      stale &&
      (await store.update(
        'idempotency',
        id,
        { set: { createdAt: now.toISOString() } },
        { state: 'running', createdAt: seen.createdAt },
      ));
    if (!takenOver)
      throw new AppError(
        'INPUT.IDEMPOTENCY_IN_PROGRESS',
        'The same request is still being processed; try again in a moment',
      );
  }
  try {
    const result = await run();
    await store.update('idempotency', id, { set: { state: 'done', result: result ?? null } });
    return result;
  } catch (err) {
    // A refused or failed call leaves nothing behind: the client may retry.
    // When the store cannot say whether a write landed, the record stays
    // 'running': a retry waits out the stale window instead of racing a
    // commit that may still be settling, then takes over (the use cases
    // derive their ids from the key, so the rerun finds what did land).
    if (!isOutcomeUnknown(err)) await store.remove('idempotency', id);
    throw err;
  }
}
