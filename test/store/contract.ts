// The Store contract: every adapter must pass all of it. Uses the `ct*`
// collections declared below (ctMissing is declared but never created in a
// CloudBase environment: see cloudbase-behaviour.ts).
import { collections } from '../../cloudfunctions/core/collections';
import { isDuplicate, type Doc, type Store, StoreConflict } from '../../cloudfunctions/core/ports/store';

collections.ctItems = { indexes: [['group', 'rank', '_id']] };
collections.ctAccounts = { indexes: [] };
collections.ctMissing = { indexes: [] };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and its resolver, to hold a transaction open at a known point. */
function signal(): { wait: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const wait = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { wait, fire };
}

interface Item extends Doc {
  group: string;
  rank: number;
  label?: string;
  flag?: boolean;
  nested?: { a?: number; b?: string };
}

interface Account extends Doc {
  available: number;
  pending: number;
}

export function storeContract(name: string, open: () => Promise<Store>, close?: (store: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await (close ? close(store) : store.close());
    });

    test('insert then get returns the document; missing ids give null', async () => {
      await store.insert<Item>('ctItems', { _id: 'a', group: 'g', rank: 1, nested: { a: 1, b: 'x' }, flag: true });
      expect(await store.get<Item>('ctItems', 'a')).toEqual({
        _id: 'a',
        group: 'g',
        rank: 1,
        nested: { a: 1, b: 'x' },
        flag: true,
      });
      expect(await store.get('ctItems', 'nope')).toBeNull();
    });

    test('a second insert of the same id is a typed conflict and keeps the first', async () => {
      await store.insert<Item>('ctItems', { _id: 'k1', group: 'g', rank: 1 });
      const err = await store.insert<Item>('ctItems', { _id: 'k1', group: 'other', rank: 2 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreConflict);
      expect(isDuplicate(err)).toBe(true);
      expect((await store.get<Item>('ctItems', 'k1'))?.group).toBe('g');
    });

    test('find filters by equality and ranges, orders, and pages with a cursor', async () => {
      for (let i = 0; i < 7; i++)
        await store.insert<Item>('ctItems', { _id: `i${i}`, group: i % 2 ? 'odd' : 'even', rank: i, flag: i > 3 });
      const even = await store.find<Item>('ctItems', { where: { group: 'even' }, orderBy: [['rank', 'desc']] });
      expect(even.items.map((d) => d._id)).toEqual(['i6', 'i4', 'i2', 'i0']);
      expect(even.next).toBeUndefined();

      const range = await store.find<Item>('ctItems', {
        where: { rank: { $gte: 2, $lt: 5 } },
        orderBy: [['rank', 'asc']],
      });
      expect(range.items.map((d) => d.rank)).toEqual([2, 3, 4]);
      const flagged = await store.find<Item>('ctItems', { where: { flag: true, rank: { $in: [4, 5, 9] } } });
      expect(flagged.items.map((d) => d._id).sort()).toEqual(['i4', 'i5']);
      const notEven = await store.find<Item>('ctItems', { where: { group: { $ne: 'even' } } });
      expect(notEven.items).toHaveLength(3);

      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.find<Item>('ctItems', { orderBy: [['rank', 'desc']], limit: 3, after });
        seen.push(...page.items.map((d) => d._id));
        after = page.next;
      } while (after);
      expect(seen).toEqual(['i6', 'i5', 'i4', 'i3', 'i2', 'i1', 'i0']);
      expect(await store.count('ctItems', { group: 'odd' })).toBe(3);
    });

    test('cursor pages stay exact when sort values tie', async () => {
      for (let i = 0; i < 5; i++) await store.insert<Item>('ctItems', { _id: `t${i}`, group: 'g', rank: 1 });
      const first = await store.find<Item>('ctItems', { orderBy: [['rank', 'asc']], limit: 2 });
      const second = await store.find<Item>('ctItems', { orderBy: [['rank', 'asc']], limit: 2, after: first.next });
      const third = await store.find<Item>('ctItems', { orderBy: [['rank', 'asc']], limit: 2, after: second.next });
      expect([...first.items, ...second.items, ...third.items].map((d) => d._id)).toEqual([
        't0',
        't1',
        't2',
        't3',
        't4',
      ]);
      expect(third.next).toBeUndefined();
    });

    test('conditional update with increments reports whether it matched', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'm', available: 1000, pending: 0 });
      expect(
        await store.update('ctAccounts', 'm', { inc: { available: -500, pending: 500 } }, { available: { $gte: 500 } }),
      ).toBe(true);
      expect(await store.update('ctAccounts', 'm', { inc: { available: -600 } }, { available: { $gte: 600 } })).toBe(
        false,
      );
      expect(await store.get<Account>('ctAccounts', 'm')).toEqual({ _id: 'm', available: 500, pending: 500 });
      expect(await store.update('ctAccounts', 'missing', { set: { available: 1 } })).toBe(false);
      expect(await store.update('ctAccounts', 'm', { set: { 'meta.note': 'x' } })).toBe(true);
      expect((await store.get<Account & { meta: { note: string } }>('ctAccounts', 'm'))?.meta.note).toBe('x');
    });

    test('increments must be safe integers (money is integer fen)', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'f', available: 10, pending: 0 });
      await expect(store.update('ctAccounts', 'f', { inc: { available: 0.5 } })).rejects.toThrow(/safe integer/);
      expect((await store.get<Account>('ctAccounts', 'f'))?.available).toBe(10);
    });

    test('concurrent conditional decrements never drive a value below zero', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'c', available: 1000, pending: 0 });
      const attempts = Array.from({ length: 25 }, () =>
        store.update('ctAccounts', 'c', { inc: { available: -100 } }, { available: { $gte: 100 } }),
      );
      const results = await Promise.all(attempts);
      expect(results.filter(Boolean)).toHaveLength(10);
      expect((await store.get<Account>('ctAccounts', 'c'))?.available).toBe(0);
    });

    test('a transaction commits all its writes together', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'x', available: 100, pending: 0 });
      await store.transaction(async (tx) => {
        const acc = await tx.get<Account>('ctAccounts', 'x');
        await tx.update('ctAccounts', 'x', { inc: { available: -(acc?.available ?? 0) } });
        await tx.insert<Item>('ctItems', { _id: 'journal-1', group: 'j', rank: acc?.available ?? 0 });
      });
      expect((await store.get<Account>('ctAccounts', 'x'))?.available).toBe(0);
      expect((await store.get<Item>('ctItems', 'journal-1'))?.rank).toBe(100);
    });

    test('a transaction that throws leaves nothing behind', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'y', available: 100, pending: 0 });
      await expect(
        store.transaction(async (tx) => {
          await tx.update('ctAccounts', 'y', { inc: { available: -100 } });
          await tx.insert<Item>('ctItems', { _id: 'ghost', group: 'j', rank: 1 });
          await tx.remove('ctAccounts', 'y');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await store.get<Account>('ctAccounts', 'y'))?.available).toBe(100);
      expect(await store.get('ctItems', 'ghost')).toBeNull();
    });

    test('a duplicate insert inside a transaction conflicts and rolls the rest back', async () => {
      await store.insert<Item>('ctItems', { _id: 'dup', group: 'g', rank: 1 });
      await store.insert<Account>('ctAccounts', { _id: 'z', available: 5, pending: 0 });
      const err = await store
        .transaction(async (tx) => {
          await tx.update('ctAccounts', 'z', { inc: { available: 1 } });
          await tx.insert<Item>('ctItems', { _id: 'dup', group: 'g', rank: 2 });
        })
        .catch((e: unknown) => e);
      expect(isDuplicate(err)).toBe(true);
      expect((await store.get<Account>('ctAccounts', 'z'))?.available).toBe(5);
    });

    test('conditional update inside a transaction sees the condition', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'w', available: 50, pending: 0 });
      const matched = await store.transaction((tx) =>
        tx.update('ctAccounts', 'w', { inc: { available: -100 } }, { available: { $gte: 100 } }),
      );
      expect(matched).toBe(false);
      expect((await store.get<Account>('ctAccounts', 'w'))?.available).toBe(50);
    });

    test('paging on a nullable field visits every document: the null group first ascending, last descending', async () => {
      const docs: Item[] = [
        { _id: 'n1', group: 'g', rank: 1, label: null as unknown as string },
        { _id: 'n2', group: 'g', rank: 2 },
        { _id: 'a', group: 'g', rank: 3, label: 'a' },
        { _id: 'b', group: 'g', rank: 4, label: 'b' },
        { _id: 'n3', group: 'g', rank: 5, label: null as unknown as string },
        { _id: 'c', group: 'g', rank: 6, label: 'c' },
      ];
      for (const doc of docs) await store.insert<Item>('ctItems', doc);
      const walk = async (direction: 'asc' | 'desc') => {
        const ids: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.find<Item>('ctItems', { orderBy: [['label', direction]], limit: 2, after });
          ids.push(...page.items.map((d) => d._id));
          after = page.next;
        } while (after);
        return ids;
      };
      // null and missing are one group (both adapters), ordered by _id.
      expect(await walk('asc')).toEqual(['n1', 'n2', 'n3', 'a', 'b', 'c']);
      expect(await walk('desc')).toEqual(['c', 'b', 'a', 'n3', 'n2', 'n1']);
    });

    test('a $in on a field outside the sort keeps the sort across its values, page after page', async () => {
      for (let i = 0; i < 6; i++)
        await store.insert<Item>('ctItems', { _id: `m${i}`, group: ['x', 'y', 'z'][i % 3], rank: i });
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const page = await store.find<Item>('ctItems', {
          where: { group: { $in: ['x', 'z'] } },
          orderBy: [['rank', 'desc']],
          limit: 2,
          after,
        });
        ids.push(...page.items.map((d) => d._id));
        after = page.next;
      } while (after);
      expect(ids).toEqual(['m5', 'm3', 'm2', 'm0']);
    });

    test('a plain write to a document a transaction has written waits for the commit, then applies on top', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'p', available: 10, pending: 0 });
      const locked = signal();
      const release = signal();
      const tx = store.transaction(async (t) => {
        await t.update('ctAccounts', 'p', { inc: { available: 5 } });
        locked.fire();
        await release.wait;
      });
      await locked.wait;
      let plainDone = false;
      const plain = store.update('ctAccounts', 'p', { inc: { available: 100 } }).then((applied) => {
        plainDone = true;
        return applied;
      });
      await pause(50);
      expect(plainDone).toBe(false);
      release.fire();
      await tx;
      expect(await plain).toBe(true);
      expect((await store.get<Account>('ctAccounts', 'p'))?.available).toBe(115);
    });

    test('a transaction reads a snapshot: a plain write made while it runs is not seen', async () => {
      await store.insert<Account>('ctAccounts', { _id: 'sA', available: 1, pending: 0 });
      await store.insert<Account>('ctAccounts', { _id: 'sB', available: 1, pending: 0 });
      const started = signal();
      const go = signal();
      const tx = store.transaction(async (t) => {
        await t.get('ctAccounts', 'sA');
        started.fire();
        await go.wait;
        return (await t.get<Account>('ctAccounts', 'sB'))?.available;
      });
      await started.wait;
      // Lands at once on CloudBase (sB is not locked); waits for the transaction on SQLite.
      const write = store.update('ctAccounts', 'sB', { set: { available: 2 } });
      await Promise.race([write, pause(50)]);
      go.fire();
      expect(await tx).toBe(1);
      expect(await write).toBe(true);
      expect((await store.get<Account>('ctAccounts', 'sB'))?.available).toBe(2);
    });

    test('an id inserted elsewhere while a transaction inserts it: one insert wins, the other is DUPLICATE_ID', async () => {
      const started = signal();
      const go = signal();
      const tx = store
        .transaction(async (t) => {
          await t.get('ctItems', 'elsewhere');
          started.fire();
          await go.wait;
          await t.insert<Item>('ctItems', { _id: 'race', group: 'tx', rank: 1 });
        })
        .then(
          () => 'inserted',
          (e: unknown) => e,
        );
      await started.wait;
      const plain = store.insert<Item>('ctItems', { _id: 'race', group: 'plain', rank: 2 }).then(
        () => 'inserted',
        (e: unknown) => e,
      );
      await Promise.race([plain, pause(50)]);
      go.fire();
      const outcomes = [await tx, await plain];
      expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
      expect(outcomes.filter((o) => isDuplicate(o))).toHaveLength(1);
      const winner = outcomes[0] === 'inserted' ? 'tx' : 'plain';
      expect((await store.get<Item>('ctItems', 'race'))?.group).toBe(winner);
    });

    test('round trips are counted', async () => {
      const before = store.roundTrips;
      await store.insert<Item>('ctItems', { _id: 'r', group: 'g', rank: 1 });
      await store.get('ctItems', 'r');
      expect(store.roundTrips - before).toBeGreaterThanOrEqual(2);
    });
  });
}
