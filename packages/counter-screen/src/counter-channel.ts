// The counter channel of `<qr-counter-screen>`: `GET {gateway}/api/counters/{counter}/events` (with a
// `unit`: `/api/units/{unit}/counters/{counter}/events`), followed
// through core's shared event stream (one EventSource for everything following the same counter in a
// page, with its ping watchdog, backoff, online/offline and visibility rules).
import type { ReactiveController } from 'lit';
import type { CounterState } from '@motcua/core';
import { isNewer, parseCounterState } from '@motcua/core/protocol';
import { subscribeEventStream, type EventStreamSubscription } from '@motcua/core/stream';
import type { QrCounterScreen } from './qr-counter-screen.js';

/** What the screen is told by its {@link CounterChannel}. */
export interface CounterChannelEvents {
  /**
   * A state to show: the first of each connection (authoritative: the gateway may have restarted on
   * a fresh database) or a newer version. `resynced` when it is the first after a drop.
   */
  onState(next: CounterState, previous: CounterState | undefined, resynced: boolean): void;
  /** The channel delivered its current state (`true`) or dropped (`false`); `attempt` counts reconnections since the last good one. */
  onConnection(connected: boolean, attempt: number): void;
  /** The channel changed (`counter`, `unit`, `gateway`, `screen-key`): what was shown belongs to another one. */
  onReset(): void;
}

/** Resolves a gateway path (`/api/…`) against the `gateway` attribute (a base URL), or the page. */
export function gatewayUrl(gateway: string, path: string): string {
  const base = gateway ? new URL(gateway, document.baseURI).href.replace(/\/?$/, '/') : document.baseURI;
  return new URL(gateway ? path.replace(/^\//, '') : path, base).href;
}

/**
 * Follows the element's counter channel: subscribes when the element has a counter, again when
 * `counter`, `unit`, `gateway` or `screen-key` change, and while it is in a page; keeps the state last
 * received (valid, for this counter, and newer) and whether it is current.
 */
export class CounterChannel implements ReactiveController {
  /** The state last received. */
  state: CounterState | undefined;
  /** Whether the current connection has delivered its state. */
  connected = false;
  private _url: string | undefined;
  private _subscription: EventStreamSubscription | undefined;
  /** Whether the current connection has delivered its first state (the authoritative one). */
  private _synced = false;
  private _attempt = 0;

  constructor(
    private readonly _host: QrCounterScreen,
    private readonly _events: CounterChannelEvents,
  ) {
    _host.addController(this);
  }

  hostConnected(): void {
    // Back in a page after a move (the first subscription is made by the first update).
    if (this._url) this._subscribe();
  }

  hostDisconnected(): void {
    this._subscription?.close();
    this._subscription = undefined;
  }

  hostUpdate(): void {
    const { counter, unit, gateway, screenKey } = this._host;
    // The paired screen's key goes in the query: EventSource cannot send headers.
    const key = screenKey ? `?key=${encodeURIComponent(screenKey)}` : '';
    // A province gateway's counters belong to units (two units may both have C1).
    const path = unit ? `/api/units/${encodeURIComponent(unit)}/counters/${encodeURIComponent(counter)}` : `/api/counters/${encodeURIComponent(counter)}`;
    const url = counter ? gatewayUrl(gateway, `${path}/events${key}`) : undefined;
    if (url === this._url) return;
    this._url = url;
    this.state = undefined;
    this._attempt = 0;
    this._events.onReset();
    this._subscribe();
  }

  private _subscribe(): void {
    this._subscription?.close();
    this._subscription = undefined;
    const url = this._url;
    if (!url || !this._host.isConnected) return;
    const counter = this._host.counter;
    this._synced = false;
    this._subscription = subscribeEventStream(url, {
      events: ['counter'],
      // Every reconnection is a fresh start: the gateway skips states whose version is not above
      // Last-Event-ID, so one restarted on a fresh database would otherwise be ignored.
      resume: false,
      staleAfterMs: this._host.staleAfter,
      reconnectMinMs: this._host.reconnectMinMs,
      reconnectMaxMs: this._host.reconnectMaxMs,
      onOpen: () => {
        this._synced = false;
      },
      onEvent: (event) => this._handleCounterEvent(event.data, counter),
      onDrop: ({ attempt }) => {
        this._attempt = attempt;
        this._setConnected(false);
      },
    });
  }

  private _handleCounterEvent(data: string, counter: string): void {
    let next: CounterState;
    try {
      next = parseCounterState(JSON.parse(data), counter);
    } catch {
      // Malformed, half-valid or another counter's: the screen keeps what it shows.
      return;
    }
    // The first state of a connection is authoritative; after it, only newer versions count.
    if (this._synced && !isNewer(this.state, next)) return;
    const previous = this.state;
    const resynced = !this._synced && previous !== undefined;
    this._synced = true;
    this._attempt = 0;
    this.state = next;
    this._events.onState(next, previous, resynced);
    this._setConnected(true);
  }

  private _setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this._host.requestUpdate();
    this._events.onConnection(connected, this._attempt);
  }
}
