// The moment a kiosk holds on screen by itself: the thank-you after a rating made on it, for the
// element's `thanks-delay`. ("Paid" before the rating is the gateway's to say: the counter state `paid`.)
import type { ReactiveController } from 'lit';
import type { QrCounterScreen } from './qr-counter-screen.js';

/**
 * The kiosk's timer: the survey token just rated here while the thank-you shows (then done for good,
 * whatever the gateway says later). It stops when the element leaves the page.
 */
export class KioskTimers implements ReactiveController {
  /** The survey token just rated here, while the thank-you shows. */
  thanksToken: string | undefined;
  /** Survey tokens rated on this screen: their prompt is done even if the gateway has not said so yet. */
  readonly doneTokens = new Set<string>();
  private _thanksTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly _host: QrCounterScreen) {
    _host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this._thanksTimer);
  }

  /** The citizen rated `token` here (sent or queued for later): thank for `thanks-delay` ms, then it is done. */
  thank(token: string): void {
    if (this.thanksToken === token || this.doneTokens.has(token)) return;
    this.thanksToken = token;
    this._host.requestUpdate();
    clearTimeout(this._thanksTimer);
    this._thanksTimer = setTimeout(() => {
      this.doneTokens.add(token);
      this.thanksToken = undefined;
      this._host.requestUpdate();
    }, this._host.thanksDelay);
  }
}
