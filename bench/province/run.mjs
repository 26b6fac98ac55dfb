// bench/province: one province on one PostgreSQL — three gateway instances, 150 units × 5 citizen
// screens (counter streams) and 10,000 payment watchers spread over the instances, bank notifications
// at 50/s through every instance in turn. Reports, at every instance, the time from a notification
// sent to its event received (p50/p99), the events lost, the webhook deliveries (every event id once),
// RSS and CPU. Loopback only, bounded (hard stop), stops by itself, drops its database.
//   node bench/province/run.mjs          (run `npx tsc -b` first; `npm run bench province` does)
// Env: BENCH_UNITS (150), BENCH_WATCHERS (10000), BENCH_SECONDS (120), BENCH_RATE (50 notifications/s),
//      BENCH_INSTANCES (3), BENCH_PG_POOL (10 per instance), BENCH_JSON (write the figures there as JSON),
//      MOTCUA_TEST_PG_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres).
// How to read it: bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { verifyWebhook } from '../../packages/gateway/dist/index.js';
import { mb, ms, openEventStream, percentile, request, signNotification, sleep, startServer } from '../lib.mjs';
import { throwawayDatabase } from '../../scripts/postgres.mjs';
import { machineTicks, processStat } from '../../scripts/proc.mjs';

const UNITS = Number(process.env.BENCH_UNITS ?? 150);
const SCREENS_PER_UNIT = 5;
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);
const POOL = Number(process.env.BENCH_PG_POOL ?? 10);
/** Every notification pays one payment of its own. */
const PAYMENTS = Math.round(RATE * SECONDS);
/** After the last notification: how long events may take before they count as lost, and webhooks before they count as undelivered. */
const EVENT_GRACE_MS = 15_000;
const WEBHOOK_GRACE_MS = 120_000;
const BANK_SECRET = 'bench-bank-secret';
for (const [name, value] of Object.entries({ UNITS, WATCHERS, SECONDS, RATE, INSTANCES, POOL }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_${name} must be a positive integer, got ${value}`);

// ---- Cleanup, whatever happens: the instances stopped, the database dropped, then a hard stop.
const cleanups = [];
let cleaning;
/** Runs every cleanup once, newest first; a second call (a failure while stopping) waits for the first. */
function cleanUp() {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await Promise.race([cleanup().catch(() => {}), sleep(10_000)]);
  })();
  return cleaning;
}
/** Stops the run: cleans up, then exits with `code` (a second stop meanwhile waits for the first). */
async function stop(code) {
  process.exitCode ??= code;
  await cleanUp();
  process.exit();
}
const LIMIT_MS = SECONDS * 1000 + 10 * 60_000;
setTimeout(() => {
  console.error(`bench/province: time limit (${Math.round(LIMIT_MS / 60_000)} min) reached, stopping`);
  void stop(2);
}, LIMIT_MS).unref();
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void stop(130));
// A failure — or a request cut short by a stop already under way — ends the run the same way.
for (const failure of ['uncaughtException', 'unhandledRejection'])
  process.on(failure, (error) => {
    if (!cleaning) console.error('bench/province failed:', error);
    void stop(1);
  });

/**
 * The province's configuration — the one place that knows its shape: one `MOTCUA_CONFIG` file
 * (docs/province.md) of `unitCount` units, each with its own collection account, counters C1–C5 with
 * their paired screens' keys, portal key and webhook endpoint. Writes the file into `dir`; returns the
 * environment every instance starts with and, per unit, its key, account, counters (with the screen's
 * stream path) and webhook endpoint.
 */
function provinceConfig(unitCount, receiverUrl, dir) {
  const units = Array.from({ length: unitCount }, (_, u) => {
    const id = `u${String(u + 1).padStart(3, '0')}`;
    return {
      id,
      name: `UBND phường ${id}`,
      account: { bin: '970415', account: String(100_200_300_000 + u), accountName: `UBND PHUONG ${id.toUpperCase()}` },
      apiKey: `bench-${id}-${randomBytes(12).toString('hex')}`,
      webhook: { url: `${receiverUrl}/hooks/${id}`, secret: randomBytes(24).toString('hex') },
      counters: Array.from({ length: SCREENS_PER_UNIT }, (_, c) => {
        const counter = `C${c + 1}`;
        const screenKey = randomBytes(12).toString('hex');
        return { id: counter, name: `Quầy ${c + 1}`, screenKey, stream: `/api/units/${id}/counters/${counter}/events?key=${screenKey}` };
      }),
    };
  });
  const file = path.join(dir, 'province.json');
  const config = {
    units: units.map((unit) => ({
      id: unit.id,
      name: unit.name,
      account: unit.account,
      counters: Object.fromEntries(unit.counters.map((c) => [c.id, c.name])),
      apiKeys: [unit.apiKey],
      screenKeys: Object.fromEntries(unit.counters.map((c) => [c.id, c.screenKey])),
      webhooks: [unit.webhook],
    })),
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { env: { MOTCUA_CONFIG: file }, units };
}

/** The local webhook receiver: checks each signature and counts every event id (`/hooks/<unit>`). */
async function startReceiver(onEvent) {
  const secrets = new Map();
  const received = { deliveries: 0, badSignature: 0, wrongUnit: 0, byId: new Map(), byType: {}, byUnit: {} };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const unit = decodeURIComponent(req.url.slice('/hooks/'.length));
      received.deliveries++;
      try {
        verifyWebhook(raw, req.headers['motcua-signature'], secrets.get(unit) ?? '-', { toleranceSeconds: 600 });
      } catch {
        received.badSignature++;
        return res.writeHead(400).end();
      }
      const event = JSON.parse(raw);
      if (event.unit !== unit) received.wrongUnit++;
      received.byId.set(event.id, (received.byId.get(event.id) ?? 0) + 1);
      received.byType[event.type] = (received.byType[event.type] ?? 0) + 1;
      received.byUnit[unit] = (received.byUnit[unit] ?? 0) + 1;
      onEvent(event, performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    expect: (unit, secret) => secrets.set(unit, secret),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Runs `count` jobs, `concurrency` at a time. */
async function pool(count, concurrency, job) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

/**
 * CPU time, in seconds, of PostgreSQL's backends serving the bench database from now until `stop()`.
 * Sampled every second: a backend the instances' pools close meanwhile keeps what it had used by its
 * last sample, and one opened meanwhile counts from zero.
 */
async function postgresCpu(pids) {
  const since = new Map();
  const latest = new Map();
  const sample = async (isStart) => {
    for (const pid of await pids()) {
      const ticks = processStat(pid)?.ticks;
      if (ticks === undefined) continue;
      if (!since.has(pid)) since.set(pid, isStart ? ticks : 0);
      latest.set(pid, ticks);
    }
  };
  await sample(true);
  const timer = setInterval(() => void sample(false).catch(() => {}), 1000);
  return {
    async stop() {
      clearInterval(timer);
      await sample(false);
      return [...latest].reduce((sum, [pid, ticks]) => sum + ticks - since.get(pid), 0) / 100;
    },
  };
}
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
};

// ---------------------------------------------------------------------------------------------------
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const screens = UNITS * SCREENS_PER_UNIT;
console.log(
  `bench/province: ${INSTANCES} instances on one PostgreSQL; ${UNITS} units × ${SCREENS_PER_UNIT} screens (${screens} counter streams), ` +
    `${WATCHERS} payment watchers; ${RATE} notifications/s for ${SECONDS} s (${PAYMENTS} payments); loopback only`,
);
// No server to reach: the PostgreSQL part is skipped.
const database = await throwawayDatabase({ prefix: 'motcua_bench' }).catch(() => undefined);
if (!database) {
  console.log('skipped: no PostgreSQL (set MOTCUA_TEST_PG_URL or start one on 127.0.0.1:5432)');
  process.exit(0);
}
cleanups.push(() => database.drop());
const db = new pg.Pool({ connectionString: database.url, max: 1 });
cleanups.push(() => db.end());
const query = async (sql) => (await db.query(sql)).rows;

/** sentAt (performance.now()) of the notification that paid each payment, by payment id. */
const sentAt = new Map();
const webhookLag = [];
const receiver = await startReceiver((event, at) => {
  if (event.type === 'payment.paid' && sentAt.has(event.data.payment.id)) webhookLag.push(at - sentAt.get(event.data.payment.id));
});
cleanups.push(() => receiver.close());
const configDir = mkdtempSync(path.join(tmpdir(), 'motcua-province-'));
cleanups.push(async () => rmSync(configDir, { recursive: true, force: true }));
const province = provinceConfig(UNITS, receiver.url, configDir);
for (const unit of province.units) receiver.expect(unit.id, unit.webhook.secret);

// Inherited MOTCUA_* settings would clash with MOTCUA_CONFIG (the gateway refuses single-unit ones beside it).
const instanceEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MOTCUA_'))),
  ...province.env,
  DATABASE_URL: database.url,
  MOTCUA_DB_POOL_SIZE: String(POOL),
  PORT: '0',
  HOST: '127.0.0.1',
  MOTCUA_WEBHOOK_SECRET: BANK_SECRET,
  MOTCUA_LOG_LEVEL: 'warn',
  MOTCUA_RATE_LIMIT_PER_MINUTE: '0',
  MOTCUA_NOTIFICATION_RATE_LIMIT_PER_MINUTE: '0',
  MOTCUA_MAX_STREAMS_PER_ADDRESS: '0',
};
// The first instance migrates the empty database; the others start on it together.
const instances = [await startServer('gateway-env', '', { env: instanceEnv })];
cleanups.push(() => Promise.all(instances.map((instance) => instance.stop())));
instances.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startServer('gateway-env', '', { env: instanceEnv })))));
const rssIdle = await Promise.all(instances.map((i) => i.rss()));
console.log(`[${elapsed()}] ${INSTANCES} instances up: ${instances.map((i) => i.url).join(', ')}`);

// ---- Payments, made beforehand: payment p is at counter p mod screens. The last one made at each
// counter (made after all the others) is the one its screen shows; those are paid spread over the run.
const counters = province.units.flatMap((unit) => unit.counters.map((counter) => ({ unit, counter })));
const payments = new Array(PAYMENTS);
/** Requests sent again after a broken connection (see `request`). */
const retried = { payments: 0, notifications: 0 };
async function createPayment(p) {
  const { unit, counter } = counters[p % counters.length];
  const body = JSON.stringify({ dossier: `PROV-${p}-${randomBytes(3).toString('hex')}`, amount: 10_000, purpose: 'Lệ phí', counter: counter.id });
  // Safe to send again: a second request for the same dossier, amount and counter answers the open payment.
  const answer = await request(`${instances[p % INSTANCES].url}/api/payments`, {
    headers: { authorization: `Bearer ${unit.apiKey}` },
    body,
    retries: 3,
    onRetry: () => retried.payments++,
  });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`creating payment ${p}: ${answer.status} ${answer.text.slice(0, 200)}`);
  const created = JSON.parse(answer.text);
  payments[p] = { id: created.id, code: created.code, account: created.bank.account, screen: `${unit.id}/${counter.id}` };
}
const shown = Math.min(screens, PAYMENTS); // payments a screen shows: the last `shown` made
await pool(PAYMENTS - shown, 16, createPayment);
await pool(shown, 16, (i) => createPayment(PAYMENTS - shown + i));
console.log(`[${elapsed()}] ${PAYMENTS} payments made`);

// ---- Streams: screen s and watcher w on instance (s or w) mod INSTANCES; watcher w watches payment w mod PAYMENTS.
/** Every stream: which instance, what it waits for, when it got it. */
const streams = [];
function watch(kind, instance, path, expected) {
  const entry = { kind, instance, expected, first: undefined, receivedAt: undefined, stream: undefined };
  streams.push(entry);
  return openEventStream(instances[instance].url + path, (event, arrivedAt) => {
    const data = JSON.parse(event.data);
    if (entry.first === undefined) {
      entry.first = data;
      return;
    }
    const payment = kind === 'payment' ? data : data.payment;
    if (expected !== undefined && entry.receivedAt === undefined && payment?.id === expected && payment.status === 'paid') entry.receivedAt = arrivedAt;
  }).then((stream) => (entry.stream = stream));
}
const screenPayment = new Map(payments.slice(PAYMENTS - shown).map((p) => [p.screen, p.id]));
const opens = [
  ...counters.map(
    ({ unit, counter }, s) =>
      () =>
        watch('counter', s % INSTANCES, counter.stream, screenPayment.get(`${unit.id}/${counter.id}`)),
  ),
  ...Array.from(
    { length: WATCHERS },
    (_, w) => () => watch('payment', w % INSTANCES, `/api/payments/${payments[w % PAYMENTS].id}/events`, payments[w % PAYMENTS].id),
  ),
];
cleanups.push(async () => streams.forEach((entry) => entry.stream?.close()));
for (let i = 0; i < opens.length; i += 250) await Promise.all(opens.slice(i, i + 250).map((open) => open()));
const firstDeadline = Date.now() + 30_000;
while (streams.some((entry) => entry.first === undefined) && Date.now() < firstDeadline) await sleep(50);
const notReady = streams.filter((entry) => entry.first === undefined).length;
// A screen must start on its payment (else it would wait for nothing).
const screensOff = streams.filter((e) => e.kind === 'counter' && e.expected && e.first?.payment?.id !== e.expected).length;
console.log(`[${elapsed()}] ${streams.length} streams open (${notReady} without their first state, ${screensOff} screens not on their payment)`);
const rssConnected = await Promise.all(instances.map((i) => i.rss()));

// ---- The notifications: open loop at RATE/s (a slow answer never slows the sending), instance by instance.
// The screens' payments are spread evenly among the others.
const order = [];
{
  const others = payments.slice(0, PAYMENTS - shown);
  const mine = payments.slice(PAYMENTS - shown);
  for (let slot = 0; slot < PAYMENTS; slot++)
    order.push(Math.floor(((slot + 1) * shown) / PAYMENTS) > Math.floor((slot * shown) / PAYMENTS) ? mine.shift() : others.shift());
}
const backendPids = async () =>
  (await query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()")).map(
    (r) => r.pid,
  );
const cpuBefore = await Promise.all(instances.map((i) => i.cpu()));
await Promise.all(instances.map((i) => i.ask('lag'))); // from now on
const benchCpuBefore = process.cpuUsage();
// How late this process's own event loop ran: a delay here is added to every latency it measures.
const benchLag = monitorEventLoopDelay({ resolution: 10 });
benchLag.enable();
const machineBefore = machineTicks();
const postgres = await postgresCpu(backendPids);
const answers = { matched: 0, other: 0, failed: 0, statuses: {} };
const acceptLatency = [];
const t0 = performance.now();
const inFlight = [];
for (let k = 0; k < PAYMENTS; k++) {
  const due = t0 + (k * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
  const payment = order[k];
  const body = JSON.stringify({
    id: `PROV${k}-${randomBytes(4).toString('hex')}`,
    amount: 10_000,
    memo: `CT ${payment.code} LE PHI`,
    account: payment.account,
  });
  const headers = { 'x-signature': signNotification(BANK_SECRET, body) };
  const started = performance.now();
  sentAt.set(payment.id, started);
  inFlight.push(
    // Safe to send again, as banks do: the same transaction id is applied once.
    request(`${instances[k % INSTANCES].url}/api/bank/notifications/generic`, { headers, body, retries: 3, onRetry: () => retried.notifications++ }).then(
      ({ status, text }) => {
        acceptLatency.push(performance.now() - started);
        answers.statuses[status] = (answers.statuses[status] ?? 0) + 1;
        if (status === 200 && JSON.parse(text).results?.[0]?.outcome === 'matched') answers.matched++;
        else answers.other++;
      },
      () => answers.failed++,
    ),
  );
}
const sendSeconds = (performance.now() - t0) / 1000;
await Promise.all(inFlight);
const eventDeadline = Date.now() + EVENT_GRACE_MS;
while (streams.some((e) => e.expected && e.receivedAt === undefined) && Date.now() < eventDeadline) await sleep(50);
const windowSeconds = (performance.now() - t0) / 1000;
const cpuAfter = await Promise.all(instances.map((i) => i.cpu()));
const lagDuring = await Promise.all(instances.map(async (i) => (await i.ask('lag')).lag));
const benchCpu = process.cpuUsage(benchCpuBefore);
benchLag.disable();
const machineAfter = machineTicks();
const postgresSeconds = await postgres.stop();
const rssPeak = await Promise.all(instances.map((i) => i.rss()));
const load = loadavg();
console.log(
  `[${elapsed()}] ${PAYMENTS} notifications sent in ${sendSeconds.toFixed(1)} s; ${streams.filter((e) => e.receivedAt !== undefined).length} events in`,
);

// ---- Webhooks: wait until the outbox has nothing pending, then compare it with what arrived.
const webhookDeadline = Date.now() + WEBHOOK_GRACE_MS;
let outbox;
for (;;) {
  [outbox] = await query(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status = 'delivered')::int AS delivered FROM webhook_deliveries`,
  );
  if (outbox.pending === 0 || Date.now() > webhookDeadline) break;
  await sleep(250);
}
const eventIds = (await query('SELECT event_id FROM webhook_events')).map((r) => r.event_id);
const known = new Set(eventIds);
const webhookSeconds = (performance.now() - t0) / 1000;
const received = receiver.received;
const webhooks = {
  events: eventIds.length,
  delivered: eventIds.filter((id) => received.byId.has(id)).length,
  missing: eventIds.filter((id) => !received.byId.has(id)).length,
  twice: [...received.byId.values()].filter((n) => n > 1).length,
  unknown: [...received.byId.keys()].filter((id) => !known.has(id)).length,
  requests: received.deliveries,
  badSignature: received.badSignature,
  wrongUnit: received.wrongUnit,
  byType: received.byType,
  byUnit: received.byUnit,
  outbox,
  paidLag: stats(webhookLag),
  drainedAfterSeconds: webhookSeconds,
};

// ---- Figures.
const perInstance = instances.map((instance, i) => {
  const mine = streams.filter((e) => e.instance === i);
  const latency = (kind) => stats(mine.filter((e) => e.kind === kind && e.receivedAt !== undefined).map((e) => e.receivedAt - sentAt.get(e.expected)));
  return {
    url: instance.url,
    streams: mine.length,
    payment: latency('payment'),
    counter: latency('counter'),
    all: stats(mine.filter((e) => e.receivedAt !== undefined).map((e) => e.receivedAt - sentAt.get(e.expected))),
    lost: mine.filter((e) => e.expected && e.receivedAt === undefined).length,
    closed: mine.filter((e) => e.stream?.closed).length,
    rss: { idle: rssIdle[i], connected: rssConnected[i], end: rssPeak[i] },
    cpuShare: (cpuAfter[i] - cpuBefore[i]) / 1000 / windowSeconds,
    eventLoopDelay: lagDuring[i],
  };
});
const results = {
  sizes: { instances: INSTANCES, units: UNITS, screens, watchers: WATCHERS, seconds: SECONDS, rate: RATE, payments: PAYMENTS },
  configuration: `MOTCUA_CONFIG, ${UNITS} units`,
  notifications: { ...answers, sendSeconds, accept: stats(acceptLatency) },
  retried,
  streams: { open: streams.length, notReady, screensOff, expected: streams.filter((e) => e.expected).length },
  instances: perInstance,
  overall: stats(streams.filter((e) => e.receivedAt !== undefined).map((e) => e.receivedAt - sentAt.get(e.expected))),
  lost: perInstance.reduce((sum, i) => sum + i.lost, 0),
  webhooks,
  cpu: {
    windowSeconds,
    bench: (benchCpu.user + benchCpu.system) / 1e6 / windowSeconds,
    benchEventLoopDelay: { p50: benchLag.percentile(50) / 1e6, p99: benchLag.percentile(99) / 1e6, max: benchLag.max / 1e6 },
    postgres: postgresSeconds / windowSeconds,
    machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total || Number.NaN),
  },
  loadavg: load,
  /** What cleanup must leave behind: no instance process, no database. */
  processes: instances.map((instance) => instance.child.pid),
  database: database.name,
};

await cleanUp();

const pct = (share) => `${(share * 100).toFixed(0)}%`;
const line = (s) => (s.count ? `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (${s.count})` : 'none received');
console.log(`\nbench/province (${results.configuration}), ${new Date().toISOString()}`);
console.log(`  sizes: ${INSTANCES} instances, ${UNITS} units × ${SCREENS_PER_UNIT} screens = ${screens} counter streams, ${WATCHERS} payment watchers`);
console.log(
  `  notifications: ${PAYMENTS} at ${RATE}/s (sent over ${sendSeconds.toFixed(1)} s): ${answers.matched} matched, ${answers.other} other, ${answers.failed} failed; ` +
    `answered p50 ${ms(results.notifications.accept.p50)}, p99 ${ms(results.notifications.accept.p99)}; sent again after a broken connection: ${retried.notifications} (payments made: ${retried.payments})`,
);
perInstance.forEach((r, i) => {
  console.log(`  instance ${i + 1} (${r.streams} streams): notification → event ${line(r.all)}; lost ${r.lost}`);
  console.log(`      payment watchers ${line(r.payment)}`);
  console.log(`      counter screens  ${line(r.counter)}`);
  console.log(
    `      RSS ${mb(r.rss.idle)} idle → ${mb(r.rss.connected)} connected → ${mb(r.rss.end)} at the end; CPU ${pct(r.cpuShare)} of one core; event loop late p99 ${ms(r.eventLoopDelay.p99)}; streams closed by the server ${r.closed}`,
  );
});
console.log(`  all instances: ${line(results.overall)}; lost ${results.lost} of ${results.streams.expected}`);
console.log(
  `  webhooks: ${webhooks.events} events, ${webhooks.delivered} delivered, ${webhooks.missing} missing, ${webhooks.twice} delivered twice, ` +
    `${webhooks.badSignature} bad signatures; outbox ${webhooks.outbox.delivered} delivered / ${webhooks.outbox.pending} pending / ${webhooks.outbox.failed} failed; ` +
    `payment.paid notification → webhook ${line(webhooks.paidLag)}`,
);
console.log(
  `  CPU over ${windowSeconds.toFixed(0)} s: instances ${perInstance.map((r) => pct(r.cpuShare)).join(' + ')}, PostgreSQL backends ${pct(results.cpu.postgres)}, ` +
    `this process ${pct(results.cpu.bench)} (of one core; its event loop late p99 ${ms(results.cpu.benchEventLoopDelay.p99)}); machine ${pct(results.cpu.machineBusy)} busy of ${availableParallelism()} cores; load ${load.map((l) => l.toFixed(2)).join(' ')}`,
);
const worst = Math.max(...perInstance.map((r) => r.all.p99 ?? Number.POSITIVE_INFINITY));
console.log(
  `\ngoals: p99 ≤ 250 ms at every instance ${worst <= 250 ? 'met' : 'MISSED'} (worst ${ms(worst)}); events lost 0 ${results.lost === 0 ? 'met' : 'MISSED'}; ` +
    `every webhook event once ${webhooks.missing === 0 && webhooks.twice === 0 ? 'met' : 'MISSED'}`,
);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
process.exit(0);
