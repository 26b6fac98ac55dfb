import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Database, openDatabase } from '../src/db.js';
import { createLogger } from '../src/log.js';

/**
 * `memory://` PGlite databases after the first of a process start from a copy of the first one's new,
 * empty cluster rather than running initdb again (db.ts). Each must still be new, empty and its own.
 */
describe('memory:// databases', () => {
  const open = () => openDatabase({ dataDir: 'memory://', poolSize: 1, log: createLogger('silent') });
  const tables = async (db: Database) =>
    (await db.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1")).map(
      (row) => row.name,
    );

  it('should start each one empty and on its own, whatever the ones before hold', async () => {
    const first = await open();
    const opened: Database[] = [first];
    try {
      await first.query('CREATE TABLE payments_a (id text PRIMARY KEY)');
      await first.query("INSERT INTO payments_a VALUES ('a')");
      // Two at once after it, then one of them written to, then another.
      const [second, third] = await Promise.all([open(), open()]);
      opened.push(second!, third!);
      for (const db of [second!, third!]) assert.deepEqual(await tables(db), []);
      await second!.query('CREATE TABLE payments_b (id text PRIMARY KEY)');
      const fourth = await open();
      opened.push(fourth);
      assert.deepEqual(await tables(fourth), []);
      assert.deepEqual(await tables(third!), []);
      assert.deepEqual(await first.query('SELECT id FROM payments_a'), [{ id: 'a' }]);
      // A whole cluster, as initdb makes it, with the gateway's start parameters.
      assert.deepEqual(await fourth.query('SHOW shared_buffers'), [{ shared_buffers: '16MB' }]);
      assert.deepEqual(await fourth.query("SELECT datname FROM pg_database WHERE datname = 'postgres'"), [{ datname: 'postgres' }]);
    } finally {
      await Promise.all(opened.map((db) => db.close()));
    }
  });
});
