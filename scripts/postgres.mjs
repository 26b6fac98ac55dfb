// Finds a PostgreSQL server for the tests that need a real one (the gateway's PostgreSQL variant), and
// gives the gateway tests and the benchmarks each a database of their own on it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** @returns {Promise<string | undefined>} a connectable admin URL, or undefined. */
export async function findPostgres() {
  const url = process.env.MOTCUA_TEST_PG_URL || DEFAULT_TEST_PG_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A new empty database `<prefix>_<random>` on the server of `adminUrl` (default `MOTCUA_TEST_PG_URL`,
 * else the local one): its `name`, `url` and `drop()`. Rejects when the server cannot be reached or
 * refuses (the benchmarks then skip PostgreSQL).
 * @param {{ adminUrl?: string, prefix: string }} options
 * @returns {Promise<{ name: string, url: string, drop(): Promise<void> }>}
 */
export async function throwawayDatabase({ adminUrl = process.env.MOTCUA_TEST_PG_URL || DEFAULT_TEST_PG_URL, prefix }) {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  // Bounded, so that an unreachable host fails in seconds; generous, so that a loaded test machine does not.
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
