import type { PaymentResource } from '@motcua/core';
import { parsePaymentResource } from '@motcua/core/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { InputError, toFailure, type Failure } from './failure.js';
import type { PaymentTransport, PaymentWatcher, WatchPaymentOptions } from './watch-payment.js';

/**
 * A host-supplied source of payment resources, for portals with their own WebSocket/SignalR. One of:
 * - a function `(signal: AbortSignal) => AsyncIterable<PaymentResource>` — called on start and on
 *   retry; `signal` aborts when the element stops listening;
 * - an `AsyncIterable<PaymentResource>` (e.g. an async generator) — iterated once;
 * - an object with `subscribe(callback)` returning an unsubscribe function or an object with
 *   `unsubscribe()` (an RxJS Observable fits).
 * Every value is validated like a server answer (core's `parsePaymentResource`).
 */
export type PaymentStatusSource =
  | ((signal: AbortSignal) => AsyncIterable<PaymentResource>)
  | AsyncIterable<PaymentResource>
  | {
      subscribe(callback: (payment: PaymentResource) => void): (() => void) | { unsubscribe(): void };
    };

/** What the element does with what the source says. */
export interface PaymentSourceCallbacks {
  /** A validated payment resource (possibly an older version: the element decides). */
  receive(payment: PaymentResource): void;
  /** A failure; `connection` when it concerns the link, not the payment shown. */
  fail(failure: Failure, connection: boolean): void;
  /** The connection works again after a failure. */
  recover(): void;
}

/** How to watch a `src`: `watchPayment`'s options without the callbacks. */
export type WatchSettings = Pick<WatchPaymentOptions, 'pollMinMs' | 'pollMaxMs' | 'requestTimeoutMs' | 'useSse'>;

/**
 * The payment source of `<qr-payment>`: follows a payment resource URL (core's shared event stream
 * through `watchPayment`, a lazy chunk of the CDN build, polling as the fallback) or a host's
 * {@link PaymentStatusSource}, and stops when the element leaves the page or starts again.
 */
export class PaymentSourceController implements ReactiveController {
  /** How the status is followed in `src` mode: `sse` or `polling`. */
  transport: PaymentTransport | undefined;
  private readonly _callbacks: PaymentSourceCallbacks;
  private _abort: AbortController | undefined;
  private _watcher: PaymentWatcher | undefined;

  constructor(host: ReactiveControllerHost, callbacks: PaymentSourceCallbacks) {
    this._callbacks = callbacks;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Stops following whatever was followed. */
  stop(): void {
    this._abort?.abort();
    this._abort = undefined;
    this._watcher = undefined;
    this.transport = undefined;
  }

  /**
   * Follows the payment at `src`: resolves once the watcher's chunk has loaded and the watcher
   * runs (or the load failed, which is reported), so that a first paint may wait for it.
   */
  watch(src: string, settings: WatchSettings): Promise<void> {
    const signal = this._restart();
    const { receive, fail, recover } = this._callbacks;
    return import('./watch-payment.js').then(
      ({ watchPayment }) => {
        if (signal.aborted) return;
        this._watcher = watchPayment(src, {
          ...settings,
          signal,
          onUpdate: receive,
          onError: (error) => fail(toFailure(error), true),
          onRecover: recover,
          onTransport: (transport) => {
            this.transport = transport;
          },
        });
        this.transport = this._watcher.transport;
      },
      (error: unknown) => {
        if (!signal.aborted) fail(toFailure(error), false);
      },
    );
  }

  /** Follows a host's source. Throws an `InputError` (`SOURCE_ERROR`) for a value that is none. */
  consume(source: PaymentStatusSource): void {
    const signal = this._restart();
    const { fail } = this._callbacks;
    const receive = (value: unknown) => {
      if (signal.aborted) return;
      try {
        this._callbacks.receive(parsePaymentResource(value));
      } catch (error) {
        fail(toFailure(error), true);
      }
    };
    if (typeof source === 'object' && source !== null && 'subscribe' in source && typeof source.subscribe === 'function') {
      const subscription = source.subscribe(receive);
      const unsubscribe = typeof subscription === 'function' ? subscription : () => subscription?.unsubscribe();
      signal.addEventListener('abort', unsubscribe, { once: true });
      return;
    }
    const iterable = (typeof source === 'function' ? source(signal) : source) as AsyncIterable<unknown> | undefined;
    if (!iterable || typeof iterable[Symbol.asyncIterator] !== 'function') {
      throw new InputError(
        'SOURCE_ERROR',
        'statusSource must be a function returning an async iterable, an async iterable, or an object with subscribe().',
        'statusSource',
      );
    }
    void (async () => {
      try {
        for await (const value of iterable) {
          if (signal.aborted) break;
          receive(value);
        }
      } catch (error) {
        if (!signal.aborted) fail({ code: 'SOURCE_ERROR', message: error instanceof Error ? error.message : String(error) }, true);
      }
    })();
  }

  /** Asks the server now (src mode, once the watcher runs); false when there is no watcher to ask. */
  refresh(): boolean {
    this._watcher?.refresh();
    return this._watcher !== undefined;
  }

  private _restart(): AbortSignal {
    this.stop();
    this._abort = new AbortController();
    return this._abort.signal;
  }
}
