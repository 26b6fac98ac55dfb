import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { CounterState } from '@motcua/core';
import { backoffDelay, LoadController, nearestLang, resolveLocale } from '@motcua/core/runtime';
import type { CounterScreen } from './counter-screen.js';
import { styles } from './qr-counter-screen.styles.js';

/** How the screen offers the rating: a tap on this screen, a QR for the citizen's phone, or both side by side. */
export type SurveyChannel = 'both' | 'kiosk' | 'qr';

/** What the screen shows. */
export type CounterScreenView = 'connecting' | 'idle' | 'payment' | 'paid' | 'survey' | 'thanks' | 'misconfigured';

/** `detail` of `qr-counter-screen-state`. */
export interface QrCounterScreenStateDetail {
  /** The counter channel's state as last received. */
  state: CounterState;
  /** What the screen shows now. */
  view: CounterScreenView;
}

/** `detail` of `qr-counter-screen-connection`. */
export interface QrCounterScreenConnectionDetail {
  /** True once the channel delivered the current state; false while it reconnects. */
  connected: boolean;
  /** Failed attempts since the last good connection. */
  attempt: number;
}

/**
 * The citizen-facing screen of a one-stop counter. Follows the gateway's counter channel
 * (`GET {gateway}/api/counters/{counter}/events`, or `/api/units/{unit}/counters/{counter}/events` with
 * a `unit`) and moves by itself: idle (the counter's name and a
 * welcome) → the current payment (a large `<qr-payment view="customer">`) → paid (for as long as the gateway says) → the rating
 * (`<qr-survey>` with the one-time token, sent to the paired screen only: set `screen-key`) → thanks → idle. It reconnects with backoff after the
 * gateway restarts or the network drops, and while it is disconnected it hides the QR rather than
 * show one that may no longer be current.
 *
 * @summary The citizen-facing counter screen.
 *
 * @slot - The host's own content for the idle screen (opening hours, notices, a logo).
 *
 * @event qr-counter-screen-state - Every state received and every change of view. `detail: { state, view }`.
 * @event qr-counter-screen-connection - The channel connected or was lost. `detail: { connected, attempt }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart counter-name - The counter's name (idle).
 * @csspart welcome - The welcome text (idle).
 * @csspart title - The instruction above the payment or the rating.
 * @csspart payment - The `<qr-payment>` element.
 * @csspart survey - The kiosk `<qr-survey>` element.
 * @csspart survey-qr - The `<qr-survey mode="qr">` for rating on the phone.
 * @csspart thanks - The thank-you message.
 * @csspart connection - The quiet connection line ("reconnecting").
 * @csspart notice - The panel shown instead of the QR while disconnected.
 *
 * @cssproperty --motcua-screen-min-height - Default 100% (give the host a height, e.g. 100vh).
 * @cssproperty --motcua-font-family
 * @cssproperty --motcua-color-text
 * @cssproperty --motcua-color-background
 * @cssproperty --motcua-color-accent - The counter's name.
 * @cssproperty --motcua-color-success - The thank-you title.
 * @cssproperty --motcua-color-warning - The reconnecting line and notice.
 * @cssproperty --motcua-color-muted
 * @cssproperty --motcua-radius
 * @cssproperty --motcua-padding
 * (and every property of `<qr-payment>` and `<qr-survey>`, which inherit through.)
 */
export class QrCounterScreen extends LitElement {
  static override styles = styles;

  /** Counter id, as the gateway knows it (e.g. `C1`). */
  @property({ attribute: 'counter' }) counter = '';
  /** The counter's unit on a gateway serving several (a province): its channel is `/api/units/{unit}/counters/{counter}/events`. Empty: the gateway's single unit. */
  @property({ attribute: 'unit' }) unit = '';
  /** Base URL of the gateway. Empty: the page's own origin. */
  @property({ attribute: 'gateway' }) gateway = '';
  /**
   * This screen's key for its counter (the gateway's `MOTCUA_SCREEN_KEYS`): only the paired screen
   * receives the rating prompt. Sent as `?key=` on the counter stream (an `EventSource` cannot send
   * headers). Without it the screen shows payments and "paid", but offers no rating.
   */
  @property({ attribute: 'screen-key' }) screenKey = '';
  /** Name shown on the idle screen. Default: the name the gateway sends, else "Quầy {counter}". */
  @property({ attribute: 'counter-name' }) counterName = '';
  /** Welcome text on the idle screen. Default: a greeting in the screen's language. */
  @property({ attribute: 'welcome' }) welcome = '';
  /** How the rating is offered: `both` (default), `kiosk` (tap here) or `qr` (phone only). */
  @property({ attribute: 'survey-channel' }) surveyChannel: SurveyChannel = 'both';
  /** How long the thank-you stays before idle, ms. Default 6000. */
  @property({ attribute: 'thanks-delay', type: Number }) thanksDelay = 6000;
  /** First reconnect delay, ms (backoff with jitter grows it). Default 1000. */
  @property({ attribute: 'reconnect-min-ms', type: Number }) reconnectMinMs = 1000;
  /** Longest reconnect delay, ms. Default 10000. */
  @property({ attribute: 'reconnect-max-ms', type: Number }) reconnectMaxMs = 10_000;
  /**
   * Silence, ms, after which the channel counts as dead (no `counter` event and no `ping`): the
   * screen then shows "reconnecting" and reconnects. Armed only once the gateway has sent a `ping`,
   * so a backend without pings keeps waiting for the connection to close. 0 turns it off. Default 40000.
   */
  @property({ attribute: 'stale-after', type: Number }) staleAfter = 40_000;
  /**
   * Say a confirmed payment out loud: a chime (a generated tone) and the amount spoken in the
   * screen's language ("Đã nhận 50.000 đồng") with a voice of that language where the machine has
   * one, the chime alone otherwise. Once per payment, and only when it is seen turning paid (not on a
   * reload or reconnect that finds it already paid). Browsers may keep a page silent until someone
   * has tapped or clicked it: start the kiosk with autoplay allowed (Chromium:
   * `--autoplay-policy=no-user-gesture-required`). Off by default.
   */
  @property({ attribute: 'announce', type: Boolean }) announce = false;

  /**
   * The screen's implementation (channel, views): a chunk of its own in the CDN files, loaded before
   * the first paint. If it cannot load (offline with a cold cache) the screen says so and tries again
   * with the reconnect backoff, and at once when put back into a page.
   */
  private readonly _loads = new LoadController(this, () => [!this._screen && (this._implementation ??= this._loadImplementation())]);
  /** The load of the implementation under way or last settled; cleared to try again. */
  private _implementation: Promise<void> | undefined;
  private _screen: CounterScreen | undefined;
  /** Failed loads of the implementation in a row. */
  private _loadFailures = 0;
  private _retryTimer: ReturnType<typeof setTimeout> | undefined;

  /** The counter channel's state as last received. */
  get counterState(): CounterState | undefined {
    return this._screen?.counterState;
  }

  /** Whether the channel is connected and its state current. */
  get connected(): boolean {
    return this._screen?.connected ?? false;
  }

  /** What the screen shows now. */
  get view(): CounterScreenView {
    return this._screen?.view ?? (this.counter ? 'connecting' : 'misconfigured');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back into a page after its implementation failed to load (the retry timer was cleared): try now.
    if (this._loadFailures && !this._screen) this._retry();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._retryTimer);
  }

  /** Nothing is painted before the implementation has loaded or failed to (then the screen says so). */
  protected override scheduleUpdate(): void | Promise<void> {
    return this._loads.scheduleUpdate(() => super.scheduleUpdate());
  }

  private async _loadImplementation(): Promise<void> {
    clearTimeout(this._retryTimer);
    try {
      const { CounterScreen } = await import('./counter-screen.js');
      this._loadFailures = 0;
      // Adding the controller while connected runs its hostConnected() at once.
      this._screen ??= new CounterScreen(this);
    } catch {
      this._loadFailures++;
      this._retryTimer = setTimeout(
        () => this.isConnected && this._retry(),
        backoffDelay(this._loadFailures - 1, { baseMs: this.reconnectMinMs, maxMs: this.reconnectMaxMs }),
      );
    }
  }

  private _retry(): void {
    this._implementation = undefined;
    this.requestUpdate();
  }

  override render(): unknown {
    return this._screen ? this._screen.render() : this._loadFailures ? this._renderUnavailable() : nothing;
  }

  private _renderUnavailable(): TemplateResult {
    return html`<div class="base" part="base" data-view="unavailable">
      <p class="connection" part="connection" role="alert">${
        // Read here, not by the screen's LocaleController: that is in the chunk that did not load.
        resolveLocale(nearestLang(this) ?? document.documentElement.lang) === 'en'
          ? 'The counter screen could not be loaded. Retrying…'
          : 'Không tải được màn hình quầy. Đang thử lại…'
      }</p>
    </div>`;
  }
}
