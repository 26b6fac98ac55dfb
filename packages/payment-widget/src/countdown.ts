import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The countdown of `<qr-payment>`: while `running()` says so (a payment that is not final, on the
 * page), the clock ticks every second and the element renders again; {@link remaining} tells the
 * time left and calls `onExpire` once when it reaches zero (the server decides expiry: ask it).
 */
export class CountdownController implements ReactiveController {
  /** The clock the element renders with. */
  now = Date.now();
  private readonly _host: ReactiveControllerHost;
  private readonly _running: () => boolean;
  private readonly _onExpire: () => void;
  private _ticker: ReturnType<typeof setInterval> | undefined;
  private _expired = false;

  constructor(host: ReactiveControllerHost, running: () => boolean, onExpire: () => void) {
    this._host = host;
    this._running = running;
    this._onExpire = onExpire;
    host.addController(this);
  }

  hostUpdated(): void {
    const running = this._running();
    if (running && !this._ticker) {
      this._ticker = setInterval(() => {
        this.now = Date.now();
        this._host.requestUpdate();
      }, 1000);
    } else if (!running) this.hostDisconnected();
  }

  hostDisconnected(): void {
    clearInterval(this._ticker);
    this._ticker = undefined;
  }

  /** Milliseconds left before `expiresAt` (ISO 8601), never below zero. */
  remaining(expiresAt: string): number {
    const remaining = Math.max(0, Date.parse(expiresAt) - this.now);
    if (remaining === 0 && !this._expired) {
      this._expired = true;
      queueMicrotask(this._onExpire);
    }
    return remaining;
  }

  /** A new payment: its expiry is asked about again. */
  reset(): void {
    this._expired = false;
  }
}
