import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EventHub } from '../src/sse.js';
import type { GatewayEvent } from '../src/store.js';
import { grows, sleep } from './helpers.js';

/**
 * The hub writes each event's frame, serialised once, through `res.write`: what arrives must be a
 * well-formed HTTP stream for an HTTP/1.1 client (chunked), an HTTP/1.0 one (no chunking), and a
 * stream that ends cleanly.
 */
describe('EventHub on the wire', { timeout: 30_000 }, () => {
  let server: Server;
  let hub: EventHub;
  let port: number;
  let version = 1;

  before(async () => {
    hub = new EventHub(60_000, 3_000);
    server = createServer((req, res) => {
      // The channel a payment's events are dispatched on.
      const id = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
      void hub.open(`payment:${id}`, res, 0, 'payment', async () => ({ id, version: 1 }), {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Raw bytes of a stream, and a way to wait until they contain `text`. */
  function connect(request: string) {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    let ended = false;
    const waiters: Array<() => void> = [];
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      waiters.splice(0).forEach((wake) => wake());
    });
    socket.on('end', () => {
      ended = true;
      waiters.splice(0).forEach((wake) => wake());
    });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    return {
      socket,
      get received() {
        return received;
      },
      contains: (text: string) => until(() => received.includes(text)),
      ended: () => until(() => ended),
    };
  }

  /** Decodes an HTTP/1.1 chunked body, checking every chunk's length line. */
  function dechunk(body: string): { data: string; complete: boolean } {
    let data = '';
    let at = 0;
    while (at < body.length) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = Number.parseInt(body.slice(at, lineEnd), 16);
      assert.ok(Number.isInteger(size), `a chunk length at ${at}: ${JSON.stringify(body.slice(at, at + 20))}`);
      if (size === 0) return { data, complete: body.slice(lineEnd, lineEnd + 4) === '\r\n\r\n' };
      // latin1: one character per byte, so the length counts characters here.
      const chunk = body.slice(lineEnd + 2, lineEnd + 2 + size);
      assert.equal(body.slice(lineEnd + 2 + chunk.length, lineEnd + 4 + chunk.length), '\r\n', 'each chunk ends with CRLF');
      data += chunk;
      at = lineEnd + 4 + chunk.length;
    }
    return { data, complete: false };
  }

  /** A payment event (only `id` and `version` matter to the hub), with text beyond ASCII. */
  const payment = (id: string) => ({ type: 'payment' as const, data: { id, version: ++version, note: 'Lệ phí ✓' } });
  const dispatch = (event: ReturnType<typeof payment>) => hub.dispatch(event as unknown as GatewayEvent);

  it('should send HTTP/1.1 subscribers every event as well-formed chunks, multi-byte text included', async () => {
    const client = connect('GET /one HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    await client.contains('id: 1\n');
    const first = payment('one');
    dispatch(first);
    const second = payment('one');
    dispatch(second);
    await client.contains(`id: ${second.data.version}\n`);
    const split = client.received.indexOf('\r\n\r\n');
    const head = client.received.slice(0, split);
    const body = client.received.slice(split + 4);
    assert.match(head, /transfer-encoding: chunked/i);
    const { data } = dechunk(body);
    const utf8 = Buffer.from(data, 'latin1').toString('utf8');
    assert.equal(
      utf8,
      `retry: 3000\n\nevent: payment\nid: 1\ndata: {"id":"one","version":1}\n\n` +
        `event: payment\nid: ${first.data.version}\ndata: ${JSON.stringify(first.data)}\n\n` +
        `event: payment\nid: ${second.data.version}\ndata: ${JSON.stringify(second.data)}\n\n`,
    );
    client.socket.destroy();
  });

  it('should send an HTTP/1.0 subscriber the bare frames, and end both kinds of stream cleanly on close', async () => {
    const old = connect('GET /two HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n');
    const chunked = connect('GET /two HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    await old.contains('id: 1\n');
    await chunked.contains('id: 1\n');
    const event = payment('two');
    dispatch(event);
    await old.contains(`id: ${event.data.version}\n`);
    await chunked.contains(`id: ${event.data.version}\n`);
    assert.doesNotMatch(old.received, /transfer-encoding/i);
    const frames = `retry: 3000\n\nevent: payment\nid: 1\ndata: {"id":"two","version":1}\n\nevent: payment\nid: ${event.data.version}\ndata: ${JSON.stringify(event.data)}\n\n`;
    assert.equal(Buffer.from(old.received.slice(old.received.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8'), frames);
    hub.close();
    await old.ended();
    // The HTTP/1.1 connection stays open (keep-alive); the stream ends with the last chunk.
    await chunked.contains('\r\n0\r\n\r\n');
    const { data, complete } = dechunk(chunked.received.slice(chunked.received.indexOf('\r\n\r\n') + 4));
    assert.equal(Buffer.from(data, 'latin1').toString('utf8'), frames);
    assert.ok(complete, 'the chunked stream ends with the last chunk');
  });
});

/**
 * A fan-out to thousands of screens goes out a slice at a time, the event loop running between slices
 * (so the corked chunks are written out and collected young instead of growing the old generation):
 * every subscriber still gets every event once, in order, and a newer event overtaking an older one
 * still on its way is never followed by the older.
 */
describe('EventHub fan-out to many subscribers', () => {
  /** Just what the hub uses of a ServerResponse; `frames` are the events' ids as written. */
  function fakeResponse() {
    const closers: Array<() => void> = [];
    return {
      frames: [] as number[],
      writableEnded: false,
      destroyed: false,
      writableLength: 0,
      writeHead() {},
      write(chunk: string | Buffer) {
        const id = /\nid: (\d+)\n/.exec(`\n${chunk.toString()}`)?.[1];
        if (id) this.frames.push(Number(id));
        return true;
      },
      on(event: string, listener: () => void) {
        if (event === 'close') closers.push(listener);
      },
      end() {
        this.writableEnded = true;
      },
      close: () => closers.forEach((listener) => listener()),
    };
  }
  type Fake = ReturnType<typeof fakeResponse>;

  async function subscribers(hub: EventHub, channel: string, count: number): Promise<Fake[]> {
    const responses = Array.from({ length: count }, fakeResponse);
    for (const res of responses) await hub.open(channel, res as never, 0, 'payment', async () => ({ id: 'p', version: 1 }), {});
    return responses;
  }
  const event = (version: number) => ({ type: 'payment', data: { id: 'p', version } }) as unknown as GatewayEvent;
  it('should let the event loop run while it writes to 10,000 subscribers, and reach every one', async () => {
    const hub = new EventHub(60_000, 3_000);
    const all = await subscribers(hub, 'payment:p', 10_000);
    let reachedWhenLoopRan = -1;
    setImmediate(() => {
      reachedWhenLoopRan = all.filter((res) => res.frames.includes(2)).length;
    });
    hub.dispatch(event(2));
    await grows(
      () => all.filter((res) => res.frames.includes(2)).length,
      all.length,
      () => false,
    );
    assert.ok(reachedWhenLoopRan > 0 && reachedWhenLoopRan < 10_000, `the loop ran after ${reachedWhenLoopRan} of 10,000 writes`);
    assert.deepEqual(new Set(all.map((res) => res.frames.join())), new Set(['1,2']));
    hub.close();
  });

  it('should never send an older event after a newer one that overtook it, nor to a stream closed meanwhile', async () => {
    const hub = new EventHub(60_000, 3_000);
    const all = await subscribers(hub, 'payment:p', 3_000);
    hub.dispatch(event(2));
    hub.dispatch(event(3));
    const gone = all[2_999];
    gone.destroyed = true;
    gone.close();
    // A screen that connects while the events are still going out starts from the newest.
    const [late] = await subscribers(hub, 'payment:p', 1);
    const open = all.slice(0, 2_999);
    await grows(
      () => open.filter((res) => res.frames.includes(3)).length,
      open.length,
      () => false,
    );
    await sleep(20);
    for (const res of open) assert.equal(res.frames.at(-1), 3);
    for (const res of all)
      assert.deepEqual(
        res.frames,
        [...new Set(res.frames)].sort((a, b) => a - b),
        'each once, in order',
      );
    assert.deepEqual(gone.frames, [1], 'nothing written to a closed stream');
    assert.deepEqual(late.frames, [3]);
    hub.close();
  });
});
