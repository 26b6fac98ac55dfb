import { afterEach, describe, it } from 'node:test';
import { expect } from '@open-wc/testing';
import type { SurveySubmission } from '@motcua/core';
import { SubmissionQueue, type QueuedDetail, type RejectedDetail, type SentDetail } from '../src/submission-queue.js';
import { control, deleteDatabase, newEndpoint, stats, uniqueName, until } from './helpers.js';

const rating = (n: number, extra: Partial<SurveySubmission> = {}): SurveySubmission => ({
  surveyId: 'counter',
  counter: 'C1',
  answers: { attitude: n % 2 ? 'satisfied' : 'very_satisfied' },
  locale: 'vi',
  submittedAt: new Date(Date.UTC(2025, 0, 1, 8, 0, n)).toISOString(),
  ...extra,
});

describe('SubmissionQueue', () => {
  const queues: SubmissionQueue[] = [];
  const names: string[] = [];
  function makeQueue(options: ConstructorParameters<typeof SubmissionQueue>[0] = {}): SubmissionQueue {
    const name = options.name ?? uniqueName('q');
    names.push(name);
    // Long retry delays: the tests drive flushes themselves, so timers never race them.
    const queue = new SubmissionQueue({ baseMs: 60_000, maxMs: 60_000, ...options, name });
    queues.push(queue);
    return queue;
  }
  afterEach(async () => {
    for (const queue of queues.splice(0)) queue.stop();
    for (const name of names.splice(0)) {
      await deleteDatabase(name);
      localStorage.removeItem(`${name}:submissions`);
    }
  });

  it('should send a rating at once with its Idempotency-Key and report it sent', async () => {
    const endpoint = newEndpoint();
    const queue = makeQueue();
    const sent: SentDetail[] = [];
    queue.addEventListener('sent', (event) => sent.push(event.detail));
    const outcome = await queue.submit(endpoint.url, rating(1), 'key-1');
    expect(outcome).to.equal('sent');
    expect(sent).to.have.length(1);
    expect(sent[0]).to.include({ status: 201, id: 'r1', repeat: false });
    expect(sent[0]!.item.key).to.equal('key-1');
    const server = await stats(endpoint.name);
    expect(server.keys).to.deep.equal(['key-1']);
    expect(server.bodies[0]).to.deep.equal(rating(1));
    expect(await queue.items()).to.deep.equal([]);
    expect(await queue.storageKind()).to.equal('indexeddb');
  });

  it('should mint a fresh UUID key per rating when none is given', async () => {
    const endpoint = newEndpoint();
    const queue = makeQueue();
    await queue.submit(endpoint.url, rating(1));
    await queue.submit(endpoint.url, rating(2));
    const { keys } = await stats(endpoint.name);
    expect(keys).to.have.length(2);
    for (const key of keys) expect(key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should keep a rating when the endpoint is unreachable and send it once it is back', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const queue = makeQueue();
    const queued: QueuedDetail[] = [];
    queue.addEventListener('queued', (event) => queued.push(event.detail));
    expect(await queue.submit(endpoint.url, rating(1), 'k1')).to.equal('queued');
    expect(queued).to.have.length(1);
    expect(queued[0]!.reason).to.equal('network');
    const [stored] = await queue.items();
    expect(stored).to.include({ key: 'k1', endpoint: endpoint.url, attempts: 1, lastError: 'network' });
    await control(endpoint.name, { mode: 'up' });
    await queue.flush();
    expect(await queue.items()).to.deep.equal([]);
    expect((await stats(endpoint.name)).keys).to.deep.equal(['k1']);
  });

  for (const status of [500, 503, 408, 429]) {
    it(`should retry after HTTP ${status}`, async () => {
      const endpoint = newEndpoint();
      await control(endpoint.name, { mode: 'status', status });
      const queue = makeQueue();
      expect(await queue.submit(endpoint.url, rating(1), 'k')).to.equal('queued');
      expect((await queue.items())[0]!.lastError).to.equal(`HTTP ${status}`);
      await control(endpoint.name, { mode: 'up' });
      await queue.flush();
      expect((await stats(endpoint.name)).stored).to.equal(1);
    });
  }

  for (const status of [400, 403, 404, 409, 422]) {
    it(`should report HTTP ${status} as rejected and never retry it`, async () => {
      const endpoint = newEndpoint();
      await control(endpoint.name, { mode: 'status', status });
      const queue = makeQueue();
      const rejected: RejectedDetail[] = [];
      queue.addEventListener('rejected', (event) => rejected.push(event.detail));
      expect(await queue.submit(endpoint.url, rating(1), 'k')).to.equal('rejected');
      expect(rejected).to.have.length(1);
      expect(rejected[0]).to.include({ status, code: `HTTP_${status}`, message: `Test status ${status}` });
      expect(await queue.items()).to.deep.equal([]);
      await control(endpoint.name, { mode: 'up' });
      await queue.flush();
      const server = await stats(endpoint.name);
      expect(server.requests).to.equal(1);
      expect(server.stored).to.equal(0);
    });
  }

  it('should report a reused one-time token (409) from the real endpoint', async () => {
    const endpoint = newEndpoint();
    const queue = makeQueue();
    expect(await queue.submit(endpoint.url, rating(1, { token: 'tok-1' }), 'a')).to.equal('sent');
    const rejected: RejectedDetail[] = [];
    queue.addEventListener('rejected', (event) => rejected.push(event.detail));
    expect(await queue.submit(endpoint.url, rating(2, { token: 'tok-1' }), 'b')).to.equal('rejected');
    expect(rejected[0]).to.include({ status: 409, code: 'TOKEN_USED' });
  });

  it('should count a repeat of the same key once (200, repeat) and refuse the same key with another body (422)', async () => {
    const endpoint = newEndpoint();
    const first = makeQueue();
    const second = makeQueue();
    const sent: SentDetail[] = [];
    second.addEventListener('sent', (event) => sent.push(event.detail));
    await first.submit(endpoint.url, rating(1), 'same');
    expect(await second.submit(endpoint.url, rating(1), 'same')).to.equal('sent');
    expect(sent[0]).to.include({ status: 200, id: 'r1', repeat: true });
    expect(await second.submit(endpoint.url, rating(2), 'same')).to.equal('rejected');
    expect((await stats(endpoint.name)).stored).to.equal(1);
  });

  it('should retry by itself with backoff and stop once delivered', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'status', status: 503 });
    const queue = makeQueue({ baseMs: 50, maxMs: 100 }).start();
    expect(await queue.submit(endpoint.url, rating(1), 'k')).to.equal('queued');
    await until(async () => (await stats(endpoint.name)).requests >= 3, 8000, 'two automatic retries');
    await control(endpoint.name, { mode: 'up' });
    await until(async () => (await stats(endpoint.name)).stored === 1, 8000, 'delivery');
    const requests = (await stats(endpoint.name)).requests;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await stats(endpoint.name)).requests).to.equal(requests);
    expect(await queue.items()).to.deep.equal([]);
  });

  it('should flush when the browser comes back online', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const queue = makeQueue().start();
    await queue.submit(endpoint.url, rating(1), 'k');
    await control(endpoint.name, { mode: 'up' });
    window.dispatchEvent(new Event('online'));
    await until(async () => (await stats(endpoint.name)).stored === 1, 5000, 'flush on online');
  });

  it('should send waiting ratings with keepalive when the page is hidden', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const calls: RequestInit[] = [];
    const queue = makeQueue({
      fetch: (input, init) => {
        calls.push(init ?? {});
        return fetch(input, init);
      },
    }).start();
    await queue.submit(endpoint.url, rating(1), 'k');
    await control(endpoint.name, { mode: 'up' });
    calls.length = 0;
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(calls).to.have.length(1);
    expect(calls[0]!.keepalive).to.equal(true);
    expect(new Headers(calls[0]!.headers).get('idempotency-key')).to.equal('k');
    await until(async () => (await stats(endpoint.name)).stored === 1, 5000, 'keepalive delivery');
    await until(async () => (await queue.items()).length === 0, 5000, 'the queue to empty');
  });

  it('should fall back to localStorage and still survive a new instance', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const name = uniqueName('ls');
    const first = makeQueue({ name, storage: 'localstorage' });
    await first.submit(endpoint.url, rating(1), 'k1');
    await first.submit(endpoint.url, rating(2), 'k2');
    expect(await first.storageKind()).to.equal('localstorage');
    expect(Object.keys(JSON.parse(localStorage.getItem(`${name}:submissions`)!))).to.have.members(['k1', 'k2']);
    first.stop();
    await control(endpoint.name, { mode: 'up' });
    const second = makeQueue({ name, storage: 'localstorage' });
    await second.flush();
    expect((await stats(endpoint.name)).keys).to.have.members(['k1', 'k2']);
    expect(await second.items()).to.deep.equal([]);
  });

  it('should deliver exactly 100 ratings made while the endpoint was down, across a page reload', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const name = uniqueName('hundred');
    const before = makeQueue({ name }).start();
    const keys: string[] = [];
    for (let n = 0; n < 50; n++) {
      keys.push(crypto.randomUUID());
      expect(await before.submit(endpoint.url, rating(n), keys[n])).to.equal('queued');
    }
    // The "reload": this instance and everything in its memory are gone; only the database stays.
    before.stop();
    const after = makeQueue({ name }).start();
    expect(await after.items()).to.have.length(50);
    for (let n = 50; n < 100; n++) {
      keys.push(crypto.randomUUID());
      expect(await after.submit(endpoint.url, rating(n), keys[n])).to.equal('queued');
    }
    expect(await after.items()).to.have.length(100);
    const down = await stats(endpoint.name);
    expect(down.stored).to.equal(0);
    await control(endpoint.name, { mode: 'up' });
    window.dispatchEvent(new Event('online'));
    await until(async () => (await after.items()).length === 0, 10_000, 'the queue to empty');
    const server = await stats(endpoint.name);
    expect(server.stored).to.equal(100);
    expect(server.keys).to.have.members(keys);
    expect(server.log.filter((entry) => entry.outcome === 201)).to.have.length(100);
    // The answers arrived as made, oldest first.
    expect(server.bodies.map((body) => body.submittedAt)).to.deep.equal(keys.map((_, n) => rating(n).submittedAt));
  });

  it('should never let two tabs send the same item at once (Web Lock per item)', async () => {
    const endpoint = newEndpoint();
    await control(endpoint.name, { mode: 'down' });
    const name = uniqueName('tabs');
    const maker = makeQueue({ name });
    for (let n = 0; n < 20; n++) await maker.submit(endpoint.url, rating(n), `k${n}`);
    maker.stop();
    await control(endpoint.name, { mode: 'up', delayMs: 20 });
    const tabA = makeQueue({ name });
    const tabB = makeQueue({ name });
    await Promise.all([tabA.flush(), tabB.flush(), tabA.flush()]);
    // Items a tab skipped because the other held them are picked up by a later flush.
    await Promise.all([tabA.flush(), tabB.flush()]);
    const server = await stats(endpoint.name);
    expect(server.overlaps).to.equal(0);
    expect(server.stored).to.equal(20);
    expect(server.log.filter((entry) => entry.outcome !== 'dropped' && entry.outcome !== 201)).to.deep.equal([]);
    expect(await tabA.items()).to.deep.equal([]);
  });
});
