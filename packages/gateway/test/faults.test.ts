// Faults the gateway survives (issue 11, items 10–13), against a throwaway PostgreSQL instance this file
// starts itself (pg-cluster.ts): a busy backend SIGKILLed under load (what the OOM killer does), the
// server stopped for 3 s and started again under two gateway instances, the LISTEN connection lost
// while another instance commits, every process of the instance frozen with SIGSTOP; and slow clients.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { CounterState, PaymentResource } from '@motcua/core';
import { openDatabase, DatabaseUnavailableError, isUnavailable } from '../src/db.js';
import { createLogger } from '../src/log.js';
import { startGateway, type GatewayConfig } from '../src/index.js';
import {
  SCREEN_KEYS,
  SECRETS,
  baseConfig,
  createPayment,
  eventually,
  exited,
  grows,
  newDossier,
  openSse,
  pairedScreenUrl,
  sleep,
  startChild,
  startTestGateway,
  withApi,
  type TestGateway,
} from './helpers.js';
import { startCluster, type Cluster } from './pg-cluster.js';

let cluster: Cluster | undefined;
let skip: string | false = false;
before(async () => {
  const started = await startCluster();
  if (typeof started === 'string') skip = started;
  else cluster = started;
});
after(() => cluster?.stop());

/** Fast failure detection for the tests: 1 s to connect, 1.5 s per statement. */
const FAST_DB = { databaseConnectTimeoutMs: 1_000, databaseStatementTimeoutMs: 1_500 };

let txSeq = 0;
/** A signed generic notification (to the collection account) as a bank provider would send it. */
function notification(url: string, memo: string, amount: number, id = `F${Date.now()}-${++txSeq}`) {
  const body = JSON.stringify({ id, amount, memo, account: '113366668888', reference: `FT${id}` });
  const signature = `sha256=${createHmac('sha256', SECRETS.hmacSecret).update(body).digest('hex')}`;
  return withApi({ url }).api('/api/bank/notifications/generic', {
    method: 'POST',
    body,
    key: null,
    headers: { 'content-type': 'application/json', 'x-signature': signature },
    signal: AbortSignal.timeout(15_000),
  });
}

/**
 * A payment created on A, watched on B (its status stream, its counter's paired screen and a public
 * reader of that counter): all seen in their first state.
 */
async function watchOnB(a: Pick<TestGateway, 'api'>, b: { url: string }, counter: string) {
  const payment = await createPayment(a, { counter });
  const onB = await openSse(`${b.url}/api/payments/${payment.id}/events`);
  const screenOnB = await openSse(pairedScreenUrl(b, counter));
  const publicOnB = await openSse(`${b.url}/api/counters/${counter}/events`);
  assert.equal((await onB.next()).status, 'pending');
  assert.equal((await screenOnB.next<CounterState>()).state, 'payment');
  assert.equal((await publicOnB.next<CounterState>()).state, 'payment');
  return { payment, onB, screenOnB, publicOnB };
}

/** What a public reader of the counter must see once the payment is paid: the paid payment, never the rating token. */
async function publicSeesPaid(publicOnB: Awaited<ReturnType<typeof openSse>>): Promise<void> {
  const state = await publicOnB.next<CounterState>((s: CounterState) => s.state === 'payment' && s.payment.status === 'paid', 10_000);
  assert.equal(state.state === 'payment' && state.payment.status, 'paid');
  assert.equal(JSON.stringify(state).includes('token'), false);
}

describe('PostgreSQL faults (a throwaway instance)', () => {
  it('should survive a busy backend killed with SIGKILL under load: 503 + Retry-After for the affected requests, never a crash, nothing acknowledged lost', async (t) => {
    if (skip || !cluster) return t.skip(skip || 'skipped: no cluster');
    const databaseUrl = await cluster.createDatabase();
    const child = await startChild({ DATABASE_URL: databaseUrl, MOTCUA_DB_CONNECT_TIMEOUT_MS: '2000', MOTCUA_DB_STATEMENT_TIMEOUT_MS: '2000' });
    const died = exited(child.child);
    let exit: { code: number | null; signal: string | null } | undefined;
    void died.then((value) => (exit = value));
    const api = withApi({ url: child.url }).api;
    const statuses = new Map<number, number>();
    const missingRetryAfter: number[] = [];
    const acknowledged: PaymentResource[] = [];
    const paid = new Set<string>();
    let stop = false;
    const record = (status: number, headers: Headers) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 503 && !headers.get('retry-after')) missingRetryAfter.push(status);
    };
    const loop = async () => {
      while (!stop && !exit) {
        try {
          const created = await api('/api/payments', { json: { dossier: newDossier(), amount: 10_000, purpose: 'Le phi', counter: 'K1' } });
          record(created.status, created.headers);
          if (created.status !== 201) continue;
          acknowledged.push(created.body);
          const answer = await notification(child.url, created.body.code, 10_000);
          record(answer.status, answer.headers);
          if (answer.status === 200 && answer.body.results[0].outcome === 'matched') paid.add(created.body.id);
        } catch {
          if (exit) return;
        }
      }
    };
    const loops = Array.from({ length: 6 }, loop);
    try {
      let kills = 0;
      // Kill a backend that is running a statement (or inside a transaction) until a request felt it.
      while (kills < 5 && !(statuses.get(503) ?? 0)) {
        await grows(
          () => acknowledged.length,
          10 * (kills + 1),
          () => !!exit,
        );
        assert.equal(exit, undefined, `the gateway process died: ${JSON.stringify(exit)}\n${child.output().slice(-1500)}`);
        const [busy] = await eventually(
          () =>
            cluster!.sql<{ pid: number }>(
              "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state IN ('active', 'idle in transaction') AND query NOT LIKE 'LISTEN%' LIMIT 1",
              [new URL(databaseUrl).pathname.slice(1)],
            ),
          (rows) => rows.length > 0,
        );
        process.kill(busy!.pid, 'SIGKILL');
        kills++;
        await sleep(1_500); // crash recovery: the server ends every connection and restarts
      }
      const before = acknowledged.length;
      await grows(
        () => acknowledged.length,
        before + 10,
        () => !!exit,
      );
      stop = true;
      await Promise.all(loops);
      assert.equal(exit, undefined, `the gateway process died: ${JSON.stringify(exit)}\n${child.output().slice(-2000)}`);
      assert.deepEqual(
        [...statuses.keys()].filter((status) => ![200, 201, 503].includes(status)),
        [],
        `only 2xx and 503: ${JSON.stringify([...statuses])}`,
      );
      assert.ok((statuses.get(503) ?? 0) > 0, 'the affected requests were answered 503');
      assert.deepEqual(missingRetryAfter, [], 'every 503 carries Retry-After');
      // Later requests succeed, and nothing acknowledged was lost.
      assert.equal((await api('/api/payments', { json: { dossier: newDossier(), amount: 5_000, purpose: 'after', counter: 'K1' } })).status, 201);
      for (const payment of acknowledged) {
        const { status, body } = await api(`/api/payments/${payment.id}`, { key: null });
        assert.equal(status, 200, `acknowledged payment ${payment.id} lost`);
        if (paid.has(payment.id)) assert.equal(body.status, 'paid', `acknowledged transfer for ${payment.id} lost`);
      }
      assert.ok(paid.size > 0);
      assert.match(child.output(), /"msg":"database unavailable"/);
      t.diagnostic(
        `${kills} backend(s) SIGKILLed; answers ${JSON.stringify(Object.fromEntries(statuses))}; ${acknowledged.length} payments and ${paid.size} transfers acknowledged, all found`,
      );
    } finally {
      stop = true;
      child.child.kill('SIGKILL');
      await Promise.all(loops);
    }
  });

  it('should keep two instances in step across a PostgreSQL restart (down 3 s): B reconnects its LISTEN and pushes what A committed', async (t) => {
    if (skip || !cluster) return t.skip(skip || 'skipped: no cluster');
    const databaseUrl = await cluster.createDatabase();
    const a = withApi(await startGateway(baseConfig({ databaseUrl, ...FAST_DB })));
    const b = withApi(await startGateway(baseConfig({ databaseUrl, ...FAST_DB })));
    const streams: Array<{ close(): void }> = [];
    try {
      const { payment, onB, screenOnB, publicOnB } = await watchOnB(a, b, 'R1');
      streams.push(onB, screenOnB, publicOnB);

      await cluster.restart(3_000);
      // A's first attempts may meet the restarting server: 503, then the transfer goes through.
      const answer = await eventually(
        () => a.api('/dev/bank/transfer', { json: { paymentId: payment.id } }),
        (r) => r.status === 200 && r.body.response.status === 200,
      );
      assert.equal(answer.body.response.body.results[0].outcome, 'matched');
      assert.equal((await onB.next((p: PaymentResource) => p.status === 'paid', 12_000)).status, 'paid');
      assert.equal((await screenOnB.next<CounterState>((s) => s.state === 'survey', 12_000)).state, 'survey');
      await publicSeesPaid(publicOnB);
      const health = await eventually(
        () => b.api('/healthz'),
        (r) => r.status === 200 && r.body.events === 'live',
      );
      assert.equal(health.body.database, 'postgres');
    } finally {
      for (const stream of streams) stream.close();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('should not serve channel state from memory while the LISTEN connection is down, and re-read every watched channel when it is back', async (t) => {
    if (skip || !cluster) return t.skip(skip || 'skipped: no cluster');
    const databaseUrl = await cluster.createDatabase();
    // B logs in as its own role, so that its LISTEN connection can be kept from coming back.
    const role = `fault_b_${process.pid}`;
    await cluster.sql(`DROP ROLE IF EXISTS ${role}`);
    await cluster.sql(`CREATE ROLE ${role} LOGIN SUPERUSER`);
    const a = withApi(await startGateway(baseConfig({ databaseUrl, ...FAST_DB })));
    // (B leaves sweeping to A, so that its pool needs no new connection while its role cannot log in.)
    const b = withApi(await startGateway(baseConfig({ databaseUrl: databaseUrl.replace('postgres@', `${role}@`), ...FAST_DB, sweepIntervalMs: 60_000 })));
    const streams: Array<{ close(): void }> = [];
    try {
      const { payment, onB, screenOnB, publicOnB } = await watchOnB(a, b, 'L1');
      streams.push(onB, screenOnB, publicOnB);

      await cluster.sql(`ALTER ROLE ${role} NOLOGIN`);
      // Opens a few of B's pool connections (idle ones stay open 10 s): B can still read, not hear.
      await Promise.all(Array.from({ length: 4 }, () => b.api(`/api/payments/${payment.id}`)));
      await cluster.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND application_name = 'motcua-gateway-listen'`, [role]);
      await eventually(
        () => b.api('/healthz'),
        (r) => r.body.events === 'reconnecting',
      );
      // A commits while B cannot hear it.
      const answer = await a.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      assert.equal(answer.body.response.body.results[0].outcome, 'matched');
      // A new subscriber on B is given the database's state, not B's stale memory.
      const late = await openSse(`${b.url}/api/payments/${payment.id}/events`);
      streams.push(late);
      assert.equal((await late.next()).status, 'paid');
      assert.equal((await b.api(`/api/counters/L1`, { headers: { 'x-screen-key': SCREEN_KEYS.L1! } })).body.state, 'survey');

      await cluster.sql(`ALTER ROLE ${role} LOGIN`);
      // Back: the old subscribers get what they missed (re-read of every watched channel).
      assert.equal((await onB.next((p: PaymentResource) => p.status === 'paid', 10_000)).status, 'paid');
      assert.equal((await screenOnB.next<CounterState>((s) => s.state === 'survey', 10_000)).state, 'survey');
      await publicSeesPaid(publicOnB);
      assert.equal((await b.api('/healthz')).body.events, 'live');
    } finally {
      for (const stream of streams) stream.close();
      await cluster.sql(`ALTER ROLE ${role} LOGIN`).catch(() => {});
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('should answer 503 + Retry-After (healthz included) within seconds while the database is frozen (SIGSTOP), store nothing it acknowledged, and recover', async (t) => {
    if (skip || !cluster) return t.skip(skip || 'skipped: no cluster');
    const gateway = withApi(await startGateway(baseConfig({ databaseUrl: await cluster.createDatabase(), ...FAST_DB })));
    let pids: number[] = [];
    try {
      const payment = await createPayment(gateway, { amount: 40_000 });
      const id = `FROZEN-${Date.now()}`;
      pids = cluster.freeze();
      const timed = { signal: AbortSignal.timeout(10_000) };
      const [health, created, notified, read] = await Promise.all([
        gateway.api('/healthz', timed),
        gateway.api('/api/payments', { json: { dossier: newDossier(), amount: 5_000, purpose: 'frozen', counter: 'Z1' }, ...timed }),
        notification(gateway.url, payment.code, 40_000, id),
        gateway.api(`/api/payments/${payment.id}`, timed),
      ]);
      assert.equal(health.status, 503);
      assert.equal(health.body.ok, false);
      for (const answer of [health, created, notified, read]) {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.ok(Number(answer.headers.get('retry-after')) > 0, 'Retry-After');
      }
      assert.equal(notified.body.error.code, 'DATABASE_UNAVAILABLE');
      cluster.thaw(pids);
      // The provider retries the same notification: it is counted exactly once.
      const retried = await eventually(
        () => notification(gateway.url, payment.code, 40_000, id),
        (r) => r.status === 200,
      );
      assert.ok(['matched', 'duplicate'].includes(retried.body.results[0].outcome));
      const after = await gateway.api(`/api/payments/${payment.id}`);
      assert.deepEqual([after.body.status, after.body.amountPaid], ['paid', 40_000]);
      assert.equal((await gateway.api('/healthz')).status, 200);
    } finally {
      cluster.thaw(pids);
      await gateway.close();
    }
  });
});

describe('database errors on PGlite', () => {
  it('should map a closed database to DatabaseUnavailableError, and leave constraint errors alone', async () => {
    const db = await openDatabase({ dataDir: 'memory://', poolSize: 1, log: createLogger('silent') });
    await db.query('CREATE TABLE t (id int PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES (1)');
    await assert.rejects(
      db.query('INSERT INTO t VALUES (1)'),
      (error: unknown) => !(error instanceof DatabaseUnavailableError) && (error as { code?: string }).code === '23505',
    );
    await db.close();
    await assert.rejects(db.query('SELECT 1'), DatabaseUnavailableError);
    await assert.rejects(
      db.transaction((tx) => tx.query('SELECT 1')),
      DatabaseUnavailableError,
    );
    for (const unavailable of [
      { code: '57014' },
      { code: '57P01' },
      { code: '08006' },
      { code: 'ECONNREFUSED' },
      new Error('Connection terminated unexpectedly'),
      new Error('Query read timeout'),
    ])
      assert.ok(isUnavailable(unavailable), JSON.stringify(unavailable));
    for (const other of [{ code: '23505' }, { code: '22P02' }, new Error('syntax error')]) assert.ok(!isUnavailable(other), JSON.stringify(other));
  });
});

describe('slow and greedy clients', () => {
  let gateway: TestGateway;
  /** On the throwaway PostgreSQL when there is one (no database fault here; it saves a PGlite start), else PGlite. */
  const startWith = async (limits: Partial<GatewayConfig>): Promise<TestGateway> =>
    cluster ? withApi(await startGateway(baseConfig({ databaseUrl: await cluster.createDatabase(), ...limits }))) : startTestGateway('PGlite', limits);
  before(async () => {
    gateway = await startWith({ headersTimeoutMs: 600, requestTimeoutMs: 1_200, maxStreamsPerAddress: 3 });
  });
  after(() => gateway.close());

  /** Opens a raw connection, writes `head`, then one byte of `drip` every `everyMs`; resolves with what the server answered (or '' when it closed). */
  const trickle = (head: string, drip: string, everyMs: number, giveUpMs = 6_000) =>
    new Promise<{ answer: string; closed: boolean }>((resolve) => {
      const socket = connect(gateway.port, '127.0.0.1');
      let answer = '';
      let i = 0;
      const timer = setInterval(() => (i < drip.length ? socket.write(drip[i++]!) : undefined), everyMs);
      const done = (closed: boolean) => {
        clearInterval(timer);
        clearTimeout(giveUp);
        socket.destroy();
        resolve({ answer, closed });
      };
      const giveUp = setTimeout(() => done(false), giveUpMs);
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('close', () => done(true));
      socket.on('error', () => {});
      socket.write(head);
    });

  it('should answer 408 to a body sent one byte at a time past the request timeout', async () => {
    const body = JSON.stringify({ dossier: 'X', amount: 1, purpose: 'slow', counter: 'S1' });
    const head = `POST /api/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nAuthorization: Bearer test-api-key-0123456789\r\n\r\n`;
    const { answer, closed } = await trickle(head, body, 300);
    assert.ok(closed, 'the connection was closed');
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('should answer 408 to headers sent one byte at a time past the headers timeout', async () => {
    const { answer, closed } = await trickle('GET /healthz HTTP/1.1\r\n', 'Host: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n', 200);
    assert.ok(closed, 'the connection was closed');
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('should keep event streams open past the request timeout, and cap them per address (429 beyond)', async () => {
    const payment = await createPayment(gateway, { counter: 'S2' });
    const streams = await Promise.all([1, 2, 3].map(() => openSse(`${gateway.url}/api/payments/${payment.id}/events`)));
    for (const stream of streams) assert.equal((await stream.next()).status, 'pending');
    const fourth = await gateway.api(`/api/counters/S2/events`, { key: null });
    assert.equal(fourth.status, 429);
    assert.equal(fourth.body.error.code, 'TOO_MANY_STREAMS');
    assert.ok(Number(fourth.headers.get('retry-after')) > 0);
    await sleep(1_500); // past requestTimeoutMs
    assert.equal((await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' })).status, 200);
    for (const stream of streams) assert.equal((await stream.next()).status, 'cancelled');
    streams[0]!.close();
    const again = await eventually(
      () => openSse(`${gateway.url}/api/counters/S2/events`),
      (s) => s.response.status === 200,
    );
    assert.equal(again.response.status, 200);
    for (const stream of [...streams, again]) stream.close();
  });

  it('should rate-limit the notification routes per address (429 + Retry-After)', async () => {
    // A gateway of its own, with the default request timeouts: the 600 ms headers timeout above once
    // answered 408 to one of these requests on a loaded machine, which is not what this test is about.
    const limited = await startWith({ notificationRateLimitPerMinute: 4 });
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await notification(limited.url, 'NO CODE', 1_000));
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 200, 200, 429, 429],
      );
      assert.ok(Number(answers[4]!.headers.get('retry-after')) > 0);
    } finally {
      await limited.close();
    }
  });
});
