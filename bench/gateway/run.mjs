// bench/gateway: SSE fan-out (N concurrent subscribers on one instance, notification → subscriber
// latency, server RSS) and bank notifications accepted per second, on PGlite and on PostgreSQL, each
// against a named peer measured in the same run: a bare node:http server doing only the HMAC check and
// the SSE broadcast (no database). Loopback only, bounded, stops by itself. The fan-out sends one event
// after the subscribers connect, reported on its own (every stream's first frame, cold on both sides),
// then the 10 events its p50/p99 are taken over. PGlite runs as the motcua-gateway CLI runs it
// (server.mjs: its WASM compiled without Liftoff, lean-wasm.ts).
//   node bench/gateway/run.mjs            (run `npx tsc -b` first; `npm run bench gateway` does)
// Env: BENCH_SSE_SUBSCRIBERS (10000), BENCH_NOTIFICATIONS (2000), BENCH_CONCURRENCY (50),
//      BENCH_PG_POOL (10), BENCH_ONLY=notifications (skip the SSE part), BENCH_SERVERS (peer,pglite,postgres: which to measure),
//      BENCH_GATEWAY_DIST (another build of packages/gateway/dist to measure, placed under node_modules/ so it resolves its imports),
//      BENCH_GATEWAY_NODE_FLAGS (node flags for both gateway processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof":
//      then `node bench/gateway/profile.mjs <file>` prints where the time went),
//      MOTCUA_TEST_PG_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { mb, ms, openEventStream, percentile, post, request, signNotification, sleep, startServer } from '../lib.mjs';
import { throwawayDatabase } from '../../scripts/postgres.mjs';
import { machineTicks, processes } from '../../scripts/proc.mjs';

const ONLY_NOTIFICATIONS = process.env.BENCH_ONLY === 'notifications';
/** Which servers to measure (a comma list of peer, pglite, postgres; all three by default). */
const SERVERS = new Set((process.env.BENCH_SERVERS ?? 'peer,pglite,postgres').split(',').map((name) => name.trim()));
const SUBSCRIBERS = Number(process.env.BENCH_SSE_SUBSCRIBERS ?? 10_000);
const NOTIFICATIONS = Number(process.env.BENCH_NOTIFICATIONS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const FANOUT_ROUNDS = 10;
const SECRET = 'bench-secret';
const API_KEY = 'bench-key';
/** The collection account of the gateway's config below: notifications name the account credited (any other is unmatched). */
const ACCOUNT = '100200300400';
const hardStop = setTimeout(() => {
  console.error('bench/gateway: time limit (8 min) reached, stopping');
  process.exit(2);
}, 8 * 60_000);
hardStop.unref();

const sign = (body) => signNotification(SECRET, body);

async function api(url, pathname, body, headers = {}) {
  const response = await fetch(url + pathname, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** N SSE subscribers; records when each first sees every event id. */
async function subscribe(url, pathname, count) {
  const arrivals = new Map(); // version → array of arrival times
  const streams = [];
  let ready = 0;
  const open = () =>
    new Promise((resolve, reject) => {
      let first = true;
      openEventStream(url + pathname, (event, arrivedAt) => {
        if (event.id === undefined) return;
        if (first) {
          first = false;
          ready++;
          resolve();
          return;
        }
        const version = Number(event.id);
        let list = arrivals.get(version);
        if (!list) arrivals.set(version, (list = []));
        list.push(arrivedAt);
      }).then((stream) => streams.push(stream), reject);
    });
  for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, open));
  return {
    arrivals,
    get ready() {
      return ready;
    },
    close: () => streams.forEach((s) => s.close()),
  };
}

/** Sends FANOUT_ROUNDS notifications; each round waits until every subscriber has the event. */
async function fanout(server, subscribePath, send) {
  const t0 = performance.now();
  const rssBefore = await server.rss();
  const subs = await subscribe(server.url, subscribePath, SUBSCRIBERS);
  const connectMs = performance.now() - t0;
  const rssConnected = await server.rss();
  const memoryConnected = (await server.ask('memory')).memory;
  const latencies = [];
  /** Every event's latencies, the first one's included. */
  const all = [];
  /** The last subscriber's latency in each round (ms), to tell a slow first round from a slow tail. */
  const roundMax = [];
  let missing = 0;
  // Round 0 is the first event after 10,000 connections: every stream's first frame on both sides
  // (the peer's too is twice as slow there). Reported on its own; p50/p99 are over rounds 1–10.
  let firstRoundMs;
  for (let round = 0; round <= FANOUT_ROUNDS; round++) {
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
    const last = got.length ? Math.round(Math.max(...got) - sentAt) : Number.NaN;
    for (const at of got) all.push(at - sentAt);
    if (round === 0) firstRoundMs = last;
    else {
      for (const at of got) latencies.push(at - sentAt);
      roundMax.push(last);
    }
    await sleep(200);
  }
  const rssPeak = await server.rss();
  const memoryPeak = (await server.ask('memory')).memory;
  subs.close();
  latencies.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  return {
    subscribers: subs.ready,
    connectMs,
    rssBefore,
    rssConnected,
    rssPeak,
    memoryConnected,
    memoryPeak,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p99All: percentile(all, 99),
    max: latencies.at(-1),
    roundMax,
    firstRoundMs,
    missing,
  };
}

/**
 * CPU time (ms) since boot: the whole machine (busy, of all cores) and the PostgreSQL server's
 * processes (every `postgres` process: backends, WAL writer, checkpointer). Linux only; undefined
 * elsewhere.
 */
function machineCpu() {
  const { busy, total } = machineTicks();
  if (!total) return undefined;
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const postgres = processes().reduce((sum, stat) => (stat.comm === 'postgres' ? sum + stat.ticks : sum), 0);
  return { busy: busy * tick, postgres: postgres * tick };
}

/** CPU times in ms: `serverCpu` the server process's (bench/lib.mjs `cpu()`), `before`/`after` from {@link machineCpu}. */
function cpuPerNotification(before, after, serverCpu, accepted, seconds) {
  if (!before || !after || !accepted) return undefined;
  return {
    machine: (after.busy - before.busy) / accepted,
    gateway: serverCpu / accepted,
    postgres: (after.postgres - before.postgres) / accepted,
    machineShare: (after.busy - before.busy) / 1000 / seconds / availableParallelism(),
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
  const machineBefore = machineCpu();
  const statementsBefore = await server.statements();
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
  const machineAfter = machineCpu();
  // Where each notification's CPU went, in ms: the gateway process, PostgreSQL's processes, the rest
  // of the machine (this client, the kernel's share not charged to them, anything else running).
  const perNotification = cpuPerNotification(machineBefore, machineAfter, serverCpu, accepted, seconds);
  // Statements per notification, by text (PostgreSQL only: the wrapped pg client counts them; the sweeper's run meanwhile too).
  const statementsAfter = await server.statements();
  const statements = Object.entries(statementsAfter)
    .map(([text, count]) => [text, (count - (statementsBefore[text] ?? 0)) / accepted])
    .filter(([, perNotification]) => perNotification > 0)
    .sort((a, b) => b[1] - a[1]);
  return { accepted, failed, perSecond: accepted / seconds, serverCpuShare: serverCpu / 1000 / seconds, statements, perNotification };
}

const config = (extra) =>
  JSON.stringify({
    port: 0,
    apiKeys: [API_KEY],
    providers: { hmacSecret: SECRET },
    logLevel: 'warn',
    collectionAccount: { bin: '970415', account: ACCOUNT, accountName: 'UBND PHUONG BENCH' },
    rateLimitPerMinute: 0,
    notificationRateLimitPerMinute: 0,
    maxStreamsPerAddress: 0,
    heartbeatMs: 15_000,
    sweepIntervalMs: 1_000,
    ...extra,
  });

async function benchGateway(name, extra, execArgv = []) {
  const gateway = await startServer('gateway', config(extra), { execArgv });
  /** The statements the gateway sent to PostgreSQL so far, by text (see server.mjs). */
  const server = { ...gateway, statements: () => gateway.ask('statements').then((x) => x.statements) };
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
          const created = await request(`${server.url}/api/payments`, { headers: { authorization: `Bearer ${API_KEY}` }, body });
          codes.push(JSON.parse(created.text).code);
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
    const cpuBefore = await server.cpu();
    const machineBefore = machineCpu();
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
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = (await server.cpu()) - cpuBefore;
    const machineAfter = machineCpu();
    return {
      name: 'peer: bare node:http (HMAC + SSE broadcast, no database)',
      sse,
      notifications: {
        accepted,
        failed: 0,
        perSecond: accepted / seconds,
        perNotification: cpuPerNotification(machineBefore, machineAfter, serverCpu, accepted, seconds),
      },
    };
  } finally {
    await server.stop();
  }
}

const flags = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean);
console.log(
  `bench/gateway: ${SUBSCRIBERS} SSE subscribers × ${FANOUT_ROUNDS} notifications; ${NOTIFICATIONS} notifications at concurrency ${CONCURRENCY}; loopback only`,
);
const peer = ONLY_NOTIFICATIONS || !SERVERS.has('peer') ? undefined : await benchPeer();
let pglite;
if (SERVERS.has('pglite')) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-bench-'));
  try {
    const pgliteFlags = [...flags, ...(process.env.BENCH_PGLITE_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
    pglite = await benchGateway(`gateway on PGlite (file data dir${pgliteFlags.length ? `, node ${pgliteFlags.join(' ')}` : ''})`, { dataDir }, pgliteFlags);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
// No server to reach: the PostgreSQL part is skipped.
const database = SERVERS.has('postgres') ? await throwawayDatabase({ prefix: 'motcua_bench' }).catch(() => undefined) : undefined;
let postgres;
if (database) {
  try {
    postgres = await benchGateway('gateway on PostgreSQL', { databaseUrl: database.url, databasePoolSize: Number(process.env.BENCH_PG_POOL ?? 10) }, flags);
  } finally {
    await database.drop();
  }
} else if (SERVERS.has('postgres')) console.log('skipped: no PostgreSQL — the PostgreSQL figures were not measured');

console.log('');
for (const r of [peer, pglite, postgres]) {
  if (!r) continue;
  const s = r.sse;
  console.log(`${r.name}`);
  if (s)
    console.log(
      `  SSE: ${s.subscribers} subscribers connected in ${(s.connectMs / 1000).toFixed(1)} s; fan-out p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; missing deliveries ${s.missing}`,
    );
  if (s)
    console.log(
      `       last delivery: first event after connecting ${s.firstRoundMs} ms (not in p50/p99); rounds 1–${FANOUT_ROUNDS}: ${s.roundMax.join(', ')} ms`,
    );
  if (s) console.log(`       server RSS ${mb(s.rssBefore)} idle → ${mb(s.rssConnected)} connected → ${mb(s.rssPeak)} after fan-out`);
  if (s) console.log(`       V8 heap (young generation), buffers: connected ${memory(s.memoryConnected)} → after fan-out ${memory(s.memoryPeak)}`);
  console.log(
    `  notifications: ${r.notifications.accepted} accepted, ${r.notifications.failed} refused, ${r.notifications.perSecond.toFixed(0)}/s${r.notifications.serverCpuShare === undefined ? '' : ` (gateway process busy ${(r.notifications.serverCpuShare * 100).toFixed(0)}% of one core)`}`,
  );
}
if (postgres?.notifications.statements.length) {
  const { statements } = postgres.notifications;
  console.log(`\nPostgreSQL statements per notification: ${statements.reduce((sum, [, n]) => sum + n, 0).toFixed(2)}`);
  for (const [text, n] of statements) console.log(`  ${n.toFixed(2).padStart(5)}  ${text}`);
}

// The table: goal / peer / gateway on PostgreSQL / gateway on PGlite, and whether each goal is met.
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const cell = (r, read) => (r ? read(r) : 'n/a');
const rows = [
  [
    'notifications/s',
    '≥ 1,000 PG, ≥ 300 PGlite',
    (r) => r.notifications.perSecond.toFixed(0),
    (r, goal) =>
      `${r.notifications.perSecond.toFixed(0)} ${verdict(r.notifications.perSecond >= goal)}${peer ? ` (×${(r.notifications.perSecond / peer.notifications.perSecond).toFixed(2)} peer)` : ''}`,
  ],
  ['  gateway busy (% of a core)', '', () => '–', (r) => `${(r.notifications.serverCpuShare * 100).toFixed(0)}%`],
  [
    '  CPU ms per notification',
    'machine: gateway + PG + rest',
    (r) => cpuSplit(r.notifications.perNotification),
    (r) => cpuSplit(r.notifications.perNotification),
  ],
  ...(ONLY_NOTIFICATIONS
    ? []
    : [
        ['fan-out, first event (last delivery)', '', (r) => ms(r.sse.firstRoundMs), (r) => ms(r.sse.firstRoundMs)],
        ['fan-out p50 (events 1–10)', '', (r) => ms(r.sse.p50), (r) => ms(r.sse.p50)],
        [
          'fan-out p99 (events 1–10)',
          '≤ 250 ms',
          (r) => ms(r.sse.p99),
          (r) => `${ms(r.sse.p99)} ${verdict(r.sse.p99 <= 250)}${peer ? ` (×${(r.sse.p99 / peer.sse.p99).toFixed(2)} peer)` : ''}`,
        ],
        ['fan-out p99 (all 11 events)', '', (r) => ms(r.sse.p99All), (r) => ms(r.sse.p99All)],
        [
          'RSS after fan-out',
          '≤ 300 MB (PGlite)',
          (r) => mb(r.sse.rssPeak),
          (r, _goal, isPglite) => `${mb(r.sse.rssPeak)}${isPglite ? ` ${verdict(r.sse.rssPeak <= 300 * 1048576)}` : ''}`,
        ],
        ['missing deliveries', '0', (r) => String(r.sse.missing), (r) => `${r.sse.missing} ${verdict(r.sse.missing === 0)}`],
      ]),
];
/** "312 MB heap (47 MB young), 105 MB buffers". */
function memory({ heapTotal, young, arrayBuffers }) {
  return `${mb(heapTotal)} heap (${mb(young)} young), ${mb(arrayBuffers)} buffers`;
}
/** "2.31: 1.40 + 0.52 + 0.39 (machine 98% busy)". */
function cpuSplit(split) {
  if (!split) return 'n/a';
  const rest = split.machine - split.gateway - split.postgres;
  return `${split.machine.toFixed(2)}: ${split.gateway.toFixed(2)} + ${split.postgres.toFixed(2)} + ${rest.toFixed(2)} (${(split.machineShare * 100).toFixed(0)}% busy)`;
}
const table = [
  ['', 'goal', 'peer (node:http)', 'gateway PostgreSQL', 'gateway PGlite'],
  ...rows.map(([label, goal, forPeer, forGateway]) => [
    label,
    goal,
    cell(peer, forPeer),
    cell(postgres, (r) => forGateway(r, 1000, false)),
    cell(pglite, (r) => forGateway(r, 300, true)),
  ]),
];
const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
console.log(
  `\ngoals (${SUBSCRIBERS} subscribers, ${NOTIFICATIONS} notifications at concurrency ${CONCURRENCY}; 2-core machine, client and server sharing it):`,
);
for (const row of table) console.log(`  ${row.map((text, column) => text.padEnd(widths[column])).join(' | ')}`);
process.exit(0);
