import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite as PGliteClass, Transaction as PgliteTransaction } from '@electric-sql/pglite';
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
 * A database that cannot answer (connection lost, refused or timed out, statement timeout, server
 * shutting down) raises {@link DatabaseUnavailableError}; the HTTP edge answers 503 + Retry-After.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  /** Whether notifications from other instances arrive (the LISTEN connection is up; always on PGlite). */
  readonly listening: boolean;
  /** Called with `false` when the LISTEN connection is lost and `true` once it listens again. */
  onListening(callback: (up: boolean) => void): void;
  close(): Promise<void>;
}

/** What a transaction body sees: statements, and notifications sent when (and only if) it commits. */
export interface Transaction extends Queryable {
  /**
   * `NOTIFY channel, payload` for each payload, in order, as the transaction commits. PostgreSQL: sent
   * with the COMMIT, in its round trip (one statement fewer per transaction); a notification that
   * fails (a payload over 8,000 bytes) rolls the transaction back, as a NOTIFY statement would.
   */
  notifyOnCommit(channel: string, payloads: readonly string[]): void;
}

/** The database did not answer (lost, refused, timed out or shutting down): nothing was stored. Retry later. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(cause: unknown) {
    super(`database unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** SQLSTATEs of a database that cannot serve now: class 08 (connection), 57014 (statement timeout),
 * 57P01–57P03 (shutdown, crash recovery, cannot connect now), 53300 (too many connections), 25P03. */
const UNAVAILABLE_SQLSTATE = /^(08...|57014|57P0[1-3]|53300|25P03)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection closed|not queryable|connection error|PGlite is closed/i;

/** Whether `error` says the database could not answer (as opposed to a bad statement or a constraint). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/** Runs a database call, turning "the database could not answer" into {@link DatabaseUnavailableError}. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isUnavailable(error) && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;
  }
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  log: Logger;
  /** PostgreSQL: longest wait for a connection (new, or free in the pool), ms. */
  connectTimeoutMs?: number;
  /** PostgreSQL: longest a statement may run (`statement_timeout`); the client gives up 1 s later if the server says nothing at all. */
  statementTimeoutMs?: number;
}

/** Opens PostgreSQL when `databaseUrl` is set, else PGlite in `dataDir` (`memory://` for tests). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.dataDir);
}

/**
 * The files of a new, empty cluster, copied (gzip, 4.5 MB) from the first `memory://` database this
 * process opened: the next ones load them rather than run initdb again — 0.6 s instead of 2.1 s a
 * start here, which a test suite starting a gateway per test group pays many times.
 */
let freshCluster: Promise<Blob> | undefined;

async function openPgliteCluster(PGlite: typeof PGliteClass, dataDir: string, startParams: string[]): Promise<PGliteClass> {
  if (dataDir !== 'memory://') return PGlite.create(dataDir, { startParams });
  const loadDataDir = await freshCluster?.catch(() => undefined);
  if (loadDataDir) return PGlite.create(dataDir, { startParams, loadDataDir });
  const db = await PGlite.create(dataDir, { startParams });
  if (!freshCluster) {
    // Copied before anything is written to it; a copy that fails leaves the next start to initdb.
    freshCluster = db.dumpDataDir('gzip');
    await freshCluster.catch(() => {
      freshCluster = undefined;
    });
  }
  return db;
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite, protocol, parse } = await import('@electric-sql/pglite');
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
      // initdb takes seconds on a quiet machine; five minutes covers a badly overloaded one.
      const init = spawnSync(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
      if (init.status !== 0) {
        const stderr = init.stderr?.toString().trim().slice(0, 500);
        const why = init.error?.message ?? (init.signal ? `stopped by ${init.signal}` : '');
        throw new Error(`Could not create the PGlite data folder ${dataDir}: ${[why, stderr].filter(Boolean).join('; ') || `exit code ${init.status}`}`);
      }
    }
  }
  const db = await openPgliteCluster(PGlite, dataDir, startParams);
  const unlisteners: Array<() => Promise<void>> = [];
  /** The parameter types of each named statement this PGlite session has prepared. */
  const preparedTypes = new Map<string, number[]>();
  const { serialize } = protocol;
  /**
   * A transaction's statement as a named (prepared) statement, in one call into PostgreSQL: PGlite's
   * `query` parses, plans and describes every statement anew, in six calls into the WASM PostgreSQL.
   * The first use of a text parses it and reads its parameter types (PGlite serialises the values by
   * type, as its `query` does); then bind, describe, execute and sync go in one message. Same rules as
   * {@link prepared} on PostgreSQL; called inside a PGlite transaction, whose mutex it keeps.
   */
  const runPrepared = async <T extends Row>(tx: PgliteTransaction, sql: string, params: unknown[]): Promise<T[]> => {
    const name = statementName(sql, params);
    if (name === undefined) return (await tx.query<T>(sql, params)).rows;
    return db.runExclusive(async () => {
      let types = preparedTypes.get(name);
      if (!types) {
        const { messages } = await db.execProtocol(
          Buffer.concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]),
          {
            syncToFs: false,
          },
        );
        types = parse.parseDescribeStatementResults(messages);
        preparedTypes.set(name, types);
      }
      const values = params.map((value, i) => (value === null || value === undefined ? null : (db.serializers[types[i]!] ?? String)(value)));
      const message = Buffer.concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
      const { messages } = await db.execProtocol(message, { syncToFs: false });
      return parse.parseResults(messages, db.parsers)[0]!.rows as T[];
    });
  };
  return {
    kind: 'pglite',
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) => guarded(async () => (await db.query<T>(sql, params as unknown[])).rows),
    // PGlite is one connection: its transactions are exclusive, which also serialises concurrent writers.
    transaction: (fn) =>
      guarded(() =>
        db.transaction(async (tx) => {
          const notifications: Array<[string, readonly string[]]> = [];
          const result = await fn({
            query: <T extends Row>(sql: string, params: readonly unknown[] = []) => guarded(() => runPrepared<T>(tx, sql, params as unknown[])),
            notifyOnCommit: (channel, payloads) => void notifications.push([channel, payloads]),
          });
          for (const [channel, payloads] of notifications)
            await guarded(() =>
              tx.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS p(payload, n) ORDER BY n', [channel, payloads]),
            );
          return result;
        }),
      ),
    async listen(channel, onPayload) {
      unlisteners.push(await db.listen(channel, onPayload));
    },
    listening: true,
    onListening() {},
    async close() {
      for (const unlisten of unlisteners) await unlisten().catch(() => {});
      await db.close();
    },
  };
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  const { poolSize, log, connectTimeoutMs = 5_000, statementTimeoutMs = 5_000 } = options;
  // Bounded waits, so a frozen or unreachable server gives an error (→ 503) instead of a hung request:
  // connecting, the server-side statement_timeout, and — for a server that answers nothing at all
  // (SIGSTOP, a dead network) — the client-side query_timeout, after which pg-pool drops the connection.
  const connection = {
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1_000 } : {}),
  };
  // int8 (money in VND) and numeric come back as strings from `pg`; the gateway converts with Number()
  // where it reads them, so both drivers give the same values.
  const pool = new pg.Pool({ ...connection, max: poolSize, application_name: 'motcua-gateway' });
  pool.on('error', (error) => log.warn('postgres pool error', { error: error.message }));
  // Never an unhandled 'error' event, which would end the process: the pool listens on idle clients
  // only and a transaction on its own; this covers a connection's last words (57P01 at a shutdown,
  // then the socket's end) whoever holds it then. Whoever runs a query on it still sees it fail.
  pool.on('connect', (client) => client.on('error', (error) => log.debug('postgres connection error', { error: error.message })));
  await pool.query('select 1');
  const listeners = new Map<string, Array<(payload: string) => void>>();
  const stateCallbacks: Array<(up: boolean) => void> = [];
  let listenClient: InstanceType<typeof pg.Client> | undefined;
  let listening = false;
  let closed = false;
  let reconnectAttempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const setListening = (up: boolean) => {
    if (listening === up) return;
    listening = up;
    for (const callback of stateCallbacks) callback(up);
  };
  // A dedicated connection holds the LISTENs. If it drops, reconnect forever (backoff 250 ms doubling
  // to 3 s); events committed while it was down are not replayed here: the owner of onListening
  // re-reads what its subscribers watch once it is back.
  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    const delay = Math.min(3_000, 250 * 2 ** reconnectAttempt++);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connectListener().catch((error: unknown) => {
        log.warn('postgres LISTEN reconnect failed', { attempt: reconnectAttempt, error: (error as Error).message });
        scheduleReconnect();
      });
    }, delay);
  };
  const lost = (client: InstanceType<typeof pg.Client>, error: Error) => {
    if (client !== listenClient) return;
    listenClient = undefined;
    log.warn('postgres LISTEN connection lost', { error: error.message });
    client.end().catch(() => {});
    setListening(false);
    scheduleReconnect();
  };
  const connectListener = async (): Promise<void> => {
    const client = new pg.Client({ ...connection, application_name: 'motcua-gateway-listen' });
    client.on('notification', (message) => {
      for (const onPayload of listeners.get(message.channel) ?? []) onPayload(message.payload ?? '');
    });
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (closed) return void client.end().catch(() => {});
    listenClient = client;
    reconnectAttempt = 0;
    setListening(true);
  };
  await connectListener();

  return {
    kind: 'postgres',
    query: <T extends Row>(sql: string, params: readonly unknown[] = []) => guarded(async () => (await pool.query(sql, params as unknown[])).rows as T[]),
    async transaction(fn) {
      const client = await guarded(() => pool.connect());
      // A checked-out client has no pool listener: without this one, a backend killed mid-transaction
      // (the OOM killer) is an unhandled 'error' event, which ends the process.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
        log.warn('postgres connection lost in a transaction', { error: error.message });
      };
      client.on('error', onError);
      try {
        const notifications: string[] = [];
        const tx: Transaction = {
          query: <T extends Row>(sql: string, params: readonly unknown[] = []) =>
            guarded(async () => (await client.query(prepared(sql, params as unknown[]))).rows as T[]),
          notifyOnCommit(channel, payloads) {
            for (const payload of payloads) notifications.push(`SELECT pg_notify(${client.escapeLiteral(channel)}, ${client.escapeLiteral(payload)});`);
          },
        };
        await tx.query('BEGIN');
        const result = await fn(tx);
        // One simple-protocol message: the NOTIFYs, then COMMIT (not run if a NOTIFY fails: the ROLLBACK below follows).
        await guarded(() => client.query(`${notifications.join(' ')} COMMIT`));
        return result;
      } catch (error) {
        if (isUnavailable(error)) broken ??= error as Error;
        else if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw broken && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error) : error;
      } finally {
        client.removeListener('error', onError);
        // A broken or timed-out connection is destroyed, not returned to the pool (the server rolls back).
        client.release(broken);
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
    get listening() {
      return listening;
    },
    onListening(callback) {
      stateCallbacks.push(callback);
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      const client = listenClient;
      listenClient = undefined;
      await client?.end().catch(() => {});
      await pool.end();
    },
  };
}

/**
 * A transaction's statement with parameters as a named (prepared) statement of `pg`: each connection
 * parses it once, then only binds and executes it (PostgreSQL plans it anew or keeps a generic plan,
 * as for any prepared statement). Transactions only: their statements find rows by key (the paying
 * path, payments, counters), where a generic plan cannot go wrong; reads and reports stay unnamed.
 * Not for a statement whose result columns come from a `*` (`SELECT *`, `RETURNING *`): a column
 * added by a newer instance's migration would make it fail ("cached plan must not change result
 * type"). The texts are the gateway's own (values go in parameters); past {@link MAX_PREPARED}
 * distinct texts, the others run unnamed.
 */
function prepared(sql: string, values: unknown[]): { text: string; values: unknown[]; name?: string } {
  const name = statementName(sql, values);
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}

/** The name a transaction's statement is prepared under (the same on both drivers), or none: see {@link prepared}. */
function statementName(sql: string, values: unknown[]): string | undefined {
  if (!values.length || STAR_RESULT.test(sql)) return undefined;
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED) preparedNames.set(sql, (name = `motcua_${preparedNames.size}`));
  return name;
}

const MAX_PREPARED = 200;
const preparedNames = new Map<string, string>();
/** A `*` that gives result columns: `SELECT *`, `SELECT *, …`, `RETURNING *` (and, harmlessly, `count(*)`). */
const STAR_RESULT = /\*\s*(,|\)|FROM\b|$)/im;

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
