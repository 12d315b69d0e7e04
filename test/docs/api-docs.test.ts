// docs/api.md is generated from the declarations (`npm run docs:api`,
// scripts/api-docs.ts). This regenerates it in memory and fails when the
// file is stale or when something cannot be described (a route without a
// purpose, an error code the analysis cannot reach, ...). It also checks the
// generator's sources against the running code: the routes it reads from
// the source are the ones fastify registers, and the input rows it reads
// from zod's definitions say what the schemas enforce.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { describeInput, shapeOf } from '../../scripts/api-docs.schema';

// Every fastify instance records the routes it registers (onRoute sees them all, however registered).
const registered: Array<{ method: string; url: string }> = [];
jest.mock('fastify', () => {
  const real = jest.requireActual('fastify');
  const wrapped = (options: unknown) => {
    const app = real(options);
    app.addHook('onRoute', (route: { method: string | string[]; url: string }) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      registered.push({ method: methods.length > 5 ? 'ANY' : methods.join(','), url: route.url });
    });
    return app;
  };
  return Object.assign(wrapped, real, { default: wrapped, fastify: wrapped });
});

import { type ApiDocs, COMMAND, generateApiDocs, OUTPUT } from '../../scripts/api-docs';
import { createGateway } from '../../cloudfunctions/local/gateway';
import { Sandbox } from '../../cloudfunctions/local/sandbox/server';
import type { Deps } from '../../cloudfunctions/core/runtime/deps';
import { checkoutActions } from '../../cloudfunctions/checkout/actions';
import { fundsActions } from '../../cloudfunctions/funds/actions';
import { applicationActions } from '../../cloudfunctions/merchant/actions';
import { statusActions } from '../../cloudfunctions/merchant/status';
import { testKeyMaterial } from '../support/sandbox';

jest.setTimeout(120_000);

let docs: ApiDocs;
beforeAll(() => {
  docs = generateApiDocs();
});

test('everything declared can be described', () => {
  // Each problem names the declaration and what to add (a purpose, a condition, ...) in scripts/api-docs.ts.
  expect(docs.problems).toEqual([]);
});

test(`docs/api.md is current (else: ${COMMAND})`, () => {
  const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
  if (current === docs.markdown) return;
  const have = current.split('\n');
  const want = docs.markdown.split('\n');
  let i = 0;
  while (i < Math.max(have.length, want.length) && have[i] === want[i]) i++;
  throw new Error(
    [
      `docs/api.md is stale: run \`${COMMAND}\` and commit docs/api.md.`,
      `First difference at line ${i + 1}:`,
      `  file:      ${have[i] ?? '(end of file)'}`,
      `  generated: ${want[i] ?? '(end of file)'}`,
    ].join('\n'),
  );
});

test('it covers every action of every router function, with its declaration', () => {
  const tables = {
    checkout: checkoutActions,
    funds: fundsActions,
    merchant: { ...statusActions, ...applicationActions },
  };
  let n = 0;
  for (const [fn, table] of Object.entries(tables)) {
    for (const [name, action] of Object.entries(table)) {
      n++;
      const section = docs.markdown.split(`\n### ${fn}.${name}\n`)[1]?.split('\n### ')[0];
      expect(section).toBeDefined();
      expect(section).toContain(action.idempotent ? '**Idempotent**: yes' : '**Idempotent**: no');
      expect(section).toContain(
        action.roles.includes('buyer') ? '**Who**: anyone' : '**Who**: the merchant admin only',
      );
      expect(section).toMatch(/\*\*Result\*\*: `[^`]+`/);
      expect(section).toContain('**Errors**: ');
    }
  }
  expect(docs.counts.actions).toBe(n);
  expect(docs.markdown).toContain('`idempotencyKey` | string | no | 8–64 characters; pattern `^[A-Za-z0-9_-]+$`');
});

test('the routes read from the source are the ones fastify registers (sandbox and gateway)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pms-docs-'));
  const sandbox = await Sandbox.create({ dir, tickMs: 0, seedKeys: await testKeyMaterial() });
  const gateway = createGateway({ config: { mode: 'local' } } as Deps);
  await gateway.ready();
  try {
    const live = new Set(registered.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    expect(new Set(docs.routes)).toEqual(live);
    expect(docs.routes).toHaveLength(live.size);
  } finally {
    await gateway.close();
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('input rows say what the schema enforces', () => {
  const schema = z
    .object({
      name: z.string().trim().min(1).max(40),
      code: z.string().regex(/^\d{6}$/, 'six digits'),
      count: z.number().int().min(1).max(99).optional(),
      kind: z.enum(['A', 'B']).default('A'),
      lines: z
        .array(z.object({ id: z.string().max(8) }).strict())
        .min(1)
        .max(3)
        .refine(() => true, 'each id once'),
      proof: z.union([z.object({ pin: z.string() }).strict(), z.object({ token: z.string().min(2) }).strict()]),
    })
    .strict()
    .refine(() => true, { path: ['count'], message: 'count needs a name' });
  const doc = describeInput(schema);
  expect(doc.strict).toBe(true);
  expect(doc.rows).toEqual([
    { field: 'name', type: 'string', required: 'yes', rules: ['1–40 characters', 'trimmed before the checks'] },
    { field: 'code', type: 'string', required: 'yes', rules: ['pattern `^\\d{6}$` (message: six digits)'] },
    { field: 'count', type: 'integer', required: 'no', rules: ['1 to 99', 'count needs a name'] },
    { field: 'kind', type: 'string (enum)', required: 'no', rules: ['default `"A"`', 'one of `"A"`, `"B"`'] },
    { field: 'lines', type: 'array of objects', required: 'yes', rules: ['1–3 items', 'each id once'] },
    { field: 'lines[].id', type: 'string', required: 'yes', rules: ['at most 8 characters'] },
    { field: 'proof', type: 'one of the shapes below', required: 'yes', rules: [] },
    { field: 'proof.pin', type: 'string', required: 'yes (shape 1 of 2)', rules: [] },
    { field: 'proof.token', type: 'string', required: 'yes (shape 2 of 2)', rules: ['at least 2 characters'] },
  ]);
  expect(describeInput(z.object({ a: z.string() })).strict).toBe(false);
  expect(shapeOf(z.object({ status: z.enum(['OK', 'NO']), reason: z.string().optional() }))).toBe(
    '{ status: "OK" | "NO"; reason?: string }',
  );
});
