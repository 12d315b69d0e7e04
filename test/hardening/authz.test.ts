// The authorization matrix: every action of every router function against
// every kind of caller of mini program A. Only what each may do gets past the
// router's identity and role checks; the table is printed for the record.
import { contextFor } from '../../cloudfunctions/core/runtime/identity';
import { main as jobs } from '../../cloudfunctions/jobs';
import type { ApiResult } from '../../typings/api';
import { type TestDeps, testDeps } from '../support/deps';
import { ACTIONS, CALLERS, registerOtherMiniProgram, storedDigest } from './support';

let deps: TestDeps;

beforeAll(async () => {
  deps = await testDeps();
  registerOtherMiniProgram(deps);
});
afterAll(() => deps.close());

type Outcome = 'passes' | 'no identity' | 'third party' | 'forbidden';

function outcomeOf(result: ApiResult<unknown>): Outcome {
  if (result.ok) return 'passes';
  switch (result.error.code) {
    case 'AUTH.NO_IDENTITY':
      return 'no identity';
    case 'AUTH.THIRD_PARTY_PLATFORM':
      return 'third party';
    case 'AUTH.FORBIDDEN':
      return 'forbidden';
    default:
      // Refused later (input, state): the router let the caller through.
      return 'passes';
  }
}

function expected(who: string, roles: string[]): Outcome {
  if (who === 'anonymous') return 'no identity';
  if (who === 'third-party platform') return 'third party';
  if (who === 'admin') return 'passes';
  // Buyers, and the admin of another mini program, are buyers here.
  return roles.includes('buyer') ? 'passes' : 'forbidden';
}

test('every action admits exactly the callers its roles name', async () => {
  const rows: string[] = [];
  const wrong: string[] = [];
  for (const { fn, main, name, action } of ACTIONS) {
    const cells: string[] = [];
    for (const { who, identity } of CALLERS) {
      const before = storedDigest(deps);
      const event = { action: name, data: {}, idempotencyKey: 'authz_matrix_key_0001' };
      const result = (await main(event, identity ? contextFor(identity) : undefined)) as ApiResult<unknown>;
      const got = outcomeOf(result);
      const want = expected(who, action.roles);
      cells.push(got === 'passes' ? 'yes' : 'no');
      if (got !== want) wrong.push(`${fn}.${name} by ${who}: ${got}, expected ${want}`);
      if (got !== 'passes' && storedDigest(deps) !== before) wrong.push(`${fn}.${name} by ${who}: refused but wrote`);
    }
    rows.push(`| ${fn}.${name} | ${cells.join(' | ')} |`);
  }
  const header = `| action | ${CALLERS.map((c) => c.who).join(' | ')} |\n|---|${CALLERS.map(() => '---').join('|')}|`;
  console.log(`authorization matrix (yes: past identity and role checks)\n${header}\n${rows.join('\n')}`);
  expect(wrong).toEqual([]);
});

test('the jobs function runs for the timer only: every caller with a WeChat identity is refused', async () => {
  for (const { who, identity } of CALLERS) {
    if (!identity) continue;
    const before = storedDigest(deps);
    const result = await jobs({ only: ['settle'] }, contextFor(identity));
    expect({ who, result }).toMatchObject({ who, result: { ok: false, error: { code: 'AUTH.FORBIDDEN' } } });
    expect(storedDigest(deps)).toBe(before);
  }
});
