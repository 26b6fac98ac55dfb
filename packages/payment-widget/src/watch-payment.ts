import type { PaymentResource } from '@motcua/core';
import { isFinalStatus, isNewerPayment, parsePaymentResource, ProtocolError } from '@motcua/core/protocol';
import { backoffDelay } from '@motcua/core/runtime';
import { canUseEventStream, subscribeEventStream, type EventStreamDrop, type EventStreamSubscription } from '@motcua/core/stream';

// Core's since the version rule moved there; re-exported as before.
export { isNewerPayment };

/** Why a status check failed. */
export const WatchErrorCode = {
  /** The server answered with a non-2xx status. */
  Http: 'HTTP_ERROR',
  /** No answer within `requestTimeoutMs`. */
  Timeout: 'TIMEOUT',
  /** The request did not reach the server (offline, DNS, CORS). */
  Network: 'NETWORK_ERROR',
  /** The body was not JSON. */
  InvalidJson: 'INVALID_JSON',
  /** The JSON was not a valid payment resource. */
  InvalidResource: 'INVALID_RESOURCE',
  /** The resource belongs to another payment than the one first loaded. */
  IdMismatch: 'ID_MISMATCH',
} as const;
export type WatchErrorCode = (typeof WatchErrorCode)[keyof typeof WatchErrorCode];

/** A failed status check. Checks go on after it: the watcher retries with backoff. */
export class PaymentWatchError extends Error {
  override name = 'PaymentWatchError';
  constructor(
    /** Machine-readable reason. */
    readonly code: WatchErrorCode,
    message: string,
    /** The HTTP status, for `HTTP_ERROR`. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/** How the watcher currently learns about changes. */
export type PaymentTransport = 'sse' | 'polling';

/** Options of {@link watchPayment}. */
export interface WatchPaymentOptions {
  /** Called with every newer version of the payment (never an older one, never after a final status). */
  onUpdate: (payment: PaymentResource) => void;
  /** Called when a check fails; the watcher keeps trying. */
  onError?: (error: PaymentWatchError) => void;
  /** Called when a check succeeds after one or more failures (even if nothing changed). */
  onRecover?: () => void;
  /** Called when the watcher switches between SSE and polling. */
  onTransport?: (transport: PaymentTransport) => void;
  /** Called whenever the next poll is scheduled, with its delay — to show "next check in …". */
  onSchedule?: (delayMs: number) => void;
  /** Stops the watcher (closes SSE, cancels timers and the request in flight). */
  signal: AbortSignal;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** First poll delay, ms. Default 2000. */
  pollMinMs?: number;
  /** Longest poll delay, ms. Default 10000. */
  pollMaxMs?: number;
  /** Per-request timeout, ms. Default 6000. */
  requestTimeoutMs?: number;
  /** Try SSE on `${src}/events` first. Default true (when `EventSource` exists). */
  useSse?: boolean;
  /**
   * SSE errors in a row without a message before falling back to polling for good. Default 3 (the
   * most that counts: after 3 the stream stops leaving its reconnection to the browser, which ends the wait too).
   */
  sseMaxFailures?: number;
  /**
   * Silence on the SSE stream, ms (no event and no `ping`), after which it counts as dead (a link
   * that died without closing): the watcher then checks by polling at once, and follows the stream
   * again once a check succeeds. Armed only once the server has sent a `ping`. 0 turns it off.
   * Default 40000. Watchers of one payment in a page share one stream (core's
   * `subscribeEventStream`), with the options of the first.
   */
  staleAfterMs?: number;
  /** Randomness for the backoff jitter; injectable for tests. Default Math.random. */
  random?: () => number;
}

/** What {@link watchPayment} returns. */
export interface PaymentWatcher {
  /** Checks now (unless a request is already in flight) and restarts the backoff. */
  refresh(): void;
  /** The current transport. */
  readonly transport: PaymentTransport;
}

/**
 * Watches a payment of the wire protocol: loads `src`, then follows `${src}/events` (SSE, one
 * stream per page for every watcher of `src`: `@motcua/core/stream`) and falls back to polling `src`
 * when SSE is unavailable or keeps failing. Polling keeps one request
 * in flight, times each out, backs off exponentially with jitter (core's `backoffDelay`), pauses
 * while the page is hidden and checks at once when it becomes visible or comes back online. Every
 * answer is validated; an older version, another payment's resource or anything after a final
 * status is never passed on. Stops by itself at a final status, or when `signal` aborts.
 *
 * @example
 * const controller = new AbortController();
 * watchPayment('/api/payments/42', {
 *   signal: controller.signal,
 *   onUpdate: (payment) => { if (payment.status === 'paid') controller.abort(); },
 * });
 */
export function watchPayment(src: string, options: WatchPaymentOptions): PaymentWatcher {
  const {
    signal,
    onUpdate,
    onError,
    onRecover,
    onTransport,
    onSchedule,
    pollMinMs = 2000,
    pollMaxMs = 10_000,
    requestTimeoutMs = 6000,
    useSse = true,
    sseMaxFailures = 3,
    staleAfterMs = 40_000,
    random,
  } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const hasDocument = typeof document !== 'undefined';

  let current: PaymentResource | undefined;
  let transport: PaymentTransport = 'polling';
  let events: EventStreamSubscription | undefined;
  /** SSE failed for good (blocked, or kept failing): polling from then on. */
  let sseGivenUp = false;
  let attempt = 0;
  let failing = false;
  let inFlight = false;
  let recheck = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const isHidden = () => hasDocument && document.visibilityState === 'hidden';

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(pollTimer);
    events?.close();
    events = undefined;
    if (hasDocument) document.removeEventListener('visibilitychange', handleVisibility);
    globalThis.removeEventListener?.('online', checkNow);
  }

  function accept(value: unknown): void {
    const payment = parsePaymentResource(value);
    if (current && payment.id !== current.id) {
      throw new PaymentWatchError('ID_MISMATCH', `Expected payment "${current.id}", received "${payment.id}".`);
    }
    if (!isNewerPayment(current, payment)) return;
    current = payment;
    attempt = 0;
    onUpdate(payment);
    if (isFinalStatus(payment.status)) stop();
  }

  function reportFailure(error: unknown): void {
    failing = true;
    onError?.(toWatchError(error));
  }

  function reportSuccess(): void {
    if (!failing) return;
    failing = false;
    onRecover?.();
  }

  /** One GET of `src`, validated. Resolves true when the answer was usable. */
  async function check(): Promise<boolean> {
    if (stopped) return false;
    if (inFlight) {
      // Keep one request in flight, but the answer it brings may predate what triggered this
      // check (visible, online, retry): ask once more when it lands.
      recheck = true;
      return false;
    }
    inFlight = true;
    const request = new AbortController();
    const abortRequest = () => request.abort(new PaymentWatchError('NETWORK_ERROR', 'The watcher was stopped.'));
    signal.addEventListener('abort', abortRequest);
    const timer = setTimeout(() => request.abort(new PaymentWatchError('TIMEOUT', `No answer from ${src} within ${requestTimeoutMs} ms.`)), requestTimeoutMs);
    try {
      const response = await fetchImpl(src, {
        signal: request.signal,
        headers: { accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (!response.ok) {
        throw new PaymentWatchError('HTTP_ERROR', `${src} answered HTTP ${response.status}.`, response.status);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        if (request.signal.aborted) throw request.signal.reason;
        throw new PaymentWatchError('INVALID_JSON', `${src} did not answer JSON.`);
      }
      if (stopped) return false;
      accept(body);
      reportSuccess();
      return true;
    } catch (error) {
      if (stopped) return false;
      reportFailure(request.signal.aborted ? request.signal.reason : error);
      return false;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abortRequest);
      inFlight = false;
      if (recheck && !stopped) {
        recheck = false;
        queueMicrotask(() => void check());
      }
    }
  }

  function schedule(delayMs: number): void {
    clearTimeout(pollTimer);
    if (stopped) return;
    onSchedule?.(delayMs);
    pollTimer = setTimeout(() => void tick(), delayMs);
  }

  function nextDelay(): number {
    return backoffDelay(attempt++, { baseMs: pollMinMs, maxMs: pollMaxMs, ...(random ? { random } : {}) });
  }

  /** A poll (or the initial load / a retry while SSE is not yet up). */
  async function tick(): Promise<void> {
    if (stopped) return;
    // Paused while hidden: handleVisibility checks again when the page comes back.
    if (isHidden() && current) return;
    const ok = await check();
    if (stopped) return;
    if (ok && transport === 'polling' && useSse && !events && !sseGivenUp && canUseEventStream()) {
      openEvents();
      return;
    }
    schedule(nextDelay());
  }

  function setTransport(next: PaymentTransport): void {
    if (transport === next) return;
    transport = next;
    onTransport?.(next);
  }

  function fallBackToPolling(): void {
    events?.close();
    events = undefined;
    setTransport('polling');
    attempt = 0;
    schedule(0);
  }

  function handleMessage(message: MessageEvent<string>): void {
    if (stopped) return;
    try {
      accept(JSON.parse(message.data));
      reportSuccess();
    } catch (error) {
      reportFailure(error instanceof SyntaxError ? new PaymentWatchError('INVALID_JSON', 'An SSE message was not JSON.') : error);
    }
  }

  function handleDrop(drop: EventStreamDrop): void {
    if (stopped) return;
    if (drop.reason === 'error') {
      // The stream reconnects itself (the browser first, with Last-Event-ID); we stop waiting for it
      // once it gave up or keeps failing, and poll from then on.
      if (drop.retryInMs === undefined && drop.failures < sseMaxFailures) return;
      sseGivenUp = true;
    }
    // Silent or offline: check by polling at once; the stream is followed again after a good check.
    fallBackToPolling();
  }

  function openEvents(): void {
    clearTimeout(pollTimer);
    events = subscribeEventStream(`${src.replace(/\/+$/, '')}/events`, {
      events: ['payment', 'message'],
      onEvent: handleMessage,
      onDrop: handleDrop,
      staleAfterMs,
      reconnectMinMs: pollMinMs,
      reconnectMaxMs: pollMaxMs,
      ...(random ? { random } : {}),
    });
    // Shared with another watcher and waiting for its backoff: the check that just succeeded says the server answers.
    if (events.state === 'down') events.reconnect();
    setTransport('sse');
  }

  /** Checks at once and starts the backoff over: on visible, on online, and on refresh(). */
  function checkNow(): void {
    if (stopped) return;
    attempt = 0;
    if (transport === 'polling') {
      clearTimeout(pollTimer);
      void tick();
    } else {
      void check();
    }
  }

  function handleVisibility(): void {
    if (!isHidden()) checkNow();
  }

  if (signal.aborted) {
    stopped = true;
  } else {
    signal.addEventListener('abort', stop, { once: true });
    if (hasDocument) document.addEventListener('visibilitychange', handleVisibility);
    globalThis.addEventListener?.('online', checkNow);
    void tick();
  }

  return {
    refresh: checkNow,
    get transport() {
      return transport;
    },
  };
}

function toWatchError(error: unknown): PaymentWatchError {
  if (error instanceof PaymentWatchError) return error;
  if (error instanceof ProtocolError) return new PaymentWatchError('INVALID_RESOURCE', error.message);
  if (error instanceof DOMException && error.name === 'TimeoutError') return new PaymentWatchError('TIMEOUT', error.message);
  return new PaymentWatchError('NETWORK_ERROR', error instanceof Error ? error.message : String(error));
}
