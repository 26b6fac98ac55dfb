import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from './log.js';

/** A row as returned by either driver. */
export type Row = Record<string, unknown>;

/** What a query or transaction body sees: one SQL dialect (PostgreSQL) for PGlite and PostgreSQL. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The one data-access layer of the gateway. `transaction` runs `fn` in a transaction (committed
 * when it resolves, rolled back when it throws); `listen` receives `NOTIFY` payloads on a channel,
 * from this instance and — on PostgreSQL — from every other instance sharing the database.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** Opens PostgreSQL when `databaseUrl` is set, else PGlite in `dataDir` (`memory://` for tests). */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; poolSize: number; log: Logger }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize, options.log) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  // PostgreSQL's default 128 MB of shared buffers lives inside the WASM heap; a counter's gateway
  // needs far less, and the RSS budget (10,000 SSE clients in 300 MB) cannot afford it.
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
  if (!dataDir.includes('://')) {
    mkdirSync(dataDir, { recursive: true });
    // A new data folder runs initdb, whose WASM module PGlite caches for the life of the process
    // (~450 MB RSS that never comes back). Create the cluster in a short-lived child process instead.
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      const code = `const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))});
        const db = await PGlite.create(${JSON.stringify(dataDir)}, { startParams: ${JSON.stringify(startParams)} }); await db.close(); process.exit(0);`;
      const init = spawnSync(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
      if (init.status !== 0) throw new Error(`Could not create the PGlite data folder ${dataDir}: ${init.stderr?.toString().slice(0, 500)}`);
    }
  }
  const db = await PGlite.create(dataDir, { startParams });
  const unlisteners: Array<() => Promise<void>> = [];
  return {
    kind: 'pglite',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<T>(sql, params as unknown[])).rows;
    },
    // PGlite is one connection: its transactions are exclusive, which also serialises concurrent writers.
    transaction: (fn) => db.transaction((tx) => fn({ query: async <T extends Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<T>(sql, params as unknown[])).rows })),
    async listen(channel, onPayload) {
      unlisteners.push(await db.listen(channel, onPayload));
    },
    async close() {
      for (const unlisten of unlisteners) await unlisten().catch(() => {});
      await db.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number, log: Logger): Promise<Database> {
  const { default: pg } = await import('pg');
  // int8 (money in VND) and numeric come back as strings from `pg`; the gateway converts with Number()
  // where it reads them, so both drivers give the same values.
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', (error) => log.warn('postgres pool error', { error: error.message }));
  await pool.query('select 1');
  const listeners = new Map<string, Array<(payload: string) => void>>();
  let listenClient: InstanceType<typeof pg.Client> | undefined;
  let closed = false;
  let reconnectAttempt = 0;

  // A dedicated connection holds the LISTENs; if it drops, reconnect and re-listen (events committed
  // while it was down are not replayed — SSE clients re-sync from `GET` on reconnect).
  const connectListener = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      for (const onPayload of listeners.get(message.channel) ?? []) onPayload(message.payload ?? '');
    });
    client.on('error', (error) => {
      log.warn('postgres LISTEN connection lost', { error: error.message });
      if (listenClient === client) listenClient = undefined;
      client.end().catch(() => {});
      if (!closed) setTimeout(() => void connectListener().catch(() => {}), Math.min(10_000, 500 * 2 ** reconnectAttempt++));
    });
    await client.connect();
    for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    listenClient = client;
    reconnectAttempt = 0;
  };
  await connectListener();

  return {
    kind: 'postgres',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, params as unknown[])).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <T extends Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const existing = listeners.get(channel);
      if (existing) existing.push(onPayload);
      else {
        listeners.set(channel, [onPayload]);
        await listenClient?.query(`LISTEN ${quoteIdent(channel)}`);
      }
    },
    async close() {
      closed = true;
      await listenClient?.end().catch(() => {});
      await pool.end();
    },
  };
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
