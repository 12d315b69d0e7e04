// npm run cloudbase:setup [-- --dry-run | --check]
//
// Creates, in a CloudBase environment, every collection declared in
// cloudfunctions/core/collections.ts with its indexes: the same declaration
// the SQLite adapter builds its tables and indexes from. Idempotent: what
// exists is left alone (an index counts as existing when one with the same
// keys is there, whatever its name), only what is missing is created.
//
//   --dry-run  prints the declared collections and indexes; sends nothing.
//   --check    reads the environment and lists what is missing; creates
//              nothing; exits 1 if anything is.
//
// Credentials: TCB_ENV, TCB_SECRET_ID and TCB_SECRET_KEY (as the functions'
// store uses), or the manager SDK's own TENCENTCLOUD_SECRETID/SECRETKEY.
// TCB_BASE_URL replaces the Tencent Cloud API endpoint (the manager SDK reads
// it on every request: node_modules/@cloudbase/manager-node/lib/utils/
// cloud-api-request.js); the tests point it at a loopback server.
//
// Through @cloudbase/manager-node's DatabaseService (docs.cloudbase.net/
// api-reference/manager/node/database): listCollections (ListTables),
// describeCollection (DescribeTable: the indexes), createCollection
// (CreateTable), updateCollection (UpdateTable with CreateIndexes,
// cloud.tencent.com/document/api/876/127964). An index is created one per
// call: one call may create some of several and fail on the rest, and
// creating one that exists drops and rebuilds it ("索引创建时如果已经存在,则会先删除
// 再创建", docs.cloudbase.net/api-reference/manager/php/clouddatabase), which is
// why existing indexes are read first and never sent again.
import { type CollectionSpec, collections } from '../cloudfunctions/core/collections';

export interface IndexPlan {
  collection: string;
  name: string;
  fields: string[];
}

export interface Plan {
  collections: string[];
  indexes: IndexPlan[];
}

/** MongoDB's name for an ascending index on these fields, dots made underscores. */
export function indexName(fields: string[]): string {
  return fields.map((f) => `${f.replace(/\./g, '_')}_1`).join('_');
}

export function declaredPlan(specs: Record<string, CollectionSpec> = collections): Plan {
  const names = Object.keys(specs).sort();
  return {
    collections: names,
    indexes: names.flatMap((collection) =>
      specs[collection].indexes.map((fields) => ({ collection, name: indexName(fields), fields })),
    ),
  };
}

export interface ExistingIndex {
  Name: string;
  Keys?: Array<{ Name?: string; Direction?: string }>;
}

/** Each existing collection with its indexes (as DescribeTable reports them). */
export type Existing = Map<string, ExistingIndex[]>;

/** An ascending index on these fields, or its exact reverse (it serves the same queries). */
function sameKeys(index: ExistingIndex, fields: string[]): boolean {
  const keys = index.Keys ?? [];
  if (keys.length !== fields.length || keys.some((k, i) => k.Name !== fields[i])) return false;
  const directions = new Set(keys.map((k) => String(k.Direction)));
  return directions.size === 1 && (directions.has('1') || directions.has('-1'));
}

export interface Diff extends Plan {
  /** Indexes whose name is taken by an index on other keys: left alone, reported. */
  clashes: Array<IndexPlan & { existing: string }>;
}

export function missing(plan: Plan, existing: Existing): Diff {
  const diff: Diff = { collections: [], indexes: [], clashes: [] };
  for (const collection of plan.collections) if (!existing.has(collection)) diff.collections.push(collection);
  for (const index of plan.indexes) {
    const there = existing.get(index.collection) ?? [];
    if (there.some((i) => sameKeys(i, index.fields))) continue;
    const taken = there.find((i) => i.Name === index.name);
    if (taken) {
      diff.clashes.push({ ...index, existing: (taken.Keys ?? []).map((k) => `${k.Name} ${k.Direction}`).join(', ') });
    } else diff.indexes.push(index);
  }
  return diff;
}

/** The parts of @cloudbase/manager-node's DatabaseService used here. */
export interface DatabaseManager {
  listCollections(options?: { MgoLimit?: number; MgoOffset?: number }): Promise<{
    Collections: Array<{ CollectionName: string }>;
    Pager?: { Total?: number };
  }>;
  describeCollection(name: string): Promise<{ Indexes?: ExistingIndex[] }>;
  createCollection(name: string): Promise<unknown>;
  updateCollection(
    name: string,
    info: {
      CreateIndexes: Array<{
        IndexName: string;
        MgoKeySchema: { MgoIndexKeys: Array<{ Name: string; Direction: string }>; MgoIsUnique: boolean };
      }>;
    },
  ): Promise<unknown>;
}

/** The declared collections that exist, with their indexes. */
export async function readExisting(db: DatabaseManager, plan: Plan): Promise<Existing> {
  const names = new Set<string>();
  const limit = 100;
  for (let offset = 0; ; offset += limit) {
    const page = await db.listCollections({ MgoLimit: limit, MgoOffset: offset });
    for (const c of page.Collections ?? []) names.add(c.CollectionName);
    const total = page.Pager?.Total ?? 0;
    if ((page.Collections ?? []).length < limit || offset + limit >= total) break;
  }
  const existing: Existing = new Map();
  for (const collection of plan.collections) {
    if (names.has(collection)) existing.set(collection, (await db.describeCollection(collection)).Indexes ?? []);
  }
  return existing;
}

export async function apply(db: DatabaseManager, diff: Diff, say: (line: string) => void): Promise<void> {
  for (const collection of diff.collections) {
    await db.createCollection(collection);
    say(`  created collection ${collection}`);
  }
  for (const { collection, name, fields } of diff.indexes) {
    await db.updateCollection(collection, {
      CreateIndexes: [
        {
          IndexName: name,
          MgoKeySchema: { MgoIndexKeys: fields.map((f) => ({ Name: f, Direction: '1' })), MgoIsUnique: false },
        },
      ],
    });
    say(`  created index ${collection}.${name} (${fields.join(', ')})`);
  }
}

/** The manager SDK's database service for the environment, or why there is none. */
export async function connect(env: NodeJS.ProcessEnv): Promise<DatabaseManager> {
  const envId = env.TCB_ENV;
  if (!envId) throw new Error('set TCB_ENV to the CloudBase environment id');
  const secretId = env.TCB_SECRET_ID || undefined;
  const secretKey = env.TCB_SECRET_KEY || undefined;
  if (!secretId !== !secretKey) throw new Error('set both TCB_SECRET_ID and TCB_SECRET_KEY, or neither');
  if (!secretId && !(env.TENCENTCLOUD_SECRETID && env.TENCENTCLOUD_SECRETKEY))
    throw new Error('set TCB_SECRET_ID and TCB_SECRET_KEY (an API key allowed to manage the environment)');
  const { default: CloudBase } = await import('@cloudbase/manager-node');
  // Not CloudBase.init(): that keeps one instance per process.
  const manager = new CloudBase({ envId, ...(secretId ? { secretId, secretKey } : {}) });
  return manager.database as unknown as DatabaseManager;
}

function describePlan(plan: Plan, say: (line: string) => void): void {
  for (const collection of plan.collections) {
    say(`  collection ${collection}`);
    for (const index of plan.indexes.filter((i) => i.collection === collection))
      say(`    index ${index.name} (${index.fields.join(', ')})`);
  }
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  connectTo: (env: NodeJS.ProcessEnv) => Promise<DatabaseManager> = connect,
): Promise<number> {
  const plan = declaredPlan();
  const unknown = argv.filter((a) => a !== '--dry-run' && a !== '--check');
  if (unknown.length) {
    say(`unknown option ${unknown.join(' ')}; usage: npm run cloudbase:setup [-- --dry-run | --check]`);
    return 2;
  }
  if (argv.includes('--dry-run')) {
    say('CloudBase setup, dry run (nothing sent): the collections and indexes in cloudfunctions/core/collections.ts');
    describePlan(plan, say);
    say(
      `${plan.collections.length} collections, ${plan.indexes.length} indexes. A real run creates those the environment lacks and leaves the rest alone.`,
    );
    return 0;
  }
  const check = argv.includes('--check');
  let db: DatabaseManager;
  try {
    db = await connectTo(env);
  } catch (err) {
    say(`cloudbase:setup: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  try {
    const diff = missing(plan, await readExisting(db, plan));
    say(`CloudBase setup of ${env.TCB_ENV}${check ? ' (check only: nothing created)' : ''}`);
    const present = plan.collections.length - diff.collections.length;
    say(
      `  ${present} of ${plan.collections.length} collections and ${plan.indexes.length - diff.indexes.length - diff.clashes.length} of ${plan.indexes.length} indexes already there`,
    );
    for (const c of diff.clashes)
      say(
        `  index name ${c.collection}.${c.name} is taken by an index on (${c.existing}): left alone; rename or drop it in the console`,
      );
    if (check) {
      for (const collection of diff.collections) say(`  missing collection ${collection}`);
      for (const i of diff.indexes) say(`  missing index ${i.collection}.${i.name} (${i.fields.join(', ')})`);
      return diff.collections.length || diff.indexes.length || diff.clashes.length ? 1 : 0;
    }
    await apply(db, diff, say);
    say(diff.collections.length || diff.indexes.length ? '  done' : '  nothing to create');
    return diff.clashes.length ? 1 : 0;
  } catch (err) {
    const e = err as { code?: string; message?: string; requestId?: string };
    say(
      `cloudbase:setup failed: ${e.code ?? ''} ${e.message ?? String(err)}${e.requestId ? ` (request ${e.requestId})` : ''}`,
    );
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
