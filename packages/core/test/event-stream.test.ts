// The shared event stream, on a scripted EventSource (the real one against a server is exercised by
// the payment widget's watcher tests): one connection per URL, its watchdog, backoff and
// online/offline rules. Runs in Node and in Chromium; where there is no window, the online/offline
// events go through a stand-in EventTarget.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { backoffDelay } from '../src/backoff.js';
import { type EventStreamDrop, EventStreamError, type EventStreamOptions, subscribeEventStream } from '../src/event-stream.js';

/** An EventSource the test drives: `open()`, `send()`, `fail()`. */
class ScriptedEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: ScriptedEventSource[] = [];
  readyState = 0;
  constructor(readonly url: string) {
    super();
    ScriptedEventSource.made.push(this);
  }
  close(): void {
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  send(type: string, data: string, id = ''): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.dispatchEvent(new MessageEvent(type, { data, lastEventId: id }));
  }
  /** An error: the browser reconnects (CONNECTING) or gives up (CLOSED). */
  fail(gaveUp = false): void {
    this.readyState = gaveUp ? 2 : 0;
    this.dispatchEvent(new Event('error'));
  }
}

const sources = (url: string) => ScriptedEventSource.made.filter((source) => source.url === url);
const latest = (url: string) => sources(url).at(-1)!;
const isOpen = (source: ScriptedEventSource) => source.readyState !== 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
/** Lets replayed events (queued as microtasks) and timers of 0 ms run. */
const settle = () => sleep(0);

interface Recorder {
  events: string[];
  opens: number;
  drops: EventStreamDrop[];
  controller: AbortController;
}

const noDocument = typeof document === 'undefined' && 'skipped: needs a document base URL (runs in Chromium through Web Test Runner)';
let urlCount = 0;
const newUrl = () => `https://gateway.example.vn/api/payments/p${++urlCount}/events`;

describe('subscribeEventStream', () => {
  const saved = { EventSource: globalThis.EventSource, addEventListener: globalThis.addEventListener };
  let windowEvents: EventTarget | undefined;
  const recorders: Recorder[] = [];

  function subscribe(url: string, options: Partial<EventStreamOptions> = {}) {
    const recorder: Recorder = { events: [], opens: 0, drops: [], controller: new AbortController() };
    recorders.push(recorder);
    const subscription = subscribeEventStream(url, {
      events: ['payment'],
      onEvent: (event) => recorder.events.push(`${event.type}:${event.data}`),
      onOpen: () => recorder.opens++,
      onDrop: (drop) => recorder.drops.push(drop),
      signal: recorder.controller.signal,
      reconnectMinMs: 4,
      reconnectMaxMs: 40,
      random: () => 0.5,
      ...options,
    });
    return { recorder, subscription };
  }

  function goOnline(online: boolean): void {
    globalThis.dispatchEvent(new Event(online ? 'online' : 'offline'));
  }

  beforeEach(() => {
    ScriptedEventSource.made = [];
    globalThis.EventSource = ScriptedEventSource as unknown as typeof EventSource;
    if (typeof globalThis.addEventListener !== 'function') {
      // Node: no window; online/offline arrive on a stand-in.
      windowEvents = new EventTarget();
      Object.assign(globalThis, {
        addEventListener: windowEvents.addEventListener.bind(windowEvents),
        removeEventListener: windowEvents.removeEventListener.bind(windowEvents),
        dispatchEvent: windowEvents.dispatchEvent.bind(windowEvents),
      });
    }
  });

  afterEach(() => {
    for (const recorder of recorders.splice(0)) recorder.controller.abort();
    globalThis.EventSource = saved.EventSource;
    if (windowEvents) {
      for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) delete (globalThis as Record<string, unknown>)[name];
      windowEvents = undefined;
    }
  });

  it('should open one EventSource for two subscribers of one URL; the other goes on after one closes; the last closes it', async () => {
    const url = newUrl();
    const first = subscribe(url);
    const second = subscribe(url);
    assert.equal(sources(url).length, 1, 'one connection');
    const source = latest(url);
    source.open();
    source.send('payment', '{"version":1}', '1');
    assert.deepEqual(first.recorder.events, ['payment:{"version":1}']);
    assert.deepEqual(second.recorder.events, ['payment:{"version":1}']);
    assert.equal(first.recorder.opens, 1);
    assert.equal(second.recorder.opens, 1);

    first.subscription.close();
    assert.equal(isOpen(source), true, 'still open for the second');
    source.send('payment', '{"version":2}', '2');
    assert.deepEqual(first.recorder.events, ['payment:{"version":1}'], 'nothing after close');
    assert.deepEqual(second.recorder.events, ['payment:{"version":1}', 'payment:{"version":2}']);

    second.subscription.close();
    assert.equal(isOpen(source), false, 'the last one closed it');
    second.subscription.close(); // idempotent
    subscribe(url);
    assert.equal(sources(url).length, 2, 'a later subscriber opens a new one');
  });

  it('should keep one connection per URL: other URLs get their own', () => {
    const a = newUrl();
    const b = newUrl();
    subscribe(a);
    subscribe(b);
    subscribe(a);
    assert.equal(sources(a).length, 1);
    assert.equal(sources(b).length, 1);
  });

  it('should resolve a relative URL against the page, so both spellings share the stream', { skip: noDocument }, () => {
    const path = `/__test/stream/${++urlCount}/events`;
    const one = subscribe(path);
    subscribe(new URL(path, document.baseURI).href);
    assert.equal(ScriptedEventSource.made.length, 1);
    assert.equal(one.subscription.url, new URL(path, document.baseURI).href);
  });

  it('should deliver to each subscriber only the event types it asked for', () => {
    const url = newUrl();
    const payments = subscribe(url, { events: ['payment'] });
    const all = subscribe(url, { events: ['payment', 'message'] });
    const source = latest(url);
    source.open();
    source.send('message', 'a');
    source.send('payment', 'b');
    source.send('counter', 'c');
    assert.deepEqual(payments.recorder.events, ['payment:b']);
    assert.deepEqual(all.recorder.events, ['message:a', 'payment:b']);
  });

  it('should catch a late subscriber up: onOpen, then the last event of each of its types', async () => {
    const url = newUrl();
    subscribe(url, { events: ['payment', 'message'] });
    const source = latest(url);
    source.open();
    source.send('payment', 'v1', '1');
    source.send('message', 'm');
    source.send('payment', 'v2', '2');
    const late = subscribe(url, { events: ['payment', 'message'] });
    assert.deepEqual(late.recorder.events, [], 'not inside subscribe(): the caller has not stored its subscription yet');
    await settle();
    assert.equal(late.recorder.opens, 1);
    assert.deepEqual(late.recorder.events, ['message:m', 'payment:v2'], 'the last of each type, in arrival order');
    source.send('payment', 'v3', '3');
    assert.deepEqual(late.recorder.events, ['message:m', 'payment:v2', 'payment:v3']);
    assert.equal(sources(url).length, 1);
  });

  it('should leave a dropped connection to the browser (Last-Event-ID) in resume mode, then back off itself after 3 failures', async () => {
    const url = newUrl();
    const { recorder } = subscribe(url);
    const source = latest(url);
    source.open();
    source.send('payment', 'v1', '1');
    source.fail();
    source.fail();
    assert.deepEqual(
      recorder.drops.map((d) => [d.reason, d.failures, d.retryInMs]),
      [
        ['error', 1, undefined],
        ['error', 2, undefined],
      ],
    );
    assert.equal(sources(url).length, 1, 'the browser reconnects this one');
    assert.equal(isOpen(source), true);
    source.fail();
    assert.equal(isOpen(source), false, 'the third failure in a row: closed');
    const third = recorder.drops.at(-1)!;
    assert.equal(third.failures, 3);
    assert.equal(third.retryInMs, backoffDelay(0, { baseMs: 4, maxMs: 40, random: () => 0.5 }));
    await waitFor(() => sources(url).length === 2, 'the reconnection after the backoff');
    latest(url).open();
    assert.equal(recorder.opens, 2, 'onOpen on the new connection');
  });

  it('should reconnect itself after the backoff when the browser gave up (CLOSED), and start the backoff over after an event', async () => {
    const url = newUrl();
    const { recorder, subscription } = subscribe(url);
    latest(url).fail(true);
    assert.equal(subscription.state, 'down');
    const delays = [backoffDelay(0, { baseMs: 4, maxMs: 40, random: () => 0.5 })];
    for (let n = 1; n <= 4; n++) {
      await waitFor(() => sources(url).length === n + 1, `reconnection ${n}`);
      latest(url).fail(true);
      delays.push(backoffDelay(n, { baseMs: 4, maxMs: 40, random: () => 0.5 }));
    }
    assert.deepEqual(
      recorder.drops.map((d) => d.retryInMs),
      delays,
    );
    assert.deepEqual(
      recorder.drops.map((d) => d.attempt),
      [0, 1, 2, 3, 4],
    );
    await waitFor(() => sources(url).length === 6, 'reconnection 5');
    latest(url).open();
    latest(url).send('payment', 'v1', '1');
    latest(url).fail(true);
    assert.equal(recorder.drops.at(-1)!.attempt, 0, 'an event starts the backoff over');
    assert.equal(recorder.drops.at(-1)!.failures, 1);
  });

  it('should open a new connection after every error in fresh-start mode (resume: false), without the old events', async () => {
    const url = newUrl();
    const first = subscribe(url, { resume: false, events: ['counter'] });
    latest(url).open();
    latest(url).send('counter', 'state-7');
    latest(url).fail();
    assert.equal(isOpen(sources(url)[0]!), false, 'not left to the browser: no Last-Event-ID');
    assert.equal(first.recorder.drops[0]!.retryInMs, backoffDelay(0, { baseMs: 4, maxMs: 40, random: () => 0.5 }));
    await waitFor(() => sources(url).length === 2, 'the new connection');
    const late = subscribe(url, { events: ['counter'] });
    await settle();
    assert.deepEqual(late.recorder.events, [], 'nothing of the previous connection is replayed');
    latest(url).open();
    latest(url).send('counter', 'state-1');
    assert.deepEqual(first.recorder.events, ['counter:state-7', 'counter:state-1']);
    assert.equal(first.recorder.opens, 2);
  });

  it('should arm the watchdog only after a ping; then silence closes and reconnects the stream, and events keep it alive', async () => {
    const url = newUrl();
    const { recorder } = subscribe(url, { staleAfterMs: 60 });
    const source = latest(url);
    source.open();
    await sleep(150);
    assert.equal(recorder.drops.length, 0, 'no pings, no watchdog');
    source.send('ping', '{}');
    for (let i = 0; i < 5; i++) {
      await sleep(25);
      source.send(i % 2 ? 'ping' : 'payment', `v${i}`);
    }
    assert.equal(recorder.drops.length, 0, 'pings and events keep it alive');
    await waitFor(() => recorder.drops.length === 1, 'the watchdog');
    assert.equal(recorder.drops[0]!.reason, 'stale');
    assert.equal(isOpen(source), false);
    await waitFor(() => sources(url).length === 2, 'the reconnection');
  });

  it('should close when the browser goes offline and reconnect at once when it comes back', async () => {
    const url = newUrl();
    const { recorder, subscription } = subscribe(url, { reconnectMinMs: 60_000, reconnectMaxMs: 60_000 });
    latest(url).open();
    goOnline(false);
    assert.equal(recorder.drops.at(-1)?.reason, 'offline');
    assert.equal(subscription.state, 'down');
    assert.equal(isOpen(latest(url)), false);
    goOnline(false);
    assert.equal(recorder.drops.length, 1, 'already down');
    goOnline(true);
    assert.equal(sources(url).length, 2, 'at once, not after the minute of backoff');
    assert.equal(subscription.state, 'connecting');
    goOnline(true);
    assert.equal(sources(url).length, 2, 'not down: nothing to do');
  });

  it('should reconnect at once on reconnect() when down, and do nothing when up', () => {
    const url = newUrl();
    const { subscription } = subscribe(url, { reconnectMinMs: 60_000, reconnectMaxMs: 60_000 });
    subscription.reconnect();
    assert.equal(sources(url).length, 1);
    latest(url).fail(true);
    subscription.reconnect();
    assert.equal(sources(url).length, 2);
  });

  it('should unsubscribe when the signal aborts, and not subscribe on an aborted signal', () => {
    const url = newUrl();
    const { recorder } = subscribe(url);
    recorder.controller.abort();
    assert.equal(isOpen(latest(url)), false);
    const aborted = new AbortController();
    aborted.abort();
    subscribeEventStream(url, { events: ['payment'], onEvent: () => {}, signal: aborted.signal });
    assert.equal(sources(url).length, 1);
  });

  it('should throw EventStreamError UNSUPPORTED where there is no EventSource', () => {
    globalThis.EventSource = undefined as unknown as typeof EventSource;
    assert.throws(
      () => subscribeEventStream(newUrl(), { events: ['payment'], onEvent: () => {} }),
      (e: unknown) => e instanceof EventStreamError && e.code === 'UNSUPPORTED',
    );
  });
});
