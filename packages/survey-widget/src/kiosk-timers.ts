// The kiosk's clocks, as a Lit reactive controller: back to the first screen a while after the
// thank-you, a half-made rating abandoned when nobody touches the screen, and taps ignored for a
// moment after a rating (so the next citizen's first tap is not the last one's second).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SurveyMode } from './qr-survey.js';

/** What the timers read of their element (the properties of the same names). */
export interface KioskTimersHost extends ReactiveControllerHost {
  mode: SurveyMode;
  resetDelay: number;
  idleTimeout: number;
  lockout: number;
}

export interface KioskTimersOptions {
  /** `reset-delay` after a kiosk rating. */
  onThanksTimeout(): void;
  /** `idle-timeout` after the last touch of a kiosk. */
  onIdle(): void;
}

export class KioskTimers implements ReactiveController {
  /** Taps are ignored: the lockout after the last rating still runs on the first screen. */
  locked = false;
  private readonly _host: KioskTimersHost;
  private readonly _options: KioskTimersOptions;
  private _lockedUntil = 0;
  private _resetTimer?: ReturnType<typeof setTimeout>;
  private _idleTimer?: ReturnType<typeof setTimeout>;
  private _lockTimer?: ReturnType<typeof setTimeout>;

  constructor(host: KioskTimersHost, options: KioskTimersOptions) {
    this._host = host;
    this._options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this._resetTimer);
    clearTimeout(this._idleTimer);
    clearTimeout(this._lockTimer);
  }

  /** A rating was made: the lockout starts, the idle timer stops, a kiosk goes back after `reset-delay`. */
  rated(): void {
    const host = this._host;
    this._lockedUntil = Date.now() + host.lockout;
    clearTimeout(this._idleTimer);
    if (host.mode === 'kiosk') {
      clearTimeout(this._resetTimer);
      this._resetTimer = setTimeout(() => this._options.onThanksTimeout(), host.resetDelay);
    }
  }

  /** The rating was not kept after all: no lockout, no going back by itself (the citizen rates again). */
  cancel(): void {
    this._lockedUntil = 0;
    clearTimeout(this._resetTimer);
  }

  /** A touch of a kiosk: a half-made rating waits `idle-timeout` more. */
  touch(): void {
    if (this._host.mode !== 'kiosk') return;
    clearTimeout(this._idleTimer);
    this._idleTimer = setTimeout(() => this._options.onIdle(), this._host.idleTimeout);
  }

  /** Back on the first screen: the timers stop; what is left of the lockout still ignores taps. */
  reset(): void {
    clearTimeout(this._resetTimer);
    clearTimeout(this._idleTimer);
    const wait = this._lockedUntil - Date.now();
    if (wait <= 0) return;
    this.locked = true;
    this._host.requestUpdate();
    clearTimeout(this._lockTimer);
    this._lockTimer = setTimeout(() => {
      this.locked = false;
      this._host.requestUpdate();
    }, wait);
  }
}
