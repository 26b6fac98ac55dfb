import type { ServerResponse } from 'node:http';
import { counterChannel } from './counter-screens.js';
import type { GatewayEvent } from './store.js';

interface Subscriber {
  res: ServerResponse;
  /** Highest version sent (or the client's Last-Event-ID): anything not newer is skipped. */
  lastVersion: number;
}

/** An SSE frame, serialised once (as bytes: one encoding) for every subscriber. */
interface Frame {
  bytes: Buffer;
}

const frameOf = (text: string): Frame => ({ bytes: Buffer.from(text) });

/**
 * Writes a frame to a subscriber's stream, through `res.write` only. Writing the HTTP chunk straight to
 * the socket was measured (a quarter less CPU per dispatch, fan-out p99 within the noise) and dropped:
 * Node 24 may still hold the response's headers when `headersSent` is true (the frame went out before
 * them), and bytes that bypass the response are not in `writableLength`, which drops slow clients.
 */
function write(res: ServerResponse, frame: Frame): void {
  res.write(frame.bytes);
}

/** A client that lets this much pile up unread is dropped; it reconnects with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Subscribers written to before the event loop gets a turn. Each `res.write` leaves its chunk corked
 * on the socket until the tick ends; written to 10,000 streams in one go, those pieces all lived
 * through the young generation's collections, were promoted, and grew the old generation by ~45 MB
 * at every fan-out (bench/gateway: RSS). In slices they are written out and die young.
 */
const SLICE = 500;

/** Calls `each` for every item, {@link SLICE} at a time, letting the event loop run between slices. */
function inSlices<T>(items: Iterator<T>, each: (item: T) => void): void {
  for (let n = 0; n < SLICE; n++) {
    const next = items.next();
    if (next.done) return;
    each(next.value);
  }
  setImmediate(() => inSlices(items, each));
}

/**
 * In-process fan-out of the gateway's events to SSE subscribers. Fed by the database's LISTEN
 * (so events from other instances arrive the same way); each event is serialised once and written
 * to every subscriber of its channel. One heartbeat timer serves every connection: a comment and a
 * `ping` event (see docs/wire-protocol.md).
 */
export class EventHub {
  private readonly channels = new Map<string, Set<Subscriber>>();
  /** The latest event of every channel that has subscribers: kept current by dispatch, so a new
   * subscriber to a watched channel needs no database read (10,000 screens on one payment). */
  private readonly latest = new Map<string, { version: number; frame: Frame }>();
  private readonly heartbeat: NodeJS.Timeout;
  private count = 0;
  /**
   * Whether {@link latest} can be trusted: false while events from other instances may be missed
   * (PostgreSQL's LISTEN connection is down) until {@link resync} has re-read every watched channel.
   * Meanwhile a new subscriber's first state is read from the database, never from memory.
   */
  private live = true;

  constructor(
    heartbeatMs: number,
    private readonly retryMs: number,
  ) {
    // The comment keeps proxies from idling the stream out; the `ping` event (no `id:`, so it never
    // moves Last-Event-ID) is what lets a client tell a quiet stream from a silently dead one.
    this.heartbeat = setInterval(() => this.broadcast(frameOf(`: heartbeat\nevent: ping\ndata: {"t":${Date.now()}}\n\n`)), heartbeatMs);
    this.heartbeat.unref();
  }

  get subscribers(): number {
    return this.count;
  }

  /** Whether the channel is being watched and its latest state is known without the database. */
  watching(channel: string): boolean {
    return this.live && this.latest.has(channel);
  }

  /** Events from elsewhere may be missed from now on (the LISTEN connection is lost): stop trusting memory. */
  stale(): void {
    this.live = false;
  }

  /**
   * Re-reads every watched channel with `read` (`payment:<id>`, `counter:<unit>/<id>`, `counter-public:<unit>/<id>`) and pushes what is
   * newer than what its subscribers have; memory is trusted again once every channel is read.
   * Throws (memory stays untrusted) when a read fails.
   */
  async resync(read: (channel: string) => Promise<GatewayEvent | undefined>): Promise<number> {
    const channels = [...this.channels.keys()];
    for (const channel of channels) {
      const event = await read(channel);
      if (event) this.dispatch(event, channel);
    }
    this.live = true;
    return channels.length;
  }

  /**
   * Sends an event to the subscribers of its channel — by default the one its type and id name —
   * (older versions than already sent are dropped).
   */
  dispatch(event: GatewayEvent, channel?: string): void {
    const key = channel ?? (event.type === 'payment' ? `payment:${event.data.id}` : `counter:${counterChannel(event.unit, event.data.counter)}`);
    const subscribers = this.channels.get(key);
    const known = this.latest.get(key);
    if (!subscribers || (known && known.version >= event.data.version)) return;
    const frame = this.remember(key, event.type, event.data);
    // A subscriber that connects or is sent a newer event meanwhile is skipped by its version.
    inSlices(subscribers.values(), (subscriber) => this.send(subscriber, event.data.version, frame));
  }

  /** Serialises an event once (as bytes: one encoding for every subscriber) and keeps it as the channel's latest. */
  private remember(channel: string, eventName: string, data: { version: number }): Frame {
    const known = this.latest.get(channel);
    if (known && known.version >= data.version) return known.frame;
    const frame = frameOf(`event: ${eventName}\nid: ${data.version}\ndata: ${JSON.stringify(data)}\n\n`);
    this.latest.set(channel, { version: data.version, frame });
    return frame;
  }

  /**
   * Opens the stream and subscribes; then `current()` supplies the state to send first (it is read
   * after subscribing, so no change can fall between the two).
   */
  async open(
    channel: string,
    res: ServerResponse,
    lastEventId: number,
    eventName: GatewayEvent['type'],
    current: () => Promise<{ version: number }>,
    headers: Record<string, string>,
  ): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    });
    res.write(`retry: ${this.retryMs}\n\n`);
    const subscriber: Subscriber = { res, lastVersion: lastEventId };
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(subscriber);
    this.count++;
    res.on('close', () => {
      const subscribers = this.channels.get(channel);
      if (subscribers?.delete(subscriber)) this.count--;
      if (subscribers && !subscribers.size) {
        this.channels.delete(channel);
        this.latest.delete(channel);
      }
    });
    const known = this.live ? this.latest.get(channel) : undefined;
    if (known) {
      this.send(subscriber, known.version, known.frame);
      return;
    }
    // First watcher (or memory not trusted): read the state after subscribing, so no change can fall between the two.
    const state = await current();
    const frame = this.remember(channel, eventName, state);
    // Every subscriber that knows less gets it (memory not trusted: the read may be newer than what they were sent).
    const { version } = this.latest.get(channel)!;
    for (const each of this.channels.get(channel) ?? []) this.send(each, version, frame);
  }

  private send(subscriber: Subscriber, version: number, frame: Frame): void {
    if (version <= subscriber.lastVersion || subscriber.res.writableEnded || subscriber.res.destroyed) return;
    subscriber.lastVersion = version;
    if (subscriber.res.writableLength > MAX_BUFFERED_BYTES) {
      subscriber.res.destroy();
      return;
    }
    write(subscriber.res, frame);
  }

  private broadcast(frame: Frame): void {
    const everyone = [...this.channels.values()].flatMap((subscribers) => [...subscribers]);
    inSlices(everyone.values(), ({ res }) => {
      if (!res.writableEnded && !res.destroyed) write(res, frame);
    });
  }

  /** Ends every stream (graceful shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const subscribers of this.channels.values()) for (const { res } of subscribers) res.end();
    this.channels.clear();
    this.latest.clear();
    this.count = 0;
  }
}
