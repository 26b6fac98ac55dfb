import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { CounterState, SurveyPrompt } from '@motcua/core';
import { parsePaymentResource } from '@motcua/core/protocol';
import { backoffDelay, nearestLang, resolveLocale, type Locale } from '@motcua/core/runtime';
import { isDossierRated } from '@motcua/survey-widget';
import type { SubmissionQueue } from '@motcua/survey-widget/submission-queue.js';
import { MESSAGES, type Messages } from './messages.js';
import { PaymentFeed } from './payment-feed.js';
import { styles } from './qr-counter-screen.styles.js';

/**
 * Runs `use` with the page's shared rating queue. Its module (IndexedDB, retries) is a chunk of its
 * own in the CDN files, loaded after the first paint; if it cannot load, `<qr-survey>` reports it
 * when a rating is made, so here it is only skipped.
 */
function withSharedQueue(use: (queue: SubmissionQueue) => unknown): Promise<void> {
  return import('@motcua/survey-widget/submission-queue.js').then(
    ({ SubmissionQueue }) => void use(SubmissionQueue.shared()),
    () => {},
  );
}

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

const STATES = ['idle', 'payment', 'survey'];

/**
 * The citizen-facing screen of a one-stop counter. Follows the gateway's counter channel
 * (`GET {gateway}/api/counters/{counter}/events`) and moves by itself: idle (the counter's name and a
 * welcome) → the current payment (a large `<qr-payment view="customer">`) → paid → the rating
 * (`<qr-survey>` with the one-time token) → thanks → idle. It reconnects with backoff after the
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

  @state() private accessor _counterState: CounterState | undefined;
  // Plain fields, not @state() (each decorated field costs ~300 bytes of lowered code); their one
  // or two writers call requestUpdate(): _updateLocale, _setConnected, _handleRated.
  private _locale: Locale = 'vi';
  private _connected = false;
  /** The survey token just rated here, while the thank-you shows. */
  private _thanksToken: string | undefined;
  /** The payment whose `paid` is held on screen before the rating, while its timer runs. */
  @state() private accessor _paidHold: string | undefined;

  /** Counter id, as the gateway knows it (e.g. `C1`). */
  @property({ attribute: 'counter' }) accessor counter = '';
  /** Base URL of the gateway. Empty: the page's own origin. */
  @property({ attribute: 'gateway' }) accessor gateway = '';
  /** Name shown on the idle screen. Default: the name the gateway sends, else "Quầy {counter}". */
  @property({ attribute: 'counter-name' }) accessor counterName = '';
  /** Welcome text on the idle screen. Default: a greeting in the screen's language. */
  @property({ attribute: 'welcome' }) accessor welcome = '';
  /** How the rating is offered: `both` (default), `kiosk` (tap here) or `qr` (phone only). */
  @property({ attribute: 'survey-channel' }) accessor surveyChannel: SurveyChannel = 'both';
  /** How long "paid" stays on screen before the rating, ms. Default 4000. */
  @property({ attribute: 'paid-delay', type: Number }) accessor paidDelay = 4000;
  /** How long the thank-you stays before idle, ms. Default 6000. */
  @property({ attribute: 'thanks-delay', type: Number }) accessor thanksDelay = 6000;
  /** First reconnect delay, ms (backoff with jitter grows it). Default 1000. */
  @property({ attribute: 'reconnect-min-ms', type: Number }) accessor reconnectMinMs = 1000;
  /** Longest reconnect delay, ms. Default 10000. */
  @property({ attribute: 'reconnect-max-ms', type: Number }) accessor reconnectMaxMs = 10_000;
  /**
   * Silence, ms, after which the channel counts as dead (no `counter` event and no `ping`): the
   * screen then shows "reconnecting" and reconnects. Armed only once the gateway has sent a `ping`,
   * so a backend without pings keeps waiting for the connection to close. 0 turns it off. Default 40000.
   */
  @property({ attribute: 'stale-after', type: Number }) accessor staleAfter = 40_000;

  private _source: EventSource | undefined;
  /** Whether the current connection has delivered its first state (the authoritative one). */
  private _synced = false;
  private _attempt = 0;
  private _reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether this channel sends pings (then silence longer than `staleAfter` means a dead stream). */
  private _pinged = false;
  private _staleTimer: ReturnType<typeof setTimeout> | undefined;
  private _paidTimer: ReturnType<typeof setTimeout> | undefined;
  private _thanksTimer: ReturnType<typeof setTimeout> | undefined;
  private _feed: PaymentFeed | undefined;
  /** Survey tokens rated on this screen: their prompt is done even if the gateway has not said so yet. */
  private readonly _doneTokens = new Set<string>();
  private _langObserver: MutationObserver | undefined;
  private _lastView: CounterScreenView | undefined;

  /** The counter channel's state as last received. */
  get counterState(): CounterState | undefined {
    return this._counterState;
  }

  /** Whether the channel is connected and its state current. */
  get connected(): boolean {
    return this._connected;
  }

  /** What the screen shows now. */
  get view(): CounterScreenView {
    const current = this._counterState;
    if (!this.counter) return 'misconfigured';
    if (this._thanksToken) return 'thanks';
    if (!current) return 'connecting';
    if (current.state === 'payment') return current.payment.status === 'paid' ? 'paid' : 'payment';
    if (current.state === 'survey') {
      if (this._doneTokens.has(current.survey.token)) return 'idle';
      if (current.payment && this._paidHold === current.payment.id) return 'paid';
      return 'survey';
    }
    return 'idle';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._updateLocale();
    this._langObserver = new MutationObserver(() => this._updateLocale());
    this._langObserver.observe(this, { attributes: true, attributeFilter: ['lang'] });
    this._langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    window.addEventListener('online', this._handleOnline);
    window.addEventListener('offline', this._handleOffline);
    // Ratings an earlier page left unsent (the gateway was down) go out even if no survey shows now.
    void withSharedQueue((queue) => queue.start());
    if (this.hasUpdated) this._connect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._langObserver?.disconnect();
    window.removeEventListener('online', this._handleOnline);
    window.removeEventListener('offline', this._handleOffline);
    this._close();
    clearTimeout(this._reconnectTimer);
    clearTimeout(this._paidTimer);
    clearTimeout(this._thanksTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('counter') || changed.has('gateway')) {
      this._counterState = undefined;
      this._feed = undefined;
      this._attempt = 0;
      this._pinged = false;
      this._connect();
    }
  }

  protected override updated(): void {
    const view = this.view;
    if (view !== this._lastView && this._counterState) {
      this._lastView = view;
      this._emit<QrCounterScreenStateDetail>('qr-counter-screen-state', { state: this._counterState, view });
    }
  }

  // ---- the counter channel ------------------------------------------------------------------

  /** Resolves a gateway path (`/api/…`) against the `gateway` attribute, or the page. */
  private _resolve(path: string): string {
    const base = this.gateway ? new URL(this.gateway, document.baseURI).href.replace(/\/?$/, '/') : document.baseURI;
    return new URL(this.gateway ? path.replace(/^\//, '') : path, base).href;
  }

  private _connect(): void {
    this._close();
    clearTimeout(this._reconnectTimer);
    if (!this.isConnected || !this.counter) return;
    const source = new EventSource(this._resolve(`/api/counters/${encodeURIComponent(this.counter)}/events`));
    this._source = source;
    this._synced = false;
    this._heard();
    source.addEventListener('counter', (event) => {
      if (source !== this._source) return;
      this._heard();
      this._handleCounterEvent(event as MessageEvent<string>);
    });
    source.addEventListener('ping', () => {
      if (source !== this._source) return;
      this._pinged = true;
      this._heard();
    });
    // We reconnect ourselves (with our backoff) rather than rely on the browser's fixed retry,
    // and treat every reconnection as a fresh start: the gateway sends the current state first.
    source.addEventListener('error', () => {
      if (source === this._source) this._reconnectLater();
    });
  }

  /** Restarts the watchdog: a channel that pings and then goes silent died without closing. */
  private _heard(): void {
    clearTimeout(this._staleTimer);
    if (this._pinged && this.staleAfter > 0) this._staleTimer = setTimeout(() => this._reconnectLater(), this.staleAfter);
  }

  /** Drops the connection, shows "reconnecting" (QR hidden) and reconnects after the backoff. */
  private _reconnectLater(): void {
    this._close();
    this._setConnected(false);
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = setTimeout(() => this._connect(), backoffDelay(this._attempt++, { baseMs: this.reconnectMinMs, maxMs: this.reconnectMaxMs }));
  }

  private _close(): void {
    this._source?.close();
    this._source = undefined;
    clearTimeout(this._staleTimer);
  }

  private _setConnected(connected: boolean): void {
    if (connected === this._connected) return;
    this._connected = connected;
    this.requestUpdate();
    this._emit<QrCounterScreenConnectionDetail>('qr-counter-screen-connection', { connected, attempt: this._attempt });
  }

  private _handleCounterEvent(event: MessageEvent<string>): void {
    const next = parseCounterState(event.data, this.counter);
    if (!next) return;
    // The first state of a connection is authoritative (the gateway may even have restarted with
    // a fresh database); after it, only newer versions count.
    if (this._synced && this._counterState && next.version <= this._counterState.version) return;
    // Back after a disconnection: the gateway answers again, so queued ratings need not wait for their backoff.
    if (!this._synced && this._counterState) void withSharedQueue((queue) => queue.flush());
    this._synced = true;
    this._attempt = 0;
    const previous = this._counterState;
    // The gateway closes the prompt as soon as the rating is stored, often before the widget hears
    // back from its POST: a rating made on this screen still gets its thank-you.
    if (previous?.state === 'survey' && (next.state !== 'survey' || next.survey.token !== previous.survey.token) && this._ratedHere(previous.survey)) {
      this._handleRated(previous.survey.token);
    }
    this._counterState = next;
    this._setConnected(true);
    const payment = next.state === 'idle' ? undefined : next.payment;
    if (payment) {
      if (this._feed?.paymentId !== payment.id) this._feed = new PaymentFeed(payment.id);
      this._feed.push(payment);
    }
    // Paid: the citizen sees the confirmation for a moment before being asked to rate.
    if (next.state === 'survey' && payment && previous?.state === 'payment' && previous.payment.id === payment.id && this.paidDelay > 0) {
      this._paidHold = payment.id;
      clearTimeout(this._paidTimer);
      this._paidTimer = setTimeout(() => (this._paidHold = undefined), this.paidDelay);
    } else if (next.state !== 'survey' || payment?.id !== this._paidHold) {
      this._paidHold = undefined;
    }
    this.requestUpdate();
  }

  // ---- handlers ----------------------------------------------------------------------------

  private readonly _handleOnline = (): void => {
    if (this._connected) return;
    this._attempt = 0;
    this._connect();
  };

  private readonly _handleOffline = (): void => this._reconnectLater();

  /** The citizen rated on this screen (sent or queued for later): thank, then idle. */
  private _handleRated(token: string): void {
    if (this._thanksToken === token || this._doneTokens.has(token)) return;
    this._thanksToken = token;
    this.requestUpdate();
    clearTimeout(this._thanksTimer);
    this._thanksTimer = setTimeout(() => {
      this._doneTokens.add(token);
      this._thanksToken = undefined;
      this.requestUpdate();
    }, this.thanksDelay);
  }

  private _ratedHere(prompt: SurveyPrompt): boolean {
    return this.surveyChannel !== 'qr' && !this._doneTokens.has(prompt.token) && !!prompt.dossier && isDossierRated(prompt.surveyId, prompt.counter, prompt.dossier);
  }

  private _updateLocale(): void {
    this._locale = resolveLocale(nearestLang(this) ?? document.documentElement.lang);
    this.requestUpdate();
  }

  private _emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  // ---- render ------------------------------------------------------------------------------

  private _counterLabel(messages: Messages): string {
    return this.counterName || this._counterState?.counterName || messages.counter(this.counter);
  }

  private _renderConnection(messages: Messages): TemplateResult | typeof nothing {
    if (this._connected) return nothing;
    const reconnecting = this._counterState !== undefined;
    return html`<p class="connection" part="connection" role="status" data-state=${reconnecting ? 'reconnecting' : 'connecting'}>
      ${reconnecting ? messages.reconnecting : messages.connecting}
    </p>`;
  }

  private _renderIdle(messages: Messages): TemplateResult {
    return html`<h2 class="counter-name" part="counter-name">${this._counterLabel(messages)}</h2>
      <p class="welcome" part="welcome">${this.welcome || messages.welcome}</p>
      <slot></slot>`;
  }

  private _renderPayment(messages: Messages, paid: boolean): TemplateResult {
    const feed = this._feed;
    const closed = this._counterState?.state === 'payment' && ['expired', 'cancelled'].includes(this._counterState.payment.status);
    return html`<h2 class="title" part="title">${paid ? messages.paidTitle : closed ? messages.paymentClosed : messages.scanToPay}</h2>
      ${feed
        ? keyed(
            feed.paymentId,
            html`<qr-payment part="payment" view="customer" lang=${this._locale} .statusSource=${feed} ?hidden=${!this._connected}></qr-payment>`,
          )
        : nothing}
      ${this._connected ? nothing : html`<div class="notice" part="notice"><p>${messages.reconnecting}</p><p>${messages.qrHidden}</p></div>`}`;
  }

  private _renderSurvey(messages: Messages, prompt: SurveyPrompt): TemplateResult {
    const endpoint = this._resolve(prompt.endpoint);
    const counterName = this._counterLabel(messages);
    const kiosk = this.surveyChannel !== 'qr';
    const phone = this.surveyChannel !== 'kiosk' && prompt.phoneUrl;
    return html`<h2 class="title" part="title">${messages.rateTitle}</h2>
      <div class="survey">
        ${kiosk
          ? keyed(
              prompt.token,
              html`<qr-survey
                part="survey"
                mode="kiosk"
                lang=${this._locale}
                endpoint=${endpoint}
                counter=${prompt.counter}
                counter-name=${counterName}
                officer=${prompt.officer ?? ''}
                dossier=${prompt.dossier ?? ''}
                token=${prompt.token}
                survey=${prompt.surveyId}
                reset-delay=${this.thanksDelay}
                @qr-survey-submit=${() => this._handleRated(prompt.token)}
                @qr-survey-queued=${() => this._handleRated(prompt.token)}
              ></qr-survey>`,
            )
          : nothing}
        ${phone
          ? html`<div class="phone">
              <p>${messages.rateOnPhone}</p>
              <qr-survey part="survey-qr" mode="qr" lang=${this._locale} counter=${prompt.counter} token=${prompt.token} phone-url=${this._resolve(phone)}></qr-survey>
            </div>`
          : nothing}
      </div>`;
  }

  override render(): TemplateResult {
    const messages = MESSAGES[this._locale];
    const view = this.view;
    const current = this._counterState;
    let content: unknown;
    switch (view) {
      case 'misconfigured':
        content = html`<p role="alert">${messages.noCounter}</p>`;
        break;
      case 'connecting':
        content = html`<h2 class="counter-name" part="counter-name">${this._counterLabel(messages)}</h2>`;
        break;
      case 'payment':
      case 'paid':
        content = this._renderPayment(messages, view === 'paid');
        break;
      case 'survey':
        content = current?.state === 'survey' ? this._renderSurvey(messages, current.survey) : nothing;
        break;
      case 'thanks':
        content = html`<div part="thanks" role="status">
          <h2 class="thanks-title">${messages.thanksTitle}</h2>
          <p class="welcome">${messages.thanksText}</p>
        </div>`;
        break;
      default:
        content = this._renderIdle(messages);
    }
    return html`<div class="base" part="base" data-view=${view}>${content}${this._renderConnection(messages)}</div>`;
  }
}

/** Validates one `event: counter` message; anything malformed or for another counter is ignored. */
function parseCounterState(data: string, counter: string): CounterState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Record<string, unknown>;
  if (!STATES.includes(candidate.state as string) || candidate.counter !== counter) return undefined;
  if (typeof candidate.version !== 'number' || !Number.isSafeInteger(candidate.version)) return undefined;
  try {
    if (candidate.state === 'payment') {
      parsePaymentResource(candidate.payment);
      if (typeof candidate.paymentSrc !== 'string') return undefined;
    }
    if (candidate.state === 'survey') {
      if (candidate.payment !== undefined) parsePaymentResource(candidate.payment);
      const survey = candidate.survey as Record<string, unknown> | undefined;
      if (!survey || typeof survey.token !== 'string' || typeof survey.endpoint !== 'string' || typeof survey.counter !== 'string') return undefined;
    }
  } catch {
    return undefined;
  }
  return value as CounterState;
}
