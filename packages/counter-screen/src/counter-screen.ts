// The implementation of `<qr-counter-screen>`: the screen's views over its controllers (the counter
// channel, the kiosk timers, the payment shown, the announcement). A chunk of its own in the CDN files
// (the element in qr-counter-screen.ts registers the tag and its properties, and loads this before its
// first paint), so a portal page that loads the all-in-one `motcua.js` for `<qr-payment>` alone does
// not carry the counter screen.
import { adoptStyles, html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { CounterState, SurveyPrompt } from '@motcua/core';
import { isClosedWithMoney, isFinalStatus } from '@motcua/core/protocol';
import { emit, LocaleController } from '@motcua/core/runtime';
import { isDossierRated } from '@motcua/survey-widget';
import type { SubmissionQueue } from '@motcua/survey-widget/submission-queue.js';
import { CounterChannel, gatewayUrl } from './counter-channel.js';
import { screenStyles } from './counter-screen.styles.js';
import { KioskTimers } from './kiosk-timers.js';
import { MESSAGES, type Messages } from './messages.js';
import { PaymentAnnouncer } from './payment-announcer.js';
import type { CounterScreenView, QrCounterScreen } from './qr-counter-screen.js';
import { ShownPayment } from './shown-payment.js';

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

/**
 * What `<qr-counter-screen>` does, as a controller of the element that composes one controller per
 * job — the counter channel, the kiosk timers, the payment shown, the announcement, and core's
 * LocaleController — into the screen's views. The element renders it once this chunk has loaded.
 */
export class CounterScreen implements ReactiveController {
  private readonly _channel: CounterChannel;
  private readonly _timers: KioskTimers;
  private readonly _shown = new ShownPayment();
  private readonly _announcer = new PaymentAnnouncer();
  /** The element's language (its own `lang`, the nearest across shadow roots, `<html lang>`); both tables are in this chunk. */
  private readonly _language: LocaleController;
  private _lastView: CounterScreenView | undefined;

  constructor(private readonly host: QrCounterScreen) {
    // The views' styles travel with them (this chunk), beside the element's own: before the first paint.
    adoptStyles(host.renderRoot as ShadowRoot, [...(host.constructor as typeof QrCounterScreen).elementStyles, screenStyles]);
    this._language = new LocaleController(host, { isLoaded: () => true });
    this._channel = new CounterChannel(host, {
      onState: (next, previous, resynced) => this._handleState(next, previous, resynced),
      onConnection: (connected, attempt) => emit(host, 'qr-counter-screen-connection', { connected, attempt }),
      onReset: () => this._shown.clear(),
    });
    this._timers = new KioskTimers(host);
    host.addController(this);
  }

  /** The counter channel's state as last received. */
  get counterState(): CounterState | undefined {
    return this._channel.state;
  }

  /** Whether the channel is connected and its state current. */
  get connected(): boolean {
    return this._channel.connected;
  }

  /** What the screen shows now. */
  get view(): CounterScreenView {
    const current = this._channel.state;
    if (!this.host.counter) return 'misconfigured';
    if (this._timers.thanksToken) return 'thanks';
    if (!current) return 'connecting';
    // The gateway says when the counter shows "paid" (state `paid`, until it moves the counter on): no timer here.
    if (current.state === 'paid') return 'paid';
    if (current.state === 'payment') return current.payment.status === 'paid' ? 'paid' : 'payment';
    if (current.state === 'survey') return this._timers.doneTokens.has(current.survey.token) ? 'idle' : 'survey';
    return 'idle';
  }

  hostConnected(): void {
    // Ratings an earlier page left unsent (the gateway was down) go out even if no survey shows now.
    void withSharedQueue((queue) => queue.start());
  }

  /** Announces every change of view. */
  hostUpdated(): void {
    const view = this.view;
    const state = this._channel.state;
    if (view !== this._lastView && state) {
      this._lastView = view;
      emit(this.host, 'qr-counter-screen-state', { state, view });
    }
  }

  // ---- handlers ----------------------------------------------------------------------------

  private _handleState(next: CounterState, previous: CounterState | undefined, resynced: boolean): void {
    // Back after a disconnection: the gateway answers again, so queued ratings need not wait for their backoff.
    if (resynced) void withSharedQueue((queue) => queue.flush());
    // The gateway closes the prompt as soon as the rating is stored, often before the widget hears
    // back from its POST: a rating made on this screen still gets its thank-you.
    if (previous?.state === 'survey' && (next.state !== 'survey' || next.survey.token !== previous.survey.token) && this._ratedHere(previous.survey)) {
      this._timers.thank(previous.survey.token);
    }
    // Asked now: the screen re-renders before <qr-payment> hears the payment below.
    this.host.requestUpdate();
    const payment = next.state === 'idle' ? undefined : next.payment;
    if (this.host.announce) this._announcer.announceIfPaid(previous, payment, this._language.locale);
    this._shown.show(payment);
  }

  private _ratedHere(prompt: SurveyPrompt): boolean {
    return (
      this.host.surveyChannel !== 'qr' &&
      !this._timers.doneTokens.has(prompt.token) &&
      !!prompt.dossier &&
      isDossierRated(prompt.surveyId, prompt.counter, prompt.dossier)
    );
  }

  // ---- render ------------------------------------------------------------------------------

  private _counterLabel(messages: Messages): string {
    return this.host.counterName || this._channel.state?.counterName || messages.counter(this.host.counter);
  }

  private _renderConnection(messages: Messages): TemplateResult | typeof nothing {
    if (this._channel.connected) return nothing;
    const reconnecting = this._channel.state !== undefined;
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
    const feed = this._shown.feed;
    const current = this._channel.state;
    const payment = current?.state === 'payment' || current?.state === 'paid' ? current.payment : undefined;
    const closed = payment && payment.status !== 'paid' && isFinalStatus(payment.status);
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
              html`<qr-payment part="payment" view="customer" lang=${this._language.locale} .statusSource=${feed} ?hidden=${!this._channel.connected}></qr-payment>`,
            )
          : nothing
      }
      ${this._channel.connected ? nothing : html`<div class="notice" part="notice"><p>${messages.reconnecting}</p><p>${messages.qrHidden}</p></div>`}`;
  }

  private _renderSurvey(messages: Messages, prompt: SurveyPrompt): TemplateResult {
    const endpoint = gatewayUrl(this.host.gateway, prompt.endpoint);
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
                lang=${this._language.locale}
                endpoint=${endpoint}
                counter=${prompt.counter}
                counter-name=${counterName}
                officer=${prompt.officer ?? ''}
                dossier=${prompt.dossier ?? ''}
                token=${prompt.token}
                survey=${prompt.surveyId}
                reset-delay=${this.host.thanksDelay}
                @qr-survey-submit=${() => this._timers.thank(prompt.token)}
                @qr-survey-queued=${() => this._timers.thank(prompt.token)}
              ></qr-survey>`,
              )
            : nothing
        }
        ${
          phone
            ? html`<div class="phone">
              <p>${messages.rateOnPhone}</p>
              <qr-survey
                part="survey-qr"
                mode="qr"
                lang=${this._language.locale}
                counter=${prompt.counter}
                counter-name=${counterName}
                token=${prompt.token}
                phone-url=${gatewayUrl(this.host.gateway, phone)}
              ></qr-survey>
            </div>`
            : nothing
        }
      </div>`;
  }

  render(): TemplateResult {
    const messages = MESSAGES[this._language.locale];
    const view = this.view;
    const current = this._channel.state;
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
