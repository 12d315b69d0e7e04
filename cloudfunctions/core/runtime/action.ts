// An action is one use case behind a router function: who may call it, what
// input it takes, whether it needs an idempotency key, and the handler.
import type { z } from 'zod';
import type { Role } from '../../../typings/api';
import type { MiniProgramRecord } from '../config';
import { Errors } from '../errors';
import type { Deps } from './deps';
import type { Identity } from './identity';
import type { Logger } from './log';

export interface CallContext {
  identity: Identity;
  role: Role;
  miniProgram: MiniProgramRecord;
  deps: Deps;
  log: Logger;
  correlationId: string;
  /** Present (and required) for idempotent actions. */
  idempotencyKey?: string;
}

export interface Action<S extends z.ZodType = z.ZodType, R = unknown> {
  /** Who may call it. Admin-only actions list only 'admin'. */
  roles: Role[];
  input: S;
  /** The client must send an idempotencyKey; a retry gets the first result. */
  idempotent?: boolean;
  /** Allowed to proceed when the call comes from a third-party platform (almost never). */
  allowThirdParty?: boolean;
  handler(input: z.infer<S>, ctx: CallContext): Promise<R>;
}

export function action<S extends z.ZodType, R>(spec: Action<S, R>): Action<S, R> {
  return spec;
}

// biome-ignore lint/suspicious/noExplicitAny: a table of actions holds each with its own input and result types
export type Actions = Record<string, Action<any, any>>;

/** The key of an idempotent action's call (the router refuses such a call without one). */
export function idempotencyKeyOf(ctx: Pick<CallContext, 'idempotencyKey'>): string {
  if (!ctx.idempotencyKey) throw Errors.needsIdempotencyKey();
  return ctx.idempotencyKey;
}
