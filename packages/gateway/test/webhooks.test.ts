// Signed webhooks to the portal's backend and the pull API (issue 13 items 6 and 7): the outbox is
// written with the change, delivered at least once with the same event id, in order per payment, with
// retries, one instance per event however many run; /api/events pages and catches up after downtime.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { startGateway, verifyWebhook, type GatewayConfig } from '../src/index.js';
import { BACKENDS, NO_PG, baseConfig, createPayment, eventually, exited, sleep, startChild, startTestGateway, throwawayDatabase, withApi } from './helpers.js';

const SECRET = 'whsec-test-0123456789abcdef';

interface Received {
  id: string;
  type: string;
  unit: string;
  data: Record<string, any>;
  header: string;
  raw: string;
}

type Fate = number | 'hang' | { status: number; headers?: Record<string, string>; body?: string };

/** A loopback receiver: `answer` decides each request's fate (a status, an answer, or 'hang'); every request is recorded. */
async function startReceiver(answer: (event: Received, tries: number, req: IncomingMessage) => Fate = () => 200, port = 0) {
  const received: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const event = { ...JSON.parse(raw), header: String(req.headers['motcua-signature']), raw } as Received;
      received.push(event);
      const fate = answer(event, received.filter((r) => r.id === event.id).length, req);
      if (fate === 'hang') return void hanging.add(res);
      if (typeof fate === 'object') return void res.writeHead(fate.status, fate.headers ?? {}).end(fate.body ?? '');
      res.writeHead(fate, { 'content-type': 'text/plain' }).end(fate < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/motcua`;
  return {
    url,
    received,
    /** The first delivery of each event id, in arrival order. */
    succeeded: () => received.filter((r, index) => received.findIndex((o) => o.id === r.id) === index),
    async until(predicate: () => boolean, what: string) {
      await eventually(predicate, Boolean).catch(() => {
        throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.map((r) => [r.type, r.id]))}`);
      });
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Fast retries so that the tests run in seconds; the production schedule is the default. */
const webhookConfig = (url: string, overrides: Partial<GatewayConfig> = {}): Partial<GatewayConfig> => ({
  webhooks: [{ url, secret: SECRET }],
  webhookRetry: { firstDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 60_000 },
  webhookPollMs: 50,
  webhookTimeoutMs: 2_000,
  ...overrides,
});

for (const backend of BACKENDS) {
  describe(`webhooks (${backend.name})`, { skip: backend.skip }, () => {
    it('should deliver the same event id again after a 500, signed, and log both tries', async () => {
      const receiver = await startReceiver((event, tries) => (event.type === 'payment.created' && tries === 1 ? 500 : 200));
      const gateway = await startTestGateway(backend.name, webhookConfig(receiver.url));
      try {
        const payment = await createPayment(gateway);
        await receiver.until(() => receiver.received.filter((r) => r.type === 'payment.created').length === 2, 'the retry');
        const [first, second] = receiver.received.filter((r) => r.type === 'payment.created');
        assert.equal(first!.id, second!.id);
        assert.match(first!.id, /^evt_/);
        assert.equal(second!.unit, 'default');
        assert.equal(second!.data.payment.id, payment.id);
        assert.equal(second!.data.payment.status, 'pending');
        // The body as sent is what is signed: the receiver's check passes, a tampered body does not.
        assert.ok(verifyWebhook(second!.raw, second!.header, SECRET).timestamp > 0);
        assert.throws(() => verifyWebhook(second!.raw.replace('pending', 'paid'), second!.header, SECRET), { code: 'SIGNATURE_MISMATCH' });

        const listed = await waitForDelivery(gateway, first!.id, 'delivered');
        assert.deepEqual(
          listed.attempts.map((attempt: { status: number }) => attempt.status),
          [500, 200],
        );
        assert.match(listed.attempts[0].error, /HTTP 500: not now/);
        assert.equal(listed.attempts[1].error, null);
        assert.equal(typeof listed.attempts[0].durationMs, 'number');
      } finally {
        await gateway.close();
        await receiver.close();
      }
    });

    it('should time out on a receiver that never answers, and retry', async () => {
      const receiver = await startReceiver((_event, tries) => (tries === 1 ? 'hang' : 200));
      const gateway = await startTestGateway(backend.name, webhookConfig(receiver.url, { webhookTimeoutMs: 1_000 }));
      try {
        await createPayment(gateway);
        await receiver.until(() => receiver.received.length >= 2, 'the retry after the timeout');
        assert.equal(receiver.received[0]!.id, receiver.received[1]!.id);
        const listed = await waitForDelivery(gateway, receiver.received[0]!.id, 'delivered');
        // The first try meets the hang; the retry is answered at once — though a loaded machine can
        // take past the timeout to hear it, and then tries again: every try before the last timed out.
        const attempts: Array<{ status: number | null; error: string | null }> = listed.attempts;
        assert.equal(attempts.at(-1)!.status, 200);
        assert.ok(attempts.length >= 2);
        for (const attempt of attempts.slice(0, -1)) {
          assert.equal(attempt.status, null);
          assert.match(attempt.error!, /no answer within 1000 ms/);
        }
      } finally {
        await gateway.close();
        await receiver.close();
      }
    });

    it("should deliver a payment's events in order: paid waits until created got through", async () => {
      // payment.created fails three times; payment.paid (already in the outbox) must wait for it.
      const receiver = await startReceiver((event, tries) => (event.type === 'payment.created' && tries <= 3 ? 503 : 200));
      const gateway = await startTestGateway(backend.name, webhookConfig(receiver.url));
      try {
        const payment = await createPayment(gateway);
        assert.equal((await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } })).status, 200);
        await receiver.until(() => receiver.received.some((r) => r.type === 'payment.paid'), 'payment.paid');
        const types = receiver.received.map((r) => r.type);
        assert.deepEqual(types, ['payment.created', 'payment.created', 'payment.created', 'payment.created', 'payment.paid']);
        const paid = receiver.received.at(-1)!;
        assert.equal(paid.data.payment.status, 'paid');
        assert.equal(paid.data.payment.amountPaid, payment.amount);
      } finally {
        await gateway.close();
        await receiver.close();
      }
    });

    it('should report every kind of change: cancelled, underpaid, unmatched, rating', async () => {
      const receiver = await startReceiver();
      const gateway = await startTestGateway(backend.name, webhookConfig(receiver.url));
      try {
        const cancelled = await createPayment(gateway);
        await gateway.api(`/api/payments/${cancelled.id}/cancel`, { method: 'POST' });
        const partial = await createPayment(gateway, { amount: 80_000 });
        await gateway.api('/dev/bank/transfer', { json: { paymentId: partial.id, amount: 30_000 } });
        await gateway.api('/dev/bank/transfer', { json: { memo: 'CHUYEN TIEN KHONG MA', amount: 12_000 } });
        const rating = await gateway.api('/api/surveys', {
          key: null,
          json: { surveyId: 'counter', counter: 'C1', answers: { attitude: 'satisfied' }, locale: 'vi', submittedAt: new Date().toISOString() },
          headers: { 'idempotency-key': `webhook-rating-${Date.now()}` },
        });
        assert.equal(rating.status, 201);
        await receiver.until(() => receiver.received.length === 6, 'six events');
        const byType = Object.fromEntries(receiver.received.map((r) => [r.type, r]));
        assert.equal(byType['payment.cancelled']!.data.payment.id, cancelled.id);
        assert.equal(byType['payment.underpaid']!.data.payment.amountPaid, 30_000);
        assert.equal(byType['transaction.unmatched']!.data.transaction.reason, 'no_code');
        assert.equal(byType['transaction.unmatched']!.data.transaction.amount, 12_000);
        assert.equal(byType['rating.created']!.data.rating.id, rating.body.id);
        assert.deepEqual(byType['rating.created']!.data.rating.answers, { attitude: 'satisfied' });
        // A refused request changes nothing, and reports nothing.
        assert.equal((await gateway.api('/api/payments', { json: { dossier: cancelled.dossier, amount: -1, purpose: 'x', counter: 'C1' } })).status, 400);
        await sleep(200);
        assert.equal(receiver.received.length, 6);
      } finally {
        await gateway.close();
        await receiver.close();
      }
    });

    it('should list deliveries by type and status, redeliver one with the same id, and refuse bad input', async () => {
      const receiver = await startReceiver();
      const gateway = await startTestGateway(backend.name, webhookConfig(receiver.url));
      try {
        await createPayment(gateway);
        await receiver.until(() => receiver.received.length === 1, 'the first delivery');
        const delivered = await waitForDelivery(gateway, receiver.received[0]!.id, 'delivered');
        const listed = await gateway.api('/api/webhooks/deliveries?type=payment.created&status=delivered');
        assert.equal(listed.status, 200);
        assert.deepEqual(
          listed.body.deliveries.map((d: { id: string }) => d.id),
          [delivered.id],
        );
        assert.equal((await gateway.api('/api/webhooks/deliveries?status=pending')).body.deliveries.length, 0);
        const again = await gateway.api(`/api/webhooks/deliveries/${delivered.id}/redeliver`, { method: 'POST' });
        assert.equal(again.status, 202);
        assert.equal(again.body.status, 'pending');
        await receiver.until(() => receiver.received.length === 2, 'the redelivery');
        assert.equal(receiver.received[1]!.id, receiver.received[0]!.id);
        assert.equal(receiver.received[1]!.raw, receiver.received[0]!.raw);

        assert.equal((await gateway.api('/api/webhooks/deliveries/999999/redeliver', { method: 'POST' })).status, 404);
        assert.equal((await gateway.api('/api/webhooks/deliveries', { key: null })).status, 401);
        assert.equal((await gateway.api('/api/events', { key: 'wrong-key' })).status, 401);
        for (const query of ['type=payment.nope', 'status=lost', 'limit=0', 'event=nope'])
          assert.equal((await gateway.api(`/api/webhooks/deliveries?${query}`)).body.error.code, 'INVALID_FIELD', query);
        for (const query of ['after=-1', 'after=abc', 'limit=501'])
          assert.equal((await gateway.api(`/api/events?${query}`)).body.error.code, 'INVALID_FIELD', query);
      } finally {
        await gateway.close();
        await receiver.close();
      }
    });

    it('should page /api/events in order, and catch up after downtime from the cursor', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'motcua-webhooks-'));
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      const storage = database ? { databaseUrl: database.url } : { dataDir: path.join(dir, 'pglite') };
      try {
        let gateway = withApi(await startGateway(baseConfig(storage)));
        const payments = [await createPayment(gateway), await createPayment(gateway), await createPayment(gateway)];
        const first = await gateway.api('/api/events?limit=2');
        assert.equal(first.status, 200);
        assert.deepEqual(
          first.body.events.map((e: Received) => e.data.payment.id),
          payments.slice(0, 2).map((p) => p.id),
        );
        const second = await gateway.api(`/api/events?after=${first.body.next}&limit=2`);
        assert.deepEqual(
          second.body.events.map((e: Received) => [e.type, e.data.payment.id]),
          [['payment.created', payments[2]!.id]],
        );
        const cursor = second.body.next;
        assert.deepEqual((await gateway.api(`/api/events?after=${cursor}`)).body, { events: [], next: cursor });
        // The portal is down while the gateway goes on (and restarts): it asks from its cursor once back.
        await gateway.api(`/api/payments/${payments[0]!.id}/cancel`, { method: 'POST' });
        await gateway.close();
        gateway = withApi(await startGateway(baseConfig(storage)));
        const fourth = await createPayment(gateway);
        const caughtUp = await gateway.api(`/api/events?after=${cursor}`);
        assert.deepEqual(
          caughtUp.body.events.map((e: Received) => [e.type, e.data.payment.id]),
          [
            ['payment.cancelled', payments[0]!.id],
            ['payment.created', fourth.id],
          ],
        );
        assert.ok(Number(caughtUp.body.next) > Number(cursor));
        await gateway.close();
      } finally {
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('should deliver after a restart what a killed gateway (kill -9) left in the outbox', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'motcua-webhooks-'));
      const database = backend.name === 'PostgreSQL' ? await throwawayDatabase() : undefined;
      const storage = database ? { databaseUrl: database.url } : { dataDir: path.join(dir, 'pglite') };
      // The portal's receiver is down (its port refuses connections) while the first gateway runs.
      const probe = await startReceiver();
      const port = Number(new URL(probe.url).port);
      await probe.close();
      try {
        const { child, url } = await startChild({
          ...(database ? { DATABASE_URL: database.url } : { MOTCUA_DATA_DIR: storage.dataDir! }),
          MOTCUA_WEBHOOKS: JSON.stringify([{ url: probe.url, secret: SECRET }]),
        });
        const first = withApi({ url });
        const payment = await createPayment(first);
        const failed = await waitForAttempt(first, 'payment.created');
        assert.equal(failed.status, 'pending');
        assert.match(failed.attempts[0].error, /ECONNREFUSED/);
        const died = exited(child);
        child.kill('SIGKILL');
        assert.equal((await died).signal, 'SIGKILL');

        const receiver = await startReceiver(() => 200, port);
        const second = withApi(await startGateway(baseConfig({ ...storage, ...webhookConfig(receiver.url) })));
        try {
          await receiver.until(() => receiver.received.length === 1, 'the delivery after the restart');
          assert.equal(receiver.received[0]!.id, failed.eventId);
          assert.equal(receiver.received[0]!.data.payment.id, payment.id);
          await waitForDelivery(second, failed.eventId, 'delivered');
        } finally {
          await second.close();
          await receiver.close();
        }
      } finally {
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('webhooks: what the receiver answers', () => {
  it("should follow a redirect within the receiver's origin, and never one to another host", async () => {
    const elsewhere = await startReceiver();
    const receiver = await startReceiver((event, _tries, req) =>
      req.url === '/moved'
        ? 200
        : event.type === 'payment.created'
          ? { status: 307, headers: { location: '/moved' } }
          : { status: 307, headers: { location: elsewhere.url } },
    );
    const gateway = await startTestGateway('PGlite', webhookConfig(receiver.url));
    try {
      const payment = await createPayment(gateway);
      const created = await waitForDelivery(gateway, (await waitForAttempt(gateway, 'payment.created')).eventId, 'delivered');
      assert.deepEqual(
        created.attempts.map((a: { status: number }) => a.status),
        [200],
      );
      await gateway.api(`/api/payments/${payment.id}/cancel`, { method: 'POST' });
      const cancelled = await waitForAttempt(gateway, 'payment.cancelled');
      assert.equal(cancelled.status, 'pending');
      assert.equal(cancelled.attempts[0].status, 307);
      assert.match(cancelled.attempts[0].error, /redirect to http:\/\/127\.0\.0\.1:\d+ not followed/);
      await sleep(300);
      assert.equal(elsewhere.received.length, 0);
    } finally {
      await gateway.close();
      await receiver.close();
      await elsewhere.close();
    }
  });

  it("should give up after the schedule ends, log only the start of a huge answer, and let the payment's next event go", async () => {
    const huge = 'x'.repeat(4_000_000);
    const receiver = await startReceiver((event) => (event.type === 'payment.created' ? { status: 500, body: huge } : 200));
    const gateway = await startTestGateway(
      'PGlite',
      webhookConfig(receiver.url, { webhookRetry: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 3_000 } }),
    );
    try {
      const payment = await createPayment(gateway);
      await gateway.api('/dev/bank/transfer', { json: { paymentId: payment.id } });
      await receiver.until(() => receiver.received.some((r) => r.type === 'payment.paid'), 'payment.paid once created is given up');
      const created = await waitForDelivery(gateway, receiver.received[0]!.id, 'failed');
      assert.ok(created.attempts.length >= 2, JSON.stringify(created.attempts));
      assert.equal(created.nextAttemptAt, null);
      for (const attempt of created.attempts) assert.ok(attempt.error.length <= 220, attempt.error.length);
      assert.equal((await gateway.api('/api/webhooks/deliveries?status=failed')).body.deliveries.length, 1);
    } finally {
      await gateway.close();
      await receiver.close();
    }
  });
});

describe('webhooks (two instances on one PostgreSQL)', { skip: NO_PG }, () => {
  it('should deliver each event exactly once to a receiver that always answers 200', async () => {
    const database = await throwawayDatabase();
    const receiver = await startReceiver();
    const config = baseConfig({ databaseUrl: database.url, ...webhookConfig(receiver.url, { webhookPollMs: 10 }) });
    const [a, b] = [withApi(await startGateway(config)), withApi(await startGateway(config))];
    try {
      const payments = await Promise.all(Array.from({ length: 30 }, (_, index) => createPayment(index % 2 ? a : b)));
      await Promise.all(payments.slice(0, 10).map((p, index) => (index % 2 ? b : a).api('/dev/bank/transfer', { json: { paymentId: p.id } })));
      await receiver.until(() => new Set(receiver.received.map((r) => r.id)).size === 40, 'forty events');
      await sleep(500);
      const counts = new Map<string, number>();
      for (const r of receiver.received) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      assert.deepEqual(
        [...counts.values()].filter((n) => n !== 1),
        [],
      );
      assert.equal(receiver.received.length, 40);
    } finally {
      await a.close();
      await b.close();
      await receiver.close();
      await database.drop();
    }
  });
});

describe('docs/webhooks.md', () => {
  it("should run the Node receiver sample as written: it takes the gateway's events and refuses a tampered one", async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/webhooks.md', import.meta.url)), 'utf8');
    const sample = /### Node[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(sample, 'docs/webhooks.md has a Node sample');
    // Beside the package, so that `@motcua/gateway` resolves as it does for an adopter (to the built dist/).
    const file = fileURLToPath(new URL(`../.webhooks-sample-${process.pid}.mjs`, import.meta.url));
    writeFileSync(file, sample);
    const probe = await startReceiver();
    await probe.close();
    const child = spawn(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', PORTAL_WEBHOOK_SECRET: SECRET, PORT: new URL(probe.url).port },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const gateway = await startTestGateway('PGlite', webhookConfig(probe.url));
    try {
      const payment = await createPayment(gateway);
      const deadline = Date.now() + 20_000;
      while (!/^payment\.created evt_/m.test(output)) {
        if (Date.now() > deadline) throw new Error(`the sample printed: ${output}`);
        await sleep(50);
      }
      const delivered = await waitForDelivery(gateway, /payment\.created (evt_\S+)/.exec(output)![1]!, 'delivered');
      assert.equal(delivered.attempts.at(-1).status, 200);
      const forged = await fetch(probe.url, {
        method: 'POST',
        headers: { 'motcua-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
        body: JSON.stringify({ id: 'evt_forged', type: 'payment.paid', data: { payment } }),
      });
      assert.equal(forged.status, 400);
      assert.equal(await forged.text(), 'SIGNATURE_MISMATCH');
      assert.doesNotMatch(output, /evt_forged/);
    } finally {
      await gateway.close();
      child.kill();
      rmSync(file, { force: true });
    }
  });
});

/** Polls the deliveries list until the event's delivery has `status`. */
async function waitForDelivery(gateway: { api: (path: string) => Promise<{ body: any }> }, eventId: string, status: string) {
  const read = await eventually(
    () => gateway.api(`/api/webhooks/deliveries?event=${eventId}`),
    ({ body }) => body.deliveries?.[0]?.status === status,
  );
  return read.body.deliveries[0];
}

/** Polls until the first delivery of an event of `type` has been tried at least once. */
async function waitForAttempt(gateway: { api: (path: string) => Promise<{ body: any }> }, type: string) {
  const read = await eventually(
    () => gateway.api(`/api/webhooks/deliveries?type=${type}`),
    ({ body }) => body.deliveries?.[0]?.attempts.length > 0,
  );
  return read.body.deliveries[0];
}
