// bench/gateway: SSE fan-out (N concurrent subscribers on one instance, notification → subscriber
// latency, server RSS) and bank notifications accepted per second, on PGlite and on PostgreSQL, each
// against a named peer measured in the same run: a bare node:http server doing only the HMAC check and
// the SSE broadcast (no database). Loopback only, bounded, stops by itself.
//   node bench/gateway/run.mjs            (run `npx tsc -b` first; `npm run bench gateway` does)
// Env: BENCH_SSE_SUBSCRIBERS (10000), BENCH_NOTIFICATIONS (2000), BENCH_CONCURRENCY (50),
//      BENCH_PG_POOL (10), BENCH_ONLY=notifications (skip the SSE part),
//      MOTCUA_TEST_PG_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
import { fork } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ONLY_NOTIFICATIONS = process.env.BENCH_ONLY === 'notifications';
const SUBSCRIBERS = Number(process.env.BENCH_SSE_SUBSCRIBERS ?? 10_000);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const FANOUT_ROUNDS = 10;
const SECRET = 'bench-secret';
const API_KEY = 'bench-key';
/** The gateway's default collection account: notifications name the account credited. */
const ACCOUNT = '113366668888';
const here = path.dirname(fileURLToPath(import.meta.url));
const hardStop = setTimeout(() => {
  console.error('bench/gateway: time limit (8 min) reached, stopping');
  process.exit(2);
}, 8 * 60_000);
hardStop.unref();

const sign = (body) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/** POST over a keep-alive node:http agent (lighter than fetch, so the client steals less CPU from the server). */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function startServer(mode, arg, execArgv = []) {
  const child = fork(path.join(here, 'server.mjs'), [mode, arg], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    child.once('message', (m) =>
      resolve({
        child,
        url: m.url,
        rss: () =>
          new Promise((r) => {
            child.once('message', (x) => r(x.rss));
            child.send('rss');
          }),
        cpu: () =>
          new Promise((r) => {
            child.once('message', (x) => r((x.cpu.user + x.cpu.system) / 1000));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((r) => {
            child.once('exit', r);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
}

async function api(url, pathname, body, headers = {}) {
  const response = await fetch(url + pathname, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** N raw-socket SSE subscribers; records when each first sees every event id. */
async function subscribe(url, pathname, count) {
  const { hostname, port } = new URL(url);
  const arrivals = new Map(); // version → array of arrival times
  const sockets = [];
  let ready = 0;
  const open = () =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: hostname, port: Number(port) }, () =>
        socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`),
      );
      // Only the "id: N" lines matter: scan bytes, keeping a short tail in case a line is split.
      let tail = '';
      let first = true;
      socket.on('data', (chunk) => {
        const now = performance.now();
        const text = tail + chunk.toString('latin1');
        let at = 0;
        let last = 0;
        while ((at = text.indexOf('\nid: ', at)) >= 0) {
          const end = text.indexOf('\n', at + 5);
          if (end < 0) break;
          const version = Number(text.slice(at + 5, end));
          last = end;
          at = end;
          if (first) {
            first = false;
            ready++;
            resolve();
            continue;
          }
          let list = arrivals.get(version);
          if (!list) arrivals.set(version, (list = []));
          list.push(now);
        }
        tail = text.slice(Math.max(last, text.length - 24));
      });
      socket.on('error', reject);
      sockets.push(socket);
    });
  for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, open));
  return {
    arrivals,
    sockets,
    get ready() {
      return ready;
    },
    close: () => sockets.forEach((s) => s.destroy()),
  };
}

/** Sends FANOUT_ROUNDS notifications; each round waits until every subscriber has the event. */
async function fanout(server, subscribePath, send) {
  const t0 = performance.now();
  const rssBefore = await server.rss();
  const subs = await subscribe(server.url, subscribePath, SUBSCRIBERS);
  const connectMs = performance.now() - t0;
  const rssConnected = await server.rss();
  const latencies = [];
  let missing = 0;
  for (let round = 1; round <= FANOUT_ROUNDS; round++) {
    const before = new Set(subs.arrivals.keys());
    const sentAt = performance.now();
    await send(round);
    const deadline = Date.now() + 10_000;
    let version;
    while (Date.now() < deadline) {
      version = [...subs.arrivals.keys()].find((v) => !before.has(v));
      if (version !== undefined && subs.arrivals.get(version).length >= SUBSCRIBERS) break;
      await sleep(5);
    }
    const got = version === undefined ? [] : subs.arrivals.get(version);
    missing += SUBSCRIBERS - got.length;
    for (const at of got) latencies.push(at - sentAt);
    await sleep(200);
  }
  const rssPeak = await server.rss();
  subs.close();
  latencies.sort((a, b) => a - b);
  return {
    subscribers: subs.ready,
    connectMs,
    rssBefore,
    rssConnected,
    rssPeak,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    missing,
  };
}

async function notificationsPerSecond(server, codes) {
  const url = `${server.url}/api/bank/notifications/generic`;
  // Bodies and signatures are made before the clock starts: the figure is the server's, not the client's.
  const requests = codes.map((code) => {
    const body = JSON.stringify({ id: `B${randomBytes(8).toString('hex')}`, amount: 10_000, memo: `MBVCB.123.${code} LE PHI`, account: ACCOUNT });
    return { body, headers: { 'x-signature': sign(body) } };
  });
  const cpuBefore = await server.cpu();
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const { body, headers } = requests[next++];
        if ((await post(url, headers, body)) === 200) accepted++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = (await server.cpu()) - cpuBefore;
  return { accepted, failed, perSecond: accepted / seconds, serverCpuShare: serverCpu / 1000 / seconds };
}

const config = (extra) =>
  JSON.stringify({
    port: 0,
    apiKeys: [API_KEY],
    providers: { hmacSecret: SECRET },
    logLevel: 'warn',
    collectionAccount: { bin: '970415', account: '100200300400', accountName: 'UBND PHUONG BENCH' },
    rateLimitPerMinute: 0,
    notificationRateLimitPerMinute: 0,
    maxStreamsPerAddress: 0,
    heartbeatMs: 15_000,
    sweepIntervalMs: 1_000,
    ...extra,
  });

async function benchGateway(name, extra, execArgv = []) {
  const server = await startServer('gateway', config(extra), execArgv);
  try {
    const payment = (
      await api(server.url, '/api/payments', JSON.stringify({ dossier: `BENCH-${Date.now()}`, amount: 1_000_000_000, purpose: 'bench', counter: 'B1' }))
    ).body;
    const sse = ONLY_NOTIFICATIONS
      ? undefined
      : await fanout(server, `/api/payments/${payment.id}/events`, async (round) => {
          const body = JSON.stringify({ id: `F${round}-${randomBytes(4).toString('hex')}`, amount: 1_000, memo: payment.code, account: ACCOUNT });
          const answer = await fetch(`${server.url}/api/bank/notifications/generic`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
            body,
          });
          await answer.arrayBuffer();
        });
    // Payments to pay, created beforehand (not timed).
    const codes = [];
    let made = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (made < NOTIFICATIONS) {
          made++;
          const body = JSON.stringify({ dossier: `N-${randomBytes(6).toString('hex')}`, amount: 10_000, purpose: 'bench', counter: `N${made % 20}` });
          codes.push(
            await new Promise((resolve, reject) => {
              const req = http.request(
                `${server.url}/api/payments`,
                { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` } },
                (res) => {
                  let text = '';
                  res.on('data', (chunk) => (text += chunk));
                  res.on('end', () => resolve(JSON.parse(text).code));
                },
              );
              req.on('error', reject);
              req.end(body);
            }),
          );
        }
      }),
    );
    const notifications = await notificationsPerSecond(server, codes);
    return { name, sse, notifications };
  } finally {
    await server.stop();
  }
}

async function benchPeer() {
  const server = await startServer('peer', SECRET);
  try {
    const sse = await fanout(server, '/events', async (round) => {
      const body = JSON.stringify({ id: `P${round}`, amount: 1_000, memo: 'MC2345678' });
      const answer = await fetch(`${server.url}/notify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': sign(body) }, body });
      await answer.arrayBuffer();
    });
    const requests = Array.from({ length: NOTIFICATIONS }, () => {
      const body = JSON.stringify({ id: randomBytes(8).toString('hex'), amount: 10_000, memo: 'MC2345678 LE PHI' });
      return { body, headers: { 'x-signature': sign(body) } };
    });
    const t0 = performance.now();
    let next = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const { body, headers } = requests[next++];
          if ((await post(`${server.url}/notify`, headers, body)) === 200) accepted++;
        }
      }),
    );
    return {
      name: 'peer: bare node:http (HMAC + SSE broadcast, no database)',
      sse,
      notifications: { accepted, failed: 0, perSecond: accepted / ((performance.now() - t0) / 1000) },
    };
  } finally {
    await server.stop();
  }
}

async function throwawayPostgres() {
  const admin = process.env.MOTCUA_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `motcua_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;
const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
const results = [];
console.log(
  `bench/gateway: ${SUBSCRIBERS} SSE subscribers × ${FANOUT_ROUNDS} notifications; ${NOTIFICATIONS} notifications at concurrency ${CONCURRENCY}; loopback only`,
);
const peer = ONLY_NOTIFICATIONS ? undefined : await benchPeer();
if (peer) results.push(peer);
const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-bench-'));
try {
  const flags = (process.env.BENCH_PGLITE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  results.push(await benchGateway(`gateway on PGlite (file data dir${flags.length ? `, node ${flags.join(' ')}` : ''})`, { dataDir }, flags));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
const database = await throwawayPostgres();
if (database) {
  try {
    results.push(await benchGateway('gateway on PostgreSQL', { databaseUrl: database.url, databasePoolSize: Number(process.env.BENCH_PG_POOL ?? 10) }));
  } finally {
    await database.drop();
  }
} else console.log('skipped: no PostgreSQL — the PostgreSQL figures were not measured');

console.log('');
for (const r of results) {
  const s = r.sse;
  console.log(`${r.name}`);
  if (s)
    console.log(
      `  SSE: ${s.subscribers} subscribers connected in ${(s.connectMs / 1000).toFixed(1)} s; fan-out p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; missing deliveries ${s.missing}`,
    );
  if (s) console.log(`       server RSS ${mb(s.rssBefore)} idle → ${mb(s.rssConnected)} connected → ${mb(s.rssPeak)} after fan-out`);
  console.log(
    `  notifications: ${r.notifications.accepted} accepted, ${r.notifications.failed} refused, ${r.notifications.perSecond.toFixed(0)}/s${r.notifications.serverCpuShare === undefined ? '' : ` (gateway process busy ${(r.notifications.serverCpuShare * 100).toFixed(0)}% of one core)`}`,
  );
  if (peer && r !== peer)
    console.log(
      `  vs peer: fan-out p99 ×${(s.p99 / peer.sse.p99).toFixed(2)}, notifications/s ×${(r.notifications.perSecond / peer.notifications.perSecond).toFixed(2)}`,
    );
}
const goals = results
  .filter((r) => r !== peer)
  .map((r) => {
    const pgGoal = r.name.includes('PostgreSQL') ? 1000 : 300;
    if (!r.sse) return `${r.name}: ≥ ${pgGoal}/s ${r.notifications.perSecond >= pgGoal ? 'met' : 'MISSED'}`;
    return `${r.name}: p99 ≤ 250 ms ${r.sse.p99 <= 250 ? 'met' : 'MISSED'}, RSS ≤ 300 MB ${r.sse.rssPeak <= 300 * 1048576 ? 'met' : 'MISSED'}, ≥ ${pgGoal}/s ${r.notifications.perSecond >= pgGoal ? 'met' : 'MISSED'}`;
  });
console.log(`\ngoals (10,000 subscribers; 2-core machine): \n  ${goals.join('\n  ')}`);
process.exit(0);
