import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CounterState, PaymentResource } from '@motcua/core';
import { startGateway } from '../src/index.js';
import {
  NO_PG,
  SECRETS,
  baseConfig,
  createPayment,
  exited,
  grows,
  newDossier,
  openSse,
  pairedScreenUrl,
  startChild,
  throwawayDatabase,
  withApi,
} from './helpers.js';

/** Creates payments and pays half of them from 8 concurrent loops until stopped; returns what was acknowledged. */
async function load(url: string, stop: { now: boolean }) {
  const api = withApi({ url }).api;
  const acknowledged: PaymentResource[] = [];
  const paidAcknowledged = new Set<string>();
  const loop = async () => {
    while (!stop.now) {
      try {
        const created = await api('/api/payments', { json: { dossier: newDossier(), amount: 10_000, purpose: 'Le phi', counter: 'L1' } });
        if (created.status !== 201) continue;
        acknowledged.push(created.body);
        if (acknowledged.length % 2) continue;
        const body = JSON.stringify({ id: `K${created.body.id}`, amount: 10_000, memo: created.body.code, account: created.body.bank.account });
        const { createHmac } = await import('node:crypto');
        const paid = await api('/api/bank/notifications/generic', {
          method: 'POST',
          key: null,
          body,
          headers: { 'x-signature': `sha256=${createHmac('sha256', SECRETS.hmacSecret).update(body).digest('hex')}` },
        });
        if (paid.status === 200 && paid.body.results[0].outcome === 'matched') paidAcknowledged.add(created.body.id);
      } catch {
        return; // the server died under us: expected
      }
    }
  };
  const loops = Array.from({ length: 8 }, loop);
  return { acknowledged, paidAcknowledged, done: Promise.all(loops) };
}

async function crashAndRecover(env: Record<string, string>) {
  const first = await startChild(env);
  const stop = { now: false };
  const run = await load(first.url, stop);
  // Killed once 60 payments are acknowledged (however long a loaded machine takes; fails if the load stalls).
  await grows(
    () => run.acknowledged.length,
    60,
    () => false,
  );
  const died = exited(first.child);
  first.child.kill('SIGKILL');
  assert.equal((await died).signal, 'SIGKILL');
  stop.now = true;
  await run.done;
  assert.ok(run.acknowledged.length >= 20, `load too small: ${run.acknowledged.length}`);

  const second = await startChild(env);
  try {
    const api = withApi({ url: second.url }).api;
    for (const payment of run.acknowledged) {
      const { status, body } = await api(`/api/payments/${payment.id}`, { key: null });
      assert.equal(status, 200, `acknowledged payment ${payment.id} lost`);
      assert.equal(body.code, payment.code);
      if (run.paidAcknowledged.has(payment.id)) assert.equal(body.status, 'paid', `acknowledged transfer for ${payment.id} lost`);
    }
    const fresh = await api('/api/payments', { json: { dossier: newDossier(), amount: 5_000, purpose: 'after restart', counter: 'L1' } });
    assert.equal(fresh.status, 201);
    const stopped = exited(second.child);
    second.child.kill('SIGTERM');
    assert.equal((await stopped).code, 0, 'SIGTERM shuts down cleanly');
    assert.match(second.output(), /"msg":"gateway stopped"/);
  } finally {
    second.child.kill('SIGKILL');
  }
  return run;
}

describe('crash safety: kill -9 mid-load', () => {
  it('should lose no acknowledged payment or transfer on PGlite after kill -9 and restart', async (t) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-pglite-'));
    try {
      const run = await crashAndRecover({ MOTCUA_DATA_DIR: dataDir });
      assert.ok(run.paidAcknowledged.size > 0);
      t.diagnostic(
        `killed after ${run.acknowledged.length} acknowledged payments, ${run.paidAcknowledged.size} acknowledged transfers; all found after restart`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should lose no acknowledged payment or transfer on PostgreSQL after kill -9 and restart', { skip: NO_PG }, async (t) => {
    const database = await throwawayDatabase();
    try {
      const run = await crashAndRecover({ DATABASE_URL: database.url });
      assert.ok(run.paidAcknowledged.size > 0);
      t.diagnostic(
        `killed after ${run.acknowledged.length} acknowledged payments, ${run.paidAcknowledged.size} acknowledged transfers; all found after restart`,
      );
    } finally {
      await database.drop();
    }
  });
});

describe('two instances on one PostgreSQL', { skip: NO_PG }, () => {
  it('should fan events out through LISTEN/NOTIFY: a notification accepted by A reaches subscribers on B', async () => {
    const database = await throwawayDatabase();
    // Both start at once; if one fails, the other is closed (left running, it kept the test process alive for ever).
    const started = await Promise.allSettled([
      startGateway(baseConfig({ databaseUrl: database.url })),
      startGateway(baseConfig({ databaseUrl: database.url })),
    ]);
    const gateways = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (gateways.length < 2) {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await database.drop();
      throw (started.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason;
    }
    const [a, b] = gateways as [(typeof gateways)[0], (typeof gateways)[0]];
    try {
      const apiA = withApi(a);
      const payment = await createPayment(apiA, { counter: 'F1' });
      const onB = await openSse(`${b.url}/api/payments/${payment.id}/events`);
      const screenOnB = await openSse(pairedScreenUrl(b, 'F1'));
      const publicOnB = await openSse(`${b.url}/api/counters/F1/events`);
      assert.equal((await onB.next()).status, 'pending');
      assert.equal((await screenOnB.next<CounterState>()).state, 'payment');
      const answer = await apiA.api('/dev/bank/transfer', { json: { paymentId: payment.id, provider: 'sepay' } });
      assert.equal(answer.body.response.status, 200);
      const paid = await onB.next();
      assert.equal(paid.status, 'paid');
      const prompt = await screenOnB.next<CounterState>((s) => s.state === 'survey');
      assert.ok(prompt.state === 'survey' && prompt.survey.token);
      // The public reader on B hears the same change, without the rating token.
      const seen = await publicOnB.next<CounterState>((s) => s.version === prompt.version);
      assert.ok(seen.state === 'payment' && seen.payment.status === 'paid');
      assert.ok(!publicOnB.events.some((event) => event.data.includes(prompt.survey.token)));
      publicOnB.close();
      // And the other way round: a payment created on B shows on a screen watched through A.
      const screenOnA = await openSse(`${a.url}/api/counters/F2/events`);
      await screenOnA.next();
      const second = await createPayment(withApi(b), { counter: 'F2' });
      const shown = await screenOnA.next<CounterState>((s) => s.state === 'payment');
      assert.ok(shown.state === 'payment' && shown.payment.id === second.id);
      for (const stream of [onB, screenOnB, screenOnA]) stream.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  });
});

describe('two instances on one PostgreSQL: the "paid" phase', { skip: NO_PG }, () => {
  it('should show the same "paid" on screens watched through A and B, and move both on once', async () => {
    const database = await throwawayDatabase();
    const config = { databaseUrl: database.url, paidScreenMs: 2_000, sweepIntervalMs: 100 };
    const [a, b] = await Promise.all([startGateway(baseConfig(config)), startGateway(baseConfig(config))]);
    try {
      const apiA = withApi(a);
      const payment = await createPayment(apiA, { counter: 'F1' });
      const screens = [await openSse(pairedScreenUrl(a, 'F1')), await openSse(pairedScreenUrl(b, 'F1'))];
      for (const screen of screens) assert.equal((await screen.next<CounterState>()).state, 'payment');
      await withApi(b).api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      const paid = await Promise.all(screens.map((screen) => screen.next<CounterState>((s) => s.state === 'paid')));
      assert.deepEqual(paid[1], paid[0]);
      const prompts = await Promise.all(screens.map((screen) => screen.next<CounterState>((s) => s.state !== 'paid')));
      assert.ok(prompts[0]!.state === 'survey' && prompts[0]!.version === paid[0]!.version + 1);
      assert.deepEqual(prompts[1], prompts[0], 'one move on (both sweepers run), the same on both instances');
      await new Promise((resolve) => setTimeout(resolve, 400));
      for (const screen of screens) assert.equal(screen.events.length, 3, 'no second move on');
      for (const screen of screens) screen.close();
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  });
});

describe('graceful shutdown', () => {
  it('should end SSE streams and close the database on close()', async () => {
    const gateway = withApi(await startGateway(baseConfig()));
    const payment = await createPayment(gateway);
    const stream = await openSse(`${gateway.url}/api/payments/${payment.id}/events`);
    await stream.next();
    await gateway.close();
    await stream.waitFor(() => stream.ended, 2_000);
    await assert.rejects(fetch(`${gateway.url}/healthz`));
  });
});
