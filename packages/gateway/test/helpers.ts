// Shared test helpers: a gateway on port 0 per test group, on PGlite (memory://) or on a throwaway
// PostgreSQL database created from MOTCUA_TEST_PG_URL; an SSE reader; signed-notification builders.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SIMULATED_NOTIFICATIONS, type SimulatedTransfer } from '../src/dev-bank.js';
import { startGateway, type GatewayConfig } from '../src/index.js';
import { throwawayDatabase as createDatabase } from '../../../scripts/postgres.mjs';
import { processes } from '../../../scripts/proc.mjs';

export const API_KEY = 'test-api-key-0123456789';
export const SECRETS = { hmacSecret: 'generic-secret', sepayApiKey: 'sepay-key', cassoSecureToken: 'casso-token', payosChecksumKey: 'payos-checksum' };
/** Credentials of the paired citizen screens (`screenKeys`): only they receive the rating token. */
export const SCREEN_KEYS: Record<string, string> = Object.fromEntries(
  ['C1', 'F1', 'K1', 'L1', 'Q1', 'R1', 'REP', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10'].map((counter) => [
    counter,
    `screen-key-${counter}-0123456789`,
  ]),
);

/** The counter channel as its paired screen opens it (`?key=`). */
export const pairedScreenUrl = (gateway: { url: string }, counter: string): string =>
  `${gateway.url}/api/counters/${counter}/events?key=${SCREEN_KEYS[counter]}`;
export const PG_ADMIN_URL = process.env.MOTCUA_TEST_PG_URL;
export const NO_PG = !PG_ADMIN_URL && 'skipped: no PostgreSQL';

export const baseConfig = (overrides: Partial<GatewayConfig> = {}): Partial<GatewayConfig> => ({
  port: 0,
  dataDir: 'memory://',
  apiKeys: [API_KEY],
  providers: SECRETS,
  surveyTokenSecret: 'survey-secret',
  corsOrigins: ['https://portal.example.vn'],
  devBank: true,
  logLevel: 'silent',
  heartbeatMs: 60_000,
  sweepIntervalMs: 200,
  // Expiry tests see `expired` at expiresAt; the grace window has its own tests.
  expiryGraceSeconds: 0,
  // Suites see the rating as soon as a payment is paid; the "paid" phase has its own tests (counter-pairing).
  paidScreenMs: 0,
  // Test files run side by side on a loaded machine, which can starve a process for seconds: a
  // statement past the 5 s default is load, not a fault. The fault tests set their own short limits.
  databaseConnectTimeoutMs: 30_000,
  databaseStatementTimeoutMs: 30_000,
  counters: { C1: 'Quầy 1' },
  screenKeys: SCREEN_KEYS,
  collectionAccount: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG HOAN KIEM' },
  ...overrides,
});

/** Creates `motcua_test_<random>` on the PostgreSQL server; `drop()` removes it. */
export const throwawayDatabase = (): Promise<{ url: string; drop(): Promise<void> }> => createDatabase({ adminUrl: PG_ADMIN_URL, prefix: 'motcua_test' });

/** The storage back-ends every suite runs against. */
export const BACKENDS = [
  { name: 'PGlite', skip: false as const },
  { name: 'PostgreSQL', skip: NO_PG },
] as const;

export type TestGateway = Awaited<ReturnType<typeof startGateway>> & {
  api(path: string, init?: RequestInit & { json?: unknown; key?: string | null }): Promise<{ status: number; body: any; headers: Headers }>;
};

/** Starts a gateway on the back-end; `close()` also drops its PostgreSQL database. */
export async function startTestGateway(backend: (typeof BACKENDS)[number]['name'], overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const database = backend === 'PostgreSQL' ? await throwawayDatabase() : undefined;
  const gateway = await startGateway(baseConfig({ ...(database ? { databaseUrl: database.url } : {}), ...overrides }));
  return withApi({
    ...gateway,
    async close() {
      await gateway.close();
      await database?.drop();
    },
  });
}

export function withApi<T extends { url: string }>(gateway: T): T & Pick<TestGateway, 'api'> {
  return Object.assign(gateway, {
    async api(path: string, init: RequestInit & { json?: unknown; key?: string | null } = {}) {
      const headers = new Headers(init.headers);
      if (init.key !== null) headers.set('authorization', `Bearer ${init.key ?? API_KEY}`);
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(gateway.url + path, {
        ...init,
        headers,
        ...(init.json !== undefined ? { body: JSON.stringify(init.json), method: init.method ?? 'POST' } : {}),
      });
      const text = await response.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: response.status, body, headers: response.headers };
    },
  });
}

let dossierSeq = 0;
export const newDossier = () => `HS-${Date.now().toString(36)}-${++dossierSeq}-${randomBytes(3).toString('hex')}`;

export async function createPayment(gateway: Pick<TestGateway, 'api'>, overrides: Record<string, unknown> = {}) {
  const { status, body } = await gateway.api('/api/payments', {
    json: {
      dossier: newDossier(),
      amount: 50_000,
      purpose: 'Lệ phí cấp bản sao trích lục hộ tịch',
      counter: 'C1',
      procedure: 'Cấp bản sao trích lục',
      officer: 'CB01',
      ...overrides,
    },
  });
  if (status !== 201 && status !== 200) throw new Error(`create payment: ${status} ${JSON.stringify(body)}`);
  return body as import('@motcua/core').PaymentResource;
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
  retry?: number;
}

/** Reads an SSE stream with fetch; `next(filter)` resolves with the next matching event. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  /** `ping` events (the heartbeat), kept apart so `events` and `next()` see only state. */
  const pings: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let retry: number | undefined;
  let done = false;
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('data: ')) (event.data += line.slice(6)), (hasData = true);
          }
          if (hasData) (event.event === 'ping' ? pings : events).push(event);
          waiters.splice(0).forEach((wake) => wake());
        }
      }
    } catch {}
    done = true;
    waiters.splice(0).forEach((wake) => wake());
  })();
  let cursor = 0;
  return {
    response,
    events,
    comments,
    pings,
    get retry() {
      return retry;
    },
    get ended() {
      return done;
    },
    /** Next event (after the ones already consumed) matching `filter`. */
    async next<T = any>(filter: (data: T, event: SseEvent) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < events.length) {
          const event = events[cursor++]!;
          const data = JSON.parse(event.data) as T;
          if (filter(data, event)) return data;
        }
        if (done) throw new Error('SSE stream ended');
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching SSE event within ${timeoutMs} ms (got ${events.length}: ${events.map((e) => e.data.slice(0, 80)).join(' | ')})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => (clearTimeout(timer), resolve()));
        });
      }
    },
    async waitFor(predicate: () => boolean, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (done || Date.now() > deadline) throw new Error('condition not met');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => controller.abort(),
  };
}

/** The collection account of `baseConfig`: where the simulated transfers go by default. */
export const COLLECTION_ACCOUNT = '113366668888';

/**
 * The payOS `data` of a transfer's notification, every documented key present, as the dev bank writes it
 * (`dev-bank.ts`, the one builder of provider notifications): tests change fields, then sign it with
 * `payosSignature`. `transactionId` is its `reference`.
 */
export function payosData(transfer: Omit<SimulatedTransfer, 'account'> & { account?: string }): Record<string, unknown> {
  const { body } = SIMULATED_NOTIFICATIONS.payos({ account: COLLECTION_ACCOUNT, ...transfer }, SECRETS);
  return JSON.parse(body).data;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `ok(value)` holds, and returns that value. A read that throws counts as "not yet" (a
 * restarting server refuses connections); after `ms` it fails with the last value or error read.
 * The one polling wait of these tests: {@link grows} is for counts that must keep growing.
 */
export async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    let last: string;
    try {
      const value = await read();
      if (ok(value)) return value;
      last = JSON.stringify(value)?.slice(0, 300) ?? String(value);
    } catch (error) {
      last = `an error: ${(error as Error).message}`;
    }
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms; last read ${last}`);
    await sleep(50);
  }
}

/**
 * Waits until `count()` reaches `target` or `done()`; fails only when the count stops growing for
 * `stallMs`: on a loaded machine the gateway is slow, not stuck, and a fixed deadline for a number of
 * requests is a load floor, not a property.
 */
export async function grows(count: () => number, target: number, done: () => boolean, stallMs = 15_000): Promise<void> {
  let last = count();
  let lastAt = Date.now();
  while (count() < target && !done()) {
    if (count() !== last) (last = count()), (lastAt = Date.now());
    else if (Date.now() - lastAt > stallMs) throw new Error(`stuck at ${last} of ${target} for ${stallMs} ms`);
    await sleep(100);
  }
}

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/**
 * CPU time (clock ticks) a process and its descendants have used, from /proc: the gateway creates a
 * first PGlite folder in a child process it waits for (db.ts), so the parent alone looks idle meanwhile.
 */
function treeCpuTicks(pid: number | undefined): number {
  // The waited-for children's ticks count too (the PGlite folder's child, once it has ended).
  const stats = new Map(processes().map((stat) => [stat.pid, { ppid: stat.ppid, ticks: stat.ticks + stat.childTicks }]));
  let total = 0;
  const tree = new Set(pid === undefined ? [] : [pid]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [id, stat] of stats) if (!tree.has(id) && tree.has(stat.ppid)) tree.add(id), (grown = true);
  }
  for (const id of tree) total += stats.get(id)?.ticks ?? 0;
  return total;
}

/**
 * Resolves with the first match of `pattern` in a child's output (stdout and stderr). A loaded machine
 * may take minutes to start a process (a first PGlite folder is CPU work), so no fixed deadline: it
 * rejects when the child exits, or stalls — no output and no CPU time in its process tree for `stallMs` (hung, not slow) —
 * or, as a last resort, after `capMs`.
 */
export function untilOutput(
  child: ChildProcess,
  pattern: RegExp,
  { stallMs = 30_000, capMs = 600_000 }: { stallMs?: number; capMs?: number } = {},
): Promise<{ match: RegExpExecArray; output: () => string }> {
  let output = '';
  const read = (chunk: Buffer) => (output += chunk);
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let lastProgress = started;
    let lastTicks = treeCpuTicks(child.pid);
    let lastLength = 0;
    const finish = (error?: Error) => {
      clearInterval(watch);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
    };
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        finish();
        resolve({ match, output: () => output });
      }
    };
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`child exited (${code ?? signal}) before ${pattern}:\n${output}`));
    const watch = setInterval(() => {
      const ticks = treeCpuTicks(child.pid);
      if (ticks !== lastTicks || output.length !== lastLength) lastProgress = Date.now();
      lastTicks = ticks;
      lastLength = output.length;
      if (Date.now() - lastProgress > stallMs) finish(new Error(`child stalled (no output, no CPU time for ${stallMs} ms) before ${pattern}:\n${output}`));
      else if (Date.now() - started > capMs) finish(new Error(`child not at ${pattern} within ${capMs} ms:\n${output}`));
    }, 1_000);
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', onExit);
  });
}

/** Runs the real CLI in a child process; resolves once it logs "gateway started". */
export async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: {
      ...process.env,
      PORT: '0',
      MOTCUA_API_KEYS: API_KEY,
      MOTCUA_WEBHOOK_SECRET: SECRETS.hmacSecret,
      MOTCUA_SURVEY_TOKEN_SECRET: 's',
      MOTCUA_LOG_LEVEL: 'info',
      MOTCUA_DEV_BANK: '1',
      // As baseConfig: the rating as soon as a payment is paid.
      MOTCUA_PAID_SCREEN_MS: '0',
      // As in baseConfig: a slow statement on a loaded machine is load, not a fault.
      MOTCUA_DB_CONNECT_TIMEOUT_MS: '30000',
      MOTCUA_DB_STATEMENT_TIMEOUT_MS: '30000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A new PGlite folder is created, then opened: ~40 s on a loaded 2-core machine, more under heavier load.
  try {
    const { match, output } = await untilOutput(child, /"msg":"gateway started","url":"([^"]+)"/);
    return { child, url: match[1]!, output };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
