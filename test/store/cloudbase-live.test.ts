// The Store contract and the CloudBase behaviour suite against a real
// CloudBase environment: the check before launch (README, "CloudBase:
// collections, indexes and the live check"). It needs network access and
// credentials, so it runs only when TCB_ENV, TCB_SECRET_ID and TCB_SECRET_KEY
// are set (use an environment dedicated to tests: the contract collections are
// emptied before each test, and ctMissing must never be created there).
// Otherwise it says why it skips. The behaviour suite waits out CloudBase's
// 30 s transaction lifetime several times: expect a few minutes.
import { createApp, optionsFromEnv } from '../../cloudfunctions/core/adapters/cloudbase/app';
import { CloudBaseStore, TRANSACTION_LIFETIME_MS } from '../../cloudfunctions/core/adapters/cloudbase/store';
import { cloudbaseBehaviour } from './cloudbase-behaviour';
import { storeContract } from './contract';

const { TCB_ENV, TCB_SECRET_ID, TCB_SECRET_KEY } = process.env;
const configured = Boolean(TCB_ENV && TCB_SECRET_ID && TCB_SECRET_KEY);
const COLLECTIONS = ['ctItems', 'ctAccounts'];

async function emptyCollections(): Promise<void> {
  const db = createApp(optionsFromEnv(process.env)).database();
  const _ = db.command;
  for (const name of COLLECTIONS) {
    try {
      await db.createCollection(name);
    } catch (err) {
      if ((err as { code?: string }).code !== 'DATABASE_COLLECTION_ALREADY_EXIST') throw err;
    }
    await db
      .collection(name)
      .where({ _id: _.exists(true) })
      .remove();
  }
}

if (configured) {
  jest.setTimeout(120_000);
  storeContract('CloudBase (live environment)', async () => {
    await emptyCollections();
    return CloudBaseStore.fromEnv(process.env);
  });
  cloudbaseBehaviour(
    'live environment (transactions live 30 s)',
    async () => {
      await emptyCollections();
      return { options: optionsFromEnv(process.env), lifetimeMs: TRANSACTION_LIFETIME_MS };
    },
    async () => undefined,
  );
} else {
  const reason =
    'CloudBase live contract skipped: set TCB_ENV, TCB_SECRET_ID and TCB_SECRET_KEY to run it against a real environment';
  // Straight to stderr: jest drops console output of a file whose tests all skip.
  process.stderr.write(`${reason}\n`);
  describe.skip(reason, () => {
    test('Store contract against CloudBase', () => undefined);
  });
}
