// The implementation of `<qr-counter-screen>`: the counter channel, the screen's state machine and
// its templates. A chunk of its own in the CDN files (the element in qr-counter-screen.ts registers
// the tag and its properties, and loads this before its first paint), so a portal page that loads the
// all-in-one `motcua.js` for `<qr-payment>` alone does not carry the counter screen.
import { html, nothing, type PropertyValues, type ReactiveController, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { CounterState, PaymentResource, SurveyPrompt } from '@motcua/core';
import { isClosedWithMoney, parsePaymentResource } from '@motcua/core/protocol';
import { backoffDelay, nearestLang, resolveLocale, type Locale } from '@motcua/core/runtime';
import { isDossierRated } from '@motcua/survey-widget';
import type { SubmissionQueue } from '@motcua/survey-widget/submission-queue.js';
import { MESSAGES, type Messages } from './messages.js';
import { PaymentFeed } from './payment-feed.js';
import type { CounterScreenView, QrCounterScreen, QrCounterScreenConnectionDetail, QrCounterScreenStateDetail } from './qr-counter-screen.js';

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

const STATES = ['idle', 'payment', 'survey'];

/**
 * What `<qr-counter-screen>` does, as a controller of the element: it follows the element's
 * connection (`hostConnected`/`hostDisconnected`) and the element hands it its updates and render.
 */
export class CounterScreen implements ReactiveController {
  // What render() reads; every writer calls host.requestUpdate().
  private _counterState: CounterState | undefined;
  private _locale: Locale = 'vi';
  private _connected = false;
  /** The survey token just rated here, while the thank-you shows. */
  private _thanksToken: string | undefined;
  /** The payment whose `paid` is held on screen before the rating, while its timer runs. */
  private _paidHold: string | undefined;

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
  /** Payments already announced out loud (`announce`): never twice, whatever the channel re-sends. */
  private readonly _announced = new Set<string>();
  /** Whether the first update has connected (the element may have painted a load failure before this existed). */
  private _started = false;

  constructor(private readonly host: QrCounterScreen) {
    host.addController(this);
  }

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
    if (!this.host.counter) return 'misconfigured';
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

  hostConnected(): void {
    this._updateLocale();
    this._langObserver = new MutationObserver(() => this._updateLocale());
    this._langObserver.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this._langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    window.addEventListener('online', this._handleOnline);
    window.addEventListener('offline', this._handleOffline);
    // Ratings an earlier page left unsent (the gateway was down) go out even if no survey shows now.
    void withSharedQueue((queue) => queue.start());
    // Reconnected after a move (the first connection is made by the first update).
    if (this._started) this._connect();
  }

  hostDisconnected(): void {
    this._langObserver?.disconnect();
    window.removeEventListener('online', this._handleOnline);
    window.removeEventListener('offline', this._handleOffline);
    this._close();
    clearTimeout(this._reconnectTimer);
    clearTimeout(this._paidTimer);
    clearTimeout(this._thanksTimer);
  }

  /** The element's `willUpdate`: (re)connects on the first update and when the channel changes. */
  willUpdate(changed: PropertyValues<QrCounterScreen>): void {
    if (!this._started || changed.has('counter') || changed.has('gateway') || changed.has('screenKey')) {
      this._started = true;
      this._counterState = undefined;
      this._feed = undefined;
      this._attempt = 0;
      this._pinged = false;
      this._connect();
    }
  }

  /** The element's `updated`: announces every change of view. */
  updated(): void {
    const view = this.view;
    if (view !== this._lastView && this._counterState) {
      this._lastView = view;
      this._emit<QrCounterScreenStateDetail>('qr-counter-screen-state', { state: this._counterState, view });
    }
  }

  // ---- the counter channel ------------------------------------------------------------------

  /** Resolves a gateway path (`/api/…`) against the `gateway` attribute, or the page. */
  private _resolve(path: string): string {
    const base = this.host.gateway ? new URL(this.host.gateway, document.baseURI).href.replace(/\/?$/, '/') : document.baseURI;
    return new URL(this.host.gateway ? path.replace(/^\//, '') : path, base).href;
  }

  private _connect(): void {
    this._close();
    clearTimeout(this._reconnectTimer);
    if (!this.host.isConnected || !this.host.counter) return;
    // The paired screen's key goes in the query: EventSource cannot send headers.
    const key = this.host.screenKey ? `?key=${encodeURIComponent(this.host.screenKey)}` : '';
    const source = new EventSource(this._resolve(`/api/counters/${encodeURIComponent(this.host.counter)}/events${key}`));
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
    if (this._pinged && this.host.staleAfter > 0) this._staleTimer = setTimeout(() => this._reconnectLater(), this.host.staleAfter);
  }

  /** Drops the connection, shows "reconnecting" (QR hidden) and reconnects after the backoff. */
  private _reconnectLater(): void {
    this._close();
    this._setConnected(false);
    clearTimeout(this._reconnectTimer);
    this._reconnectTimer = setTimeout(
      () => this._connect(),
      backoffDelay(this._attempt++, { baseMs: this.host.reconnectMinMs, maxMs: this.host.reconnectMaxMs }),
    );
  }

  private _close(): void {
    this._source?.close();
    this._source = undefined;
    clearTimeout(this._staleTimer);
  }

  private _setConnected(connected: boolean): void {
    if (connected === this._connected) return;
    this._connected = connected;
    this.host.requestUpdate();
    this._emit<QrCounterScreenConnectionDetail>('qr-counter-screen-connection', { connected, attempt: this._attempt });
  }

  private _handleCounterEvent(event: MessageEvent<string>): void {
    const next = parseCounterState(event.data, this.host.counter);
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
    // Asked now, not at the end: the screen re-renders before <qr-payment> hears the payment below.
    this.host.requestUpdate();
    this._setConnected(true);
    const payment = next.state === 'idle' ? undefined : next.payment;
    this._announceIfPaid(previous, payment);
    if (payment) {
      if (this._feed?.paymentId !== payment.id) this._feed = new PaymentFeed(payment.id);
      this._feed.push(payment);
    }
    // Paid: the citizen sees the confirmation for a moment before being asked to rate.
    if (next.state === 'survey' && payment && previous?.state === 'payment' && previous.payment.id === payment.id && this.host.paidDelay > 0) {
      this._paidHold = payment.id;
      clearTimeout(this._paidTimer);
      this._paidTimer = setTimeout(() => {
        this._paidHold = undefined;
        this.host.requestUpdate();
      }, this.host.paidDelay);
    } else if (next.state !== 'survey' || payment?.id !== this._paidHold) {
      this._paidHold = undefined;
    }
    this.host.requestUpdate();
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
    this.host.requestUpdate();
    clearTimeout(this._thanksTimer);
    this._thanksTimer = setTimeout(() => {
      this._doneTokens.add(token);
      this._thanksToken = undefined;
      this.host.requestUpdate();
    }, this.host.thanksDelay);
  }

  /**
   * `announce`: a payment seen turning paid on this screen is said out loud, once. A state that is
   * paid already when the screen (re)loads is not: the citizen heard it, or has gone.
   */
  private _announceIfPaid(previous: CounterState | undefined, payment: PaymentResource | undefined): void {
    const before = previous && previous.state !== 'idle' ? previous.payment : undefined;
    if (!this.host.announce || payment?.status !== 'paid' || before?.id !== payment.id || before.status === 'paid' || this._announced.has(payment.id)) return;
    this._announced.add(payment.id);
    const locale = this._locale;
    import('./announce.js').then(
      ({ announcePayment }) => announcePayment(payment.amountPaid || payment.amount, locale),
      (error: unknown) => console.debug('motcua: the announcement could not be loaded', error),
    );
  }

  private _ratedHere(prompt: SurveyPrompt): boolean {
    return (
      this.host.surveyChannel !== 'qr' &&
      !this._doneTokens.has(prompt.token) &&
      !!prompt.dossier &&
      isDossierRated(prompt.surveyId, prompt.counter, prompt.dossier)
    );
  }

  private _updateLocale(): void {
    this._locale = resolveLocale(nearestLang(this.host) ?? document.documentElement.lang);
    this.host.requestUpdate();
  }

  private _emit<T>(name: string, detail: T): void {
    this.host.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  // ---- render ------------------------------------------------------------------------------

  private _counterLabel(messages: Messages): string {
    return this.host.counterName || this._counterState?.counterName || messages.counter(this.host.counter);
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
      <p class="welcome" part="welcome">${this.host.welcome || messages.welcome}</p>
      <slot></slot>`;
  }

  private _renderPayment(messages: Messages, paid: boolean): TemplateResult {
    const feed = this._feed;
    const payment = this._counterState?.state === 'payment' ? this._counterState.payment : undefined;
    const closed = payment && ['expired', 'cancelled'].includes(payment.status);
    // Money received on a closed payment goes to the officer: no word here invites a second payment.
    const title = paid
      ? messages.paidTitle
      : payment && isClosedWithMoney(payment)
        ? messages.officerHandles
        : closed
          ? messages.paymentClosed
          : payment?.status === 'underpaid'
            ? messages.scanToPayRest
            : messages.scanToPay;
    return html`<h2 class="title" part="title">${title}</h2>
      ${
        feed
          ? keyed(
              feed.paymentId,
              html`<qr-payment part="payment" view="customer" lang=${this._locale} .statusSource=${feed} ?hidden=${!this._connected}></qr-payment>`,
            )
          : nothing
      }
      ${this._connected ? nothing : html`<div class="notice" part="notice"><p>${messages.reconnecting}</p><p>${messages.qrHidden}</p></div>`}`;
  }

  private _renderSurvey(messages: Messages, prompt: SurveyPrompt): TemplateResult {
    const endpoint = this._resolve(prompt.endpoint);
    const counterName = this._counterLabel(messages);
    const kiosk = this.host.surveyChannel !== 'qr';
    const phone = this.host.surveyChannel !== 'kiosk' && prompt.phoneUrl;
    return html`<h2 class="title" part="title">${messages.rateTitle}</h2>
      <div class="survey">
        ${
          kiosk
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
                reset-delay=${this.host.thanksDelay}
                @qr-survey-submit=${() => this._handleRated(prompt.token)}
                @qr-survey-queued=${() => this._handleRated(prompt.token)}
              ></qr-survey>`,
              )
            : nothing
        }
        ${
          phone
            ? html`<div class="phone">
              <p>${messages.rateOnPhone}</p>
              <qr-survey part="survey-qr" mode="qr" lang=${this._locale} counter=${prompt.counter} token=${prompt.token} phone-url=${this._resolve(phone)}></qr-survey>
            </div>`
            : nothing
        }
      </div>`;
  }

  render(): TemplateResult {
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
