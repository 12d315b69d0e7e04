// npm run cloudbase:setup: the dry run (nothing sent), and real runs of the
// real @cloudbase/manager-node pointed (TCB_BASE_URL) at the loopback fake,
// which serves the Tencent Cloud API actions it sends, checks their TC3
// signature, and records them: collections and indexes created from
// collections.ts, idempotently, and then usable by the store.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudBaseStore } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { collections } from '../../cloudfunctions/core/collections';
import { declaredPlan, indexName, main } from '../../scripts/cloudbase-setup';
import { CloudBaseFake } from '../support/cloudbase-fake';

process.env.TENCENTCLOUD = 'true';
process.env.SILENCE = 'true';

const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
  const lines: string[] = [];
  const code = await main(argv, env, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
};

describe('npm run cloudbase:setup', () => {
  let fake: CloudBaseFake;
  let env: NodeJS.ProcessEnv;
  const saved = process.env.TCB_BASE_URL;

  beforeEach(async () => {
    fake = await new CloudBaseFake().start();
    // The manager SDK reads it on every request (lib/utils/cloud-api-request.js).
    process.env.TCB_BASE_URL = fake.managerUrl;
    env = { TCB_ENV: fake.env, TCB_SECRET_ID: fake.secretId, TCB_SECRET_KEY: fake.secretKey };
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.TCB_BASE_URL;
    else process.env.TCB_BASE_URL = saved;
    await fake.stop();
  });

  const plan = declaredPlan();
  const writes = () => fake.manager.filter((c) => c.action === 'CreateTable' || c.action === 'UpdateTable');

  test('--dry-run prints every declared collection and index and sends nothing', async () => {
    const connect = jest.fn();
    const lines: string[] = [];
    expect(await main(['--dry-run'], env, (l) => lines.push(l), connect)).toBe(0);
    expect(connect).not.toHaveBeenCalled();
    const out = lines.join('\n');
    for (const name of Object.keys(collections)) expect(out).toContain(`  collection ${name}\n`);
    expect(out).toContain('    index appid_1_createdAt_1__id_1 (appid, createdAt, _id)');
    expect(out).toContain(`${plan.collections.length} collections, ${plan.indexes.length} indexes`);
    expect(fake.manager).toHaveLength(0);
  });

  test('the npm script runs it (tsx), dry run', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'cloudbase:setup', '--', '--dry-run'], {
      env: { ...process.env, TCB_ENV: '' },
    });
    expect(stdout).toContain('dry run (nothing sent)');
    expect(stdout).toContain('index ref_orderId_1__id_1 (ref.orderId, _id)');
  });

  test('a real run creates every collection and index through the manager SDK; the store then works on them', async () => {
    const { code, out } = await run([], env);
    expect(code).toBe(0);
    expect(out).toContain(
      `0 of ${plan.collections.length} collections and 0 of ${plan.indexes.length} indexes already there`,
    );
    for (const name of plan.collections) expect(fake.hasCollection(name)).toBe(true);
    for (const { collection, fields } of plan.indexes) {
      expect(fake.indexes(collection)).toContainEqual({
        Name: indexName(fields),
        Keys: fields.map((f) => ({ Name: f, Direction: '1' })),
        Unique: false,
      });
    }
    // What it sent: the environment's database, then one index per UpdateTable.
    const actions = fake.manager.map((c) => c.action);
    expect(actions[0]).toBe('DescribeEnvInfo');
    expect(actions.filter((a) => a === 'CreateTable')).toHaveLength(plan.collections.length);
    const updates = fake.manager.filter((c) => c.action === 'UpdateTable');
    expect(updates).toHaveLength(plan.indexes.length);
    for (const u of updates) {
      expect(u.body).toMatchObject({ EnvId: fake.env, MongoConnector: { DatabaseName: 'tnt-loopback' } });
      expect(u.body.CreateIndexes).toHaveLength(1);
    }
    expect(String(fake.manager[0].headers.authorization)).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDloopbacktest\//);

    const store = CloudBaseStore.fromEnv(fake.processEnv);
    await store.insert('orders', { _id: 'o1', appid: 'wx1', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(
      (await store.find('orders', { where: { appid: 'wx1' }, orderBy: [['createdAt', 'desc']] })).items,
    ).toHaveLength(1);
  });

  test('run again: nothing is created, no index is sent again (CloudBase would drop and rebuild it)', async () => {
    await run([], env);
    fake.reset();
    const { code, out } = await run([], env);
    expect(code).toBe(0);
    expect(out).toContain('nothing to create');
    expect(writes()).toEqual([]);
    expect(fake.rebuiltIndexes).toEqual([]);
  });

  test('what exists is left alone, including an index on the same keys under another name; only the rest is created', async () => {
    fake.createCollections(['orders', 'journal']);
    const { fields } = plan.indexes.find((i) => i.collection === 'orders')!;
    // As created by hand in the console: the same keys, descending, another name.
    fake.addIndex('orders', {
      Name: 'by-hand',
      Keys: fields.map((f) => ({ Name: f, Direction: '-1' })),
      Unique: false,
    });
    const { code } = await run([], env);
    expect(code).toBe(0);
    const created = writes();
    expect(created.filter((c) => c.action === 'CreateTable').map((c) => c.body.TableName)).not.toContain('orders');
    const sentForOrders = created
      .filter((c) => c.action === 'UpdateTable' && c.body.TableName === 'orders')
      .map((c) => (c.body.CreateIndexes as Array<{ IndexName: string }>)[0].IndexName);
    expect(sentForOrders).not.toContain(indexName(fields));
    expect(sentForOrders).toHaveLength(plan.indexes.filter((i) => i.collection === 'orders').length - 1);
    expect(fake.indexes('orders')?.map((i) => i.Name)).toContain('by-hand');
  });

  test('--check lists what is missing and exits 1, creating nothing; after a run it exits 0', async () => {
    fake.createCollections(plan.collections.filter((c) => c !== 'refunds'));
    const before = await run(['--check'], env);
    expect(before.code).toBe(1);
    expect(before.out).toContain('missing collection refunds');
    expect(before.out).toContain('missing index refunds.orderId_1_createdAt_1__id_1 (orderId, createdAt, _id)');
    expect(writes()).toEqual([]);
    await run([], env);
    expect((await run(['--check'], env)).code).toBe(0);
  });

  test('without credentials, or with a wrong key, it says so and exits 1', async () => {
    expect(await run([], { TCB_ENV: fake.env })).toMatchObject({
      code: 1,
      out: expect.stringMatching(/TCB_SECRET_ID/),
    });
    const wrong = await run([], { ...env, TCB_SECRET_KEY: 'not-the-key' });
    expect(wrong).toMatchObject({ code: 1, out: expect.stringMatching(/AuthFailure.SignatureFailure/) });
    expect(writes()).toEqual([]);
  });
});
