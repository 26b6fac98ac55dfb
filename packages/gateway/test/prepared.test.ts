import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Database, openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { BACKENDS, throwawayDatabase } from './helpers.js';

/**
 * A transaction's statements with parameters run as named (prepared) statements on both drivers
 * (db.ts): parsed once per connection, then bound and executed. They must give what a plain query
 * gives, for every kind of value the gateway passes, and survive the errors a transaction meets.
 */
for (const backend of BACKENDS) {
  describe(`prepared statements in transactions on ${backend.name}`, { skip: backend.skip, timeout: 60_000 }, () => {
    let db: Database;
    let drop: (() => Promise<void>) | undefined;

    before(async () => {
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      drop = database?.drop;
      // One connection, so the second transaction meets what the first one prepared.
      db = await openDatabase({ ...(database ? { databaseUrl: database.url } : {}), dataDir: 'memory://', poolSize: 1, log: createLogger('silent') });
      await db.query('CREATE TABLE kinds (id text PRIMARY KEY, n bigint, flag boolean, at timestamptz, doc jsonb, tags text[], note text)');
    });
    after(async () => {
      await db?.close();
      await drop?.();
    });

    const INSERT =
      'INSERT INTO kinds (id, n, flag, at, doc, tags, note) VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7) RETURNING id, n, flag, at, doc, tags, note';
    const SELECT = 'SELECT id, n, flag, at, doc, tags, note FROM kinds WHERE id = ANY($1::text[]) ORDER BY id';

    it('should store and read back every kind of value the gateway passes, as a plain query does', async () => {
      const at = new Date('2026-12-01T08:30:00.250Z');
      const rows = [
        ['a', 50_000, true, at, JSON.stringify({ memo: 'it\'s "ok" \\ đồng' }), '{MC1,MC2}', 'Lệ phí'],
        ['b', '9007199254740993', false, at.toISOString(), '[1,2]', '{}', null],
      ];
      const inserted = await db.transaction(async (tx) => {
        const out = [];
        for (const values of rows) out.push(...(await tx.query(INSERT, values)));
        return out;
      });
      const plain = await db.query(SELECT, ['{a,b}']);
      const prepared = await db.transaction((tx) => tx.query(SELECT, ['{a,b}']));
      assert.deepEqual(prepared, plain);
      assert.deepEqual(inserted, plain);
      const [a, b] = plain as Array<Record<string, unknown>>;
      assert.equal(Number(a!.n), 50_000);
      assert.equal(String(b!.n), '9007199254740993');
      assert.deepEqual([a!.flag, b!.flag], [true, false]);
      assert.equal(new Date(a!.at as string).toISOString(), at.toISOString());
      assert.deepEqual(a!.doc, { memo: 'it\'s "ok" \\ đồng' });
      assert.deepEqual([a!.tags, b!.tags, b!.note], [['MC1', 'MC2'], [], null]);
    });

    it('should prepare a statement once per connection and run it again by name', async () => {
      await db.transaction((tx) => tx.query(SELECT, ['{a}']));
      const names = await db.transaction((tx) => tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [SELECT]));
      assert.equal(names.length, 1, JSON.stringify(names));
      assert.match(names[0]!.name, /^motcua_\d+$/);
    });

    it('should give a failed statement its SQLSTATE, roll back, and run the same statement again after', async () => {
      const again = ['c', 1, true, new Date(), '{}', '{}', null];
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(INSERT, again);
          await tx.query(INSERT, again);
        }),
        (error: { code?: string }) => error.code === '23505',
      );
      assert.deepEqual(await db.query('SELECT id FROM kinds WHERE id = $1', ['c']), []);
      // A value the statement's type refuses fails on its own; the next transaction is unaffected.
      await assert.rejects(
        db.transaction((tx) => tx.query(INSERT, ['d', 'not a number', true, new Date(), '{}', '{}', null])),
        (error: { code?: string }) => error.code === '22P02',
      );
      const [row] = await db.transaction((tx) => tx.query<{ id: string }>(INSERT, again));
      assert.equal(row!.id, 'c');
    });

    it('should leave no statement behind when its text does not parse, and go on', async () => {
      const broken = 'SELECT id FROM kinds WHERE id = $1 AND AND';
      for (let i = 0; i < 2; i++)
        await assert.rejects(
          db.transaction((tx) => tx.query(broken, ['a'])),
          (error: { code?: string }) => error.code === '42601',
        );
      const [row] = await db.transaction((tx) => tx.query<{ id: string }>('SELECT id FROM kinds WHERE id = $1', ['a']));
      assert.equal(row!.id, 'a');
    });
  });
}
