// Builds a router function's `main(event, context)`: identity from the
// runtime, role from configuration, input checked by the action's schema,
// idempotency handled once here, and every failure turned into a typed error.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ApiResult, Role } from '../../../typings/api';
import { type Details, type FieldProblem, fieldProblem, isFieldReason } from '../../../miniprogram/shared/errors';
import { thirdPartyRefused } from '../domain/mini-program';
import { AppError, Errors, type Fields } from '../errors';
import { type Actions, type CallContext, idempotencyKeyOf } from './action';
import { getDeps, type Deps } from './deps';
import { type FunctionContext, identityFrom } from './identity';
import { roleOf } from './roles';
import { runIdempotent } from './idempotency';

const eventSchema = z.object({
  action: z.string().min(1).max(64),
  data: z.unknown().optional(),
  idempotencyKey: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/**
 * A schema's refusals as reason codes, field by field (the first per field).
 * `input` is what was parsed: an absent value is "required", not a wrong type.
 * A refinement names its own reason with `params: { reason, ...values }`.
 */
export function fieldErrors(error: z.ZodError, input: unknown): Fields {
  const fields: Fields = {};
  const add = (path: readonly PropertyKey[], problem: FieldProblem) => {
    fields[path.map(String).join('.') || '_'] ??= problem;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add([...issue.path, key], fieldProblem('unknownField'));
    } else add(issue.path, problemOf(issue, valueAt(input, issue.path)));
  }
  return fields;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function problemOf(issue: z.core.$ZodIssue, value: unknown): FieldProblem {
  const money = /Fen$/.test(String(issue.path[issue.path.length - 1] ?? ''));
  switch (issue.code) {
    case 'invalid_type':
      return fieldProblem(value === undefined ? 'required' : 'invalid');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? fieldProblem('required') : fieldProblem('tooShort', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return fieldProblem('tooFew', { min });
      return money ? fieldProblem('amountTooSmall', { minFen: min }) : fieldProblem('atLeast', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return fieldProblem('tooLong', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return fieldProblem('tooMany', { max });
      return money ? fieldProblem('amountTooLarge', { maxFen: max }) : fieldProblem('atMost', { max });
    }
    case 'invalid_value':
      return fieldProblem('notAChoice');
    case 'custom': {
      const { reason, ...params } = (issue.params ?? {}) as Record<string, unknown>;
      if (!isFieldReason(reason)) return fieldProblem('invalid');
      const values: Details = {};
      for (const [k, v] of Object.entries(params)) if (typeof v === 'string' || typeof v === 'number') values[k] = v;
      return fieldProblem(reason, values);
    }
    default:
      return fieldProblem('invalid');
  }
}

export type Main = (event: unknown, context?: FunctionContext) => Promise<ApiResult<unknown>>;

export function createMain(fn: string, actions: Actions): Main {
  return async (event, context) => {
    const deps = await getDeps();
    const correlationId =
      context?.request_id && context.request_id !== 'local' ? String(context.request_id) : crypto.randomUUID();
    const log = deps.log.child({ fn, correlationId });
    try {
      const data = await dispatch(fn, actions, event, context, deps, correlationId, log);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof AppError) {
        log.info({ code: err.code }, 'refused');
        return { ok: false, error: err.toApi() };
      }
      log.error({ err }, 'internal error');
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.', correlationId },
      };
    }
  };
}

async function dispatch(
  fn: string,
  actions: Actions,
  event: unknown,
  context: FunctionContext | undefined,
  deps: Deps,
  correlationId: string,
  log: CallContext['log'],
): Promise<unknown> {
  const identity = identityFrom(context);
  if (!identity) throw Errors.unauthenticated();
  const parsedEvent = eventSchema.safeParse(event);
  if (!parsedEvent.success) throw Errors.badInput(fieldErrors(parsedEvent.error, event));
  const { action: name, data, idempotencyKey } = parsedEvent.data;
  const act = Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (!act) throw Errors.unknownAction(fn, name);

  const miniProgram = deps.config.miniPrograms[identity.appid];
  if (!miniProgram) throw Errors.unknownMiniProgram(identity.appid);
  // Refused unless the record serves third-party platforms (then, like every call, scoped to identity.appid).
  if (thirdPartyRefused(miniProgram, identity) && !act.allowThirdParty) throw Errors.thirdParty();

  const role: Role = await roleOf(deps, miniProgram, identity.openid);
  if (!act.roles.includes(role)) throw Errors.forbidden(name);

  const input = act.input.safeParse(data ?? {});
  if (!input.success) throw Errors.badInput(fieldErrors(input.error, data ?? {}));
  if (act.idempotent && !idempotencyKey) throw Errors.needsIdempotencyKey();

  const ctx: CallContext = {
    identity,
    role,
    miniProgram,
    deps,
    log: log.child({ action: name }),
    correlationId,
    idempotencyKey,
  };
  if (!act.idempotent) return act.handler(input.data, ctx);
  return runIdempotent(deps, { fn, action: name, identity, key: idempotencyKeyOf(ctx), input: input.data }, () =>
    act.handler(input.data, ctx),
  );
}
