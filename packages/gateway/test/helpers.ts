// Shared test helpers: a gateway on port 0 per test group, on PGlite (memory://) or on a throwaway
// PostgreSQL database created from MOTCUA_TEST_PG_URL; an SSE reader; signed-notification builders.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startGateway, type GatewayConfig } from '../src/index.js';

export const API_KEY = 'test-api-key-0123456789';
export const SECRETS = { hmacSecret: 'generic-secret', sepayApiKey: 'sepay-key', cassoSecureToken: 'casso-token', payosChecksumKey: 'payos-checksum' };
/** Credentials of the paired citizen screens (`screenKeys`): only they receive the rating token. */
export const SCREEN_KEYS: Record<string, string> = Object.fromEntries(
  ['C1', 'F1', 'K1', 'L1', 'Q1', 'R1', 'REP', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'].map((counter) => [
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
  counters: { C1: 'Quầy 1' },
  screenKeys: SCREEN_KEYS,
  collectionAccount: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG HOAN KIEM' },
  ...overrides,
});

/** Creates `motcua_test_<random>` on the PostgreSQL server; `drop()` removes it. */
export async function throwawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `motcua_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs the real CLI in a child process; resolves once it logs "gateway started". */
export function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: {
      ...process.env,
      PORT: '0',
      MOTCUA_API_KEYS: API_KEY,
      MOTCUA_WEBHOOK_SECRET: SECRETS.hmacSecret,
      MOTCUA_SURVEY_TOKEN_SECRET: 's',
      MOTCUA_LOG_LEVEL: 'info',
      MOTCUA_DEV_BANK: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    // A new PGlite folder is created, then opened: ~40 s on a loaded 2-core machine.
    const timer = setTimeout(() => reject(new Error(`child did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const started = /"msg":"gateway started","url":"([^"]+)"/.exec(output);
      if (started) {
        clearTimeout(timer);
        resolve({ child, url: started[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`child exited ${code}:\n${output}`)));
  });
}

export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
