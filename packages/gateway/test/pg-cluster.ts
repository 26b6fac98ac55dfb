// A throwaway PostgreSQL instance for the fault tests (kill -9 a backend, restart, SIGSTOP): initdb into
// a temporary folder as the `postgres` OS user (we may run as root, which initdb refuses), a free port,
// trust auth, sockets in the folder. Never the shared server on 5432. Stopped and deleted after, also on
// failure (and on process exit as a last resort).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { processes } from '../../../scripts/proc.mjs';

export interface Cluster {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  /** Creates a database with a unique name; returns its URL. */
  createDatabase(): Promise<string>;
  /** Runs one statement as the superuser on `postgres`. */
  sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** The postmaster and every process it started (backends, checkpointer, walwriter, …). */
  pids(): number[];
  /** SIGSTOP to the postmaster (no new backend can start), then to every process it started; returns them all. */
  freeze(): number[];
  /** SIGCONT to `pids`. */
  thaw(pids: number[]): void;
  /** `pg_ctl stop -m fast`, then start again after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): void;
}

let sequence = 0;

/** Starts a throwaway instance, or returns why it cannot (the caller skips visibly). */
export async function startCluster(): Promise<Cluster | string> {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(`${dir}/initdb`) && existsSync(`${dir}/pg_ctl`));
  if (!bin) return 'skipped: no initdb/pg_ctl under /usr/lib/postgresql/*/bin';
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0 || spawnSync('runuser', ['-u', 'postgres', '--', 'true']).status !== 0)
      return 'skipped: running as root and cannot switch to the postgres OS user (runuser)';
    owner = { uid: Number(id.stdout), gid: Number(gid.stdout) };
  }
  const run = (tool: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : `${bin}/${tool}`, asRoot ? ['-u', 'postgres', '--', `${bin}/${tool}`, ...args] : args, {
      stdio: 'pipe',
      timeout: 60_000,
    });
  const root = mkdtempSync(path.join(tmpdir(), 'motcua-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const data = path.join(root, 'data');
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  let running = false;
  const start = () => {
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(root, 'log'), '-w', '-t', '30', 'start']);
    running = true;
  };
  const stop = () => {
    if (!running) return;
    running = false;
    for (const pid of pids()) killQuietly(pid, 'SIGCONT');
    spawnSync(
      asRoot ? 'runuser' : `${bin}/pg_ctl`,
      [...(asRoot ? ['-u', 'postgres', '--', `${bin}/pg_ctl`] : []), '-D', data, '-m', 'immediate', '-w', 'stop'],
      { stdio: 'ignore', timeout: 30_000 },
    );
  };
  const pids = (): number[] => {
    const file = path.join(data, 'postmaster.pid');
    if (!existsSync(file)) return [];
    const postmaster = Number(readFileSync(file, 'utf8').split('\n')[0]);
    const children = processes().flatMap((stat) => (stat.ppid === postmaster ? [stat.pid] : []));
    return [postmaster, ...children];
  };
  const cleanup = () => {
    stop();
    rmSync(root, { recursive: true, force: true });
  };
  // Also when the test process is stopped by a signal (a runner's timeout): clean up, then die of it.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once('exit', cleanup);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    start();
  } catch (error) {
    cleanup();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().slice(0, 300);
    return `skipped: could not start a throwaway PostgreSQL (${stderr || (error as Error).message})`;
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const sql = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  };
  return {
    port,
    url,
    sql,
    async createDatabase() {
      const name = `fault_${process.pid}_${++sequence}`;
      await sql(`CREATE DATABASE ${name}`);
      return url(name);
    },
    pids,
    freeze() {
      // The postmaster first, so that no backend is forked after the children are listed.
      const [postmaster] = pids();
      if (postmaster) killQuietly(postmaster, 'SIGSTOP');
      const all = pids();
      for (const pid of all) killQuietly(pid, 'SIGSTOP');
      return all;
    },
    thaw(stopped) {
      for (const pid of stopped) killQuietly(pid, 'SIGCONT');
    },
    async restart(downMs) {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    stop() {
      process.removeListener('exit', cleanup);
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      cleanup();
    },
  };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {}
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
