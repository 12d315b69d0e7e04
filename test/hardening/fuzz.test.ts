// Every action fuzzed with malformed events: each must answer with a typed
// error from the catalogue (never INTERNAL), and a refused call must leave
// the database exactly as it was. PMS_FUZZ_ROUNDS=n repeats the random part.
import { isErrorCode } from '../../miniprogram/shared/errors';
import type { ApiResult } from '../../typings/api';
import { admin, buyer, type TestDeps, testDeps } from '../support/deps';
import { contextFor } from '../../cloudfunctions/core/runtime/identity';
import { ACTIONS, registerOtherMiniProgram, storedDigest } from './support';

let deps: TestDeps;

beforeAll(async () => {
  deps = await testDeps();
  registerOtherMiniProgram(deps);
  // Reads that seed (the local demo catalogue) do so before the first snapshot.
  await ACTIONS.find((a) => a.name === 'listProducts')?.main({ action: 'listProducts', data: {} }, contextFor(buyer));
});
afterAll(() => deps.close());

const BAD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  -0,
  1e16,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(10_000),
  '\u0000',
  '../../etc/passwd',
  '=cmd|calc',
  [],
  [1, 2],
  {},
  { $gt: '' },
  { $where: 'sleep(1000)' },
  true,
];

const BAD_EVENTS: unknown[] = [
  null,
  undefined,
  'getStatus',
  42,
  [],
  {},
  { action: 1 },
  { action: '' },
  { action: 'x'.repeat(100) },
  { action: '__proto__' },
  { action: 'constructor' },
  { action: 'toString' },
  { action: 'hasOwnProperty' },
];

/** A seeded generator, so a failure can be replayed (the seed is printed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fieldsOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

interface Case {
  label: string;
  event: unknown;
}

function casesFor(name: string, fields: string[], random: () => number): Case[] {
  const cases: Case[] = [
    { label: 'data is a string', event: { action: name, data: 'x' } },
    { label: 'data is a number', event: { action: name, data: 5 } },
    { label: 'data is an array', event: { action: name, data: [] } },
    { label: 'an unknown field', event: { action: name, data: { unknownField: 1 } } },
    { label: '__proto__ in data', event: { action: name, data: JSON.parse('{"__proto__": {"polluted": true}}') } },
    { label: 'constructor in data', event: { action: name, data: { constructor: { prototype: { polluted: true } } } } },
    { label: 'short idempotency key', event: { action: name, data: {}, idempotencyKey: 'short' } },
    { label: 'idempotency key with spaces', event: { action: name, data: {}, idempotencyKey: 'bad key with spaces!' } },
    { label: 'idempotency key as a number', event: { action: name, data: {}, idempotencyKey: 12345678 } },
  ];
  for (const field of fields) {
    for (const value of BAD_VALUES) {
      cases.push({
        label: `${field} = ${JSON.stringify(value)?.slice(0, 30)}`,
        event: { action: name, data: { [field]: value } },
      });
    }
    // Two fields wrong at once, picked by the seeded generator.
    const other = fields[Math.floor(random() * fields.length)];
    const a = BAD_VALUES[Math.floor(random() * BAD_VALUES.length)];
    const b = BAD_VALUES[Math.floor(random() * BAD_VALUES.length)];
    cases.push({
      label: `${field} and ${other} wrong`,
      event: { action: name, data: { [field]: a, [other]: b }, idempotencyKey: 'fuzz_key_00000001' },
    });
  }
  return cases;
}

test('every action answers malformed events with a typed error and writes nothing', async () => {
  const seed = Number(process.env.PMS_FUZZ_SEED ?? Date.now() % 1_000_000);
  const rounds = Number(process.env.PMS_FUZZ_ROUNDS ?? 1);
  const random = rng(seed);
  const problems: string[] = [];
  let count = 0;
  for (let round = 0; round < rounds; round++) {
    for (const { fn, main, name, action } of ACTIONS) {
      const cases = [
        ...BAD_EVENTS.map((event) => ({ label: `event ${JSON.stringify(event)}`, event })),
        ...casesFor(name, fieldsOf(action.input), random),
      ];
      for (const { label, event } of cases) {
        for (const who of [admin, buyer]) {
          count++;
          const before = storedDigest(deps);
          const result = (await main(event, contextFor(who))) as ApiResult<unknown>;
          if (result.ok) continue; // a generated event that happens to be valid
          const where = `${fn}.${name} as ${who === admin ? 'admin' : 'buyer'}: ${label}`;
          if (result.error.code === 'INTERNAL' || !isErrorCode(result.error.code))
            problems.push(`${where} -> ${result.error.code}`);
          if (storedDigest(deps) !== before) problems.push(`${where} -> refused (${result.error.code}) but wrote`);
        }
      }
    }
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  console.log(`fuzz: ${count} malformed calls across ${ACTIONS.length} actions, seed ${seed}`);
  expect(problems).toEqual([]);
  expect(count).toBeGreaterThan(2000);
});

test('a call with no WeChat identity is refused before anything runs', async () => {
  for (const { main, name } of ACTIONS) {
    const before = storedDigest(deps);
    const result = (await main({ action: name, data: {} }, undefined)) as ApiResult<unknown>;
    expect(result).toMatchObject({ ok: false, error: { code: 'AUTH.NO_IDENTITY' } });
    expect(storedDigest(deps)).toBe(before);
  }
});
