/**
 * `@motcua/core/stream` — the one Server-Sent Events connection of motcua: one `EventSource` per URL
 * in a page, shared by every subscriber (a counter page's screen and its hidden print view, two
 * `<qr-payment>` of one payment), with the ping watchdog, reconnection with backoff and jitter, and
 * the online/offline and visibility rules the widgets follow. A browser allows 6 connections per host
 * over HTTP/1.1: a page that opened one stream per element would leave the next page hanging.
 *
 * @example
 * import { subscribeEventStream } from '@motcua/core/stream';
 * const stream = subscribeEventStream('/api/counters/C1/events', {
 *   events: ['counter'],
 *   resume: false,
 *   onOpen: () => { synced = false; },
 *   onEvent: (event) => show(parseCounterState(JSON.parse(event.data))),
 *   onDrop: () => showReconnecting(),
 * });
 * stream.close(); // the last subscriber to close closes the EventSource
 */
import { backoffDelay } from './backoff.js';

/** Where a shared stream is: connecting (or the browser is reconnecting it), open, or closed until its backoff runs out. */
export type EventStreamState = 'connecting' | 'open' | 'down';

/** Why a stream dropped: an `error` of the EventSource, silence after pings (`stale`), or the browser went `offline`. */
export type EventStreamDropReason = 'error' | 'stale' | 'offline';

/** What {@link EventStreamOptions.onDrop} is told. */
export interface EventStreamDrop {
  reason: EventStreamDropReason;
  /**
   * Failures in a row: errors with no event between them, where a stream that lived over 5 s before
   * dropping (a proxy's idle cut) counts as a first failure again.
   */
  failures: number;
  /** Reconnections the stream has scheduled itself since the last event (0-based: the one just scheduled). */
  attempt: number;
  /** When the stream reconnects itself, after this many ms; undefined while the browser reconnects it (sending Last-Event-ID). */
  retryInMs: number | undefined;
}

/**
 * Options of {@link subscribeEventStream}. The connection's own options (`resume`, `staleAfterMs`,
 * `reconnectMinMs`, `reconnectMaxMs`, `random`) are those of the subscriber that opened it: later
 * subscribers of the same URL share the connection as it is.
 */
export interface EventStreamOptions {
  /** The `event:` types to receive (`message` for events without a type). */
  events: readonly string[];
  /** Every event of those types, in order. */
  onEvent: (event: MessageEvent<string>) => void;
  /**
   * Each time a connection opens: the first time, after every reconnection, and at once for a
   * subscriber that joins an open stream. The protocol's streams send the current state first on a
   * new connection, so what follows `onOpen` is a fresh start.
   */
  onOpen?: () => void;
  /** Each time the stream drops (the browser or the stream then reconnects). */
  onDrop?: (drop: EventStreamDrop) => void;
  /** Unsubscribes when it aborts, as {@link EventStreamSubscription.close} does. */
  signal?: AbortSignal;
  /**
   * `true` (default): after an error the browser reconnects by itself, sending `Last-Event-ID`, so
   * the server sends only what is newer (the payment stream); the stream takes over with its own
   * backoff once the browser gives up or after 3 failures in a row. `false`: every reconnection is a
   * new EventSource with no `Last-Event-ID` after the stream's backoff, so the server sends its whole
   * current state (the counter channel: a gateway restarted on a fresh database counts versions anew).
   */
  resume?: boolean;
  /**
   * Silence, ms, after which a stream that has sent a `ping` counts as dead (a link that died
   * without closing): it is closed and reconnected. Armed only once a `ping` came. 0 turns it off.
   * Default 40000 (the gateway pings every 15 s).
   */
  staleAfterMs?: number;
  /** First reconnection delay, ms (core's `backoffDelay`, equal jitter). Default 1000. */
  reconnectMinMs?: number;
  /** Longest reconnection delay, ms. Default 10000. */
  reconnectMaxMs?: number;
  /** Randomness of the jitter; injectable for tests. Default Math.random. */
  random?: () => number;
}

/** One subscriber's hold on a shared stream: {@link subscribeEventStream} returns it. */
export interface EventStreamSubscription {
  /** The URL the stream is keyed by (resolved against the page). */
  readonly url: string;
  /** The shared connection's state. */
  readonly state: EventStreamState;
  /** Reconnects at once when the stream is down (its backoff starts over); nothing otherwise. */
  reconnect(): void;
  /** Stops this subscriber's events; the last subscriber to close closes the EventSource. Idempotent. */
  close(): void;
}

/** Thrown by {@link subscribeEventStream} where there is no `EventSource` (Node, old WebViews): poll instead. */
export class EventStreamError extends Error {
  override name = 'EventStreamError';
  readonly code = 'UNSUPPORTED';
}

/** Whether this runtime has `EventSource`; without it, {@link subscribeEventStream} throws. */
export const canUseEventStream = (): boolean => typeof EventSource === 'function';

/** A dropped stream that had lived this long was cut while healthy (a proxy's idle timeout), not failing. */
const LONG_LIVED_MS = 5000;
/** In `resume` mode, failures in a row the browser's own retry gets before the stream backs off itself. */
const BROWSER_RETRIES = 3;

interface Subscriber {
  options: EventStreamOptions;
}

/** The streams open in this page (this copy of core), by URL. */
const streams = new Map<string, SharedStream>();

/**
 * Subscribes to the Server-Sent Events at `url`: every subscriber of one URL in the page shares one
 * `EventSource`, opened by the first and closed when the last one closes. A subscriber that joins
 * an open stream gets `onOpen`, then the last event of each of its types received on the current
 * connection (the protocol's events are whole states), so it starts where the others are.
 *
 * The stream keeps itself alive: once the server has sent a `ping`, silence longer than
 * `staleAfterMs` closes and reconnects it; a connection the browser gave up (HTTP error, wrong
 * content type) or that keeps failing is reopened after a capped exponential backoff with jitter
 * (`backoffDelay`); going offline closes it until the backoff or `online`; coming back online or
 * visible reconnects a stream that is down at once.
 *
 * @throws {EventStreamError} `UNSUPPORTED` when there is no `EventSource` ({@link canUseEventStream}).
 * @example
 * const stream = subscribeEventStream(`${src}/events`, { events: ['payment'], onEvent: (e) => update(JSON.parse(e.data)), signal });
 */
export function subscribeEventStream(url: string, options: EventStreamOptions): EventStreamSubscription {
  if (!canUseEventStream()) throw new EventStreamError('EventSource is not available here: poll instead.');
  const key = resolveUrl(url);
  const subscriber: Subscriber = { options };
  let stream = streams.get(key);
  let closed = false;
  const subscription: EventStreamSubscription = {
    url: key,
    get state() {
      return stream?.state ?? 'down';
    },
    reconnect: () => {
      if (!closed) stream?.reconnectNow();
    },
    close: () => {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', subscription.close);
      stream?.remove(subscriber);
    },
  };
  if (options.signal?.aborted) {
    closed = true;
    return subscription;
  }
  if (!stream) {
    stream = new SharedStream(key, options);
    streams.set(key, stream);
  }
  stream.add(subscriber);
  options.signal?.addEventListener('abort', subscription.close, { once: true });
  return subscription;
}

function resolveUrl(url: string): string {
  if (typeof document === 'undefined') return url;
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return url;
  }
}

/** Calls a subscriber's callback; a throwing subscriber does not keep the event from the others. */
function notify<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (!callback) return;
  try {
    callback(...args);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

class SharedStream {
  state: EventStreamState = 'connecting';
  private readonly _subscribers = new Set<Subscriber>();
  private _source: EventSource | undefined;
  /** The event types listened to on `_source`. */
  private readonly _listening = new Set<string>();
  /** The last event of each type on the current connection, in arrival order, for subscribers that join. */
  private readonly _lastEvents = new Map<string, MessageEvent<string>>();
  private _openedAt: number | undefined;
  private _failures = 0;
  private _attempt = 0;
  private _pinged = false;
  private _staleTimer: ReturnType<typeof setTimeout> | undefined;
  private _retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly _resume: boolean;
  private readonly _staleAfterMs: number;
  private readonly _reconnectMinMs: number;
  private readonly _reconnectMaxMs: number;
  private readonly _random: (() => number) | undefined;

  constructor(
    private readonly _url: string,
    options: EventStreamOptions,
  ) {
    this._resume = options.resume ?? true;
    this._staleAfterMs = options.staleAfterMs ?? 40_000;
    this._reconnectMinMs = options.reconnectMinMs ?? 1000;
    this._reconnectMaxMs = options.reconnectMaxMs ?? 10_000;
    this._random = options.random;
    globalThis.addEventListener?.('online', this._handleOnline);
    globalThis.addEventListener?.('offline', this._handleOffline);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this._handleVisibility);
    this._connect();
  }

  add(subscriber: Subscriber): void {
    this._subscribers.add(subscriber);
    for (const type of subscriber.options.events) this._listen(type);
    // Joined a stream already running: catch up once subscribe() has returned, as a new connection
    // would. The events are kept while the browser resumes the connection too: the server, told the
    // Last-Event-ID, will not send them again.
    const open = this.state === 'open';
    const replay = [...this._lastEvents.values()].filter((event) => subscriber.options.events.includes(event.type));
    if (!open && !replay.length) return;
    queueMicrotask(() => {
      if (open && this._subscribers.has(subscriber)) notify(subscriber.options.onOpen);
      for (const event of replay) if (this._subscribers.has(subscriber)) notify(subscriber.options.onEvent, event);
    });
  }

  remove(subscriber: Subscriber): void {
    if (!this._subscribers.delete(subscriber) || this._subscribers.size) return;
    this._closeSource();
    clearTimeout(this._retryTimer);
    globalThis.removeEventListener?.('online', this._handleOnline);
    globalThis.removeEventListener?.('offline', this._handleOffline);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this._handleVisibility);
    if (streams.get(this._url) === this) streams.delete(this._url);
  }

  /** Connects at once if down, the backoff started over. */
  reconnectNow(): void {
    if (this.state !== 'down' || !this._subscribers.size) return;
    this._attempt = 0;
    this._connect();
  }

  private _connect(): void {
    clearTimeout(this._retryTimer);
    this._closeSource();
    const source = new EventSource(this._url);
    this._source = source;
    this.state = 'connecting';
    this._lastEvents.clear();
    this._listening.clear();
    for (const subscriber of this._subscribers) for (const type of subscriber.options.events) this._listen(type);
    source.addEventListener('open', () => {
      if (source !== this._source) return;
      this.state = 'open';
      this._openedAt = Date.now();
      this._heard();
      for (const subscriber of [...this._subscribers]) notify(subscriber.options.onOpen);
    });
    source.addEventListener('ping', () => {
      if (source !== this._source) return;
      this._pinged = true;
      this._heard();
    });
    source.addEventListener('error', () => {
      if (source === this._source) this._handleError(source);
    });
    this._heard();
  }

  private _listen(type: string): void {
    const source = this._source;
    if (!source || this._listening.has(type)) return;
    this._listening.add(type);
    source.addEventListener(type, (event) => {
      if (source !== this._source) return;
      const message = event as MessageEvent<string>;
      this._heard();
      this._failures = 0;
      this._attempt = 0;
      this._lastEvents.delete(type);
      this._lastEvents.set(type, message);
      for (const subscriber of [...this._subscribers]) {
        if (subscriber.options.events.includes(type) && this._subscribers.has(subscriber)) notify(subscriber.options.onEvent, message);
      }
    });
  }

  /** Restarts the watchdog: a stream that pings and then goes silent died without closing. */
  private _heard(): void {
    clearTimeout(this._staleTimer);
    if (this._pinged && this._staleAfterMs > 0) this._staleTimer = setTimeout(() => this._drop('stale'), this._staleAfterMs);
  }

  private _handleError(source: EventSource): void {
    const longLived = this._openedAt !== undefined && Date.now() - this._openedAt > LONG_LIVED_MS;
    this._failures = longLived ? 1 : this._failures + 1;
    this._openedAt = undefined;
    // CONNECTING: the browser reconnects by itself, with Last-Event-ID. CLOSED: it gave up (HTTP
    // error, wrong content type).
    if (this._resume && source.readyState !== EventSource.CLOSED && this._failures < BROWSER_RETRIES) {
      this.state = 'connecting';
      this._tell({ reason: 'error', failures: this._failures, attempt: this._attempt, retryInMs: undefined });
      return;
    }
    this._drop('error');
  }

  /** Closes the connection and reconnects after the backoff. */
  private _drop(reason: EventStreamDropReason): void {
    this._closeSource();
    this.state = 'down';
    const attempt = this._attempt++;
    const retryInMs = backoffDelay(attempt, {
      baseMs: this._reconnectMinMs,
      maxMs: this._reconnectMaxMs,
      ...(this._random ? { random: this._random } : {}),
    });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this._connect(), retryInMs);
    this._tell({ reason, failures: this._failures, attempt, retryInMs });
  }

  private _tell(drop: EventStreamDrop): void {
    for (const subscriber of [...this._subscribers]) if (this._subscribers.has(subscriber)) notify(subscriber.options.onDrop, drop);
  }

  private _closeSource(): void {
    clearTimeout(this._staleTimer);
    this._source?.close();
    this._source = undefined;
    this._openedAt = undefined;
  }

  private readonly _handleOnline = (): void => this.reconnectNow();

  private readonly _handleOffline = (): void => {
    if (this.state !== 'down') this._drop('offline');
  };

  private readonly _handleVisibility = (): void => {
    if (document.visibilityState === 'visible') this.reconnectNow();
  };
}
