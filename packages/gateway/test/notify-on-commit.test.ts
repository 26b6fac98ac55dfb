import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { BACKENDS, throwawayDatabase } from './helpers.js';

/**
 * `Transaction.notifyOnCommit`: the notifications are delivered, in order, exactly when the
 * transaction commits (on PostgreSQL they travel with the COMMIT) — never for one that rolls back,
 * and a notification PostgreSQL refuses (a payload over 8,000 bytes) rolls its transaction back.
 */
for (const backend of BACKENDS) {
  describe(`notifyOnCommit on ${backend.name}`, { skip: backend.skip, timeout: 60_000 }, () => {
    let db: Database;
    let drop: (() => Promise<void>) | undefined;
    const heard: string[] = [];
    const waiters: Array<() => void> = [];
    const hear = async (count: number) => {
      while (heard.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    };

    before(async () => {
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      drop = database?.drop;
      db = await openDatabase({ ...(database ? { databaseUrl: database.url } : {}), dataDir: 'memory://', poolSize: 2, log: createLogger('silent') });
      await db.query('CREATE TABLE t (v text)');
      await db.listen('test_channel', (payload) => {
        heard.push(payload);
        waiters.splice(0).forEach((wake) => wake());
      });
    });
    after(async () => {
      await db.close();
      await drop?.();
    });

    it('should deliver the payloads in order once the transaction commits, quotes and backslashes intact', async () => {
      const payloads = [`it's "one"`, "two \\ E'\\x41'", '{"json":"ba\\u00f1o"}'];
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['committed']);
        tx.notifyOnCommit('test_channel', payloads);
      });
      await hear(3);
      assert.deepEqual(heard, payloads);
      assert.deepEqual(await db.query('SELECT v FROM t'), [{ v: 'committed' }]);
    });

    it('should send nothing for a transaction that rolls back, and roll back one whose notification is refused', async () => {
      heard.length = 0;
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES ($1)', ['rolled back']);
          tx.notifyOnCommit('test_channel', ['never']);
          throw new Error('no');
        }),
        /no/,
      );
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES ($1)', ['refused']);
          tx.notifyOnCommit('test_channel', ['x'.repeat(9_000)]);
        }),
        /payload string too long/,
      );
      await db.transaction(async (tx) => tx.notifyOnCommit('test_channel', ['after']));
      await hear(1);
      assert.deepEqual(heard, ['after']);
      assert.deepEqual(await db.query('SELECT v FROM t ORDER BY v'), [{ v: 'committed' }]);
    });
  });
}
