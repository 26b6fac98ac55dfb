// Finds a PostgreSQL server for the tests that need a real one (the gateway's PostgreSQL variant).
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
