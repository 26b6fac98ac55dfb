import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { decodeVietQR, encodeVietQR, toMemo, VietQRError, type PaymentResource } from '@motcua/core';
import { amountDue, amountToRefund, isClosedWithMoney, isFinalStatus, parsePaymentResource, qrForAmountDue, type PaymentStatus } from '@motcua/core/protocol';
import { formatVnd, lazy, nearestLang, resolveLocale, type Locale } from '@motcua/core/runtime';
import { loadMessages, MESSAGES, type Messages } from './messages.js';
import { holdPrintIsolation, releasePrintIsolation } from './print-isolation.js';
import { drawQrSymbol, encodeQrSymbol, qrPaletteProblem, snapQrSize, type QrSymbol } from './qr-matrix.js';
import { styles } from './qr-payment.styles.js';
import { isNewerPayment } from './is-newer-payment.js';
import type { PaymentTransport, PaymentWatcher, watchPayment } from './watch-payment.js';

/** Where `view` puts the widget: the officer's PC, the citizen-facing screen, or a printed A6 slip. */
export type QrPaymentView = 'officer' | 'customer' | 'print';

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

/** `detail` of `qr-payment-status`. */
export interface QrPaymentStatusDetail {
  status: PaymentStatus;
  previousStatus: PaymentStatus | undefined;
  payment: PaymentResource;
}
/** `detail` of `qr-payment-paid`, `qr-payment-expired` and `qr-payment-regenerate`. */
export interface QrPaymentDetail {
  payment: PaymentResource;
}
/** `detail` of `qr-payment-error`. */
export interface QrPaymentErrorDetail {
  /**
   * Machine-readable: a watcher code (`HTTP_ERROR`, `TIMEOUT`…), a VietQR code (`INVALID_AMOUNT`…) or
   * `UNKNOWN_BANK`, `INVALID_QR`, `QR_MISMATCH`, `SOURCE_ERROR`; `UNREADABLE_PALETTE` (recoverable)
   * when `--motcua-qr-dark`/`--motcua-qr-light` would make a QR phones cannot read, so it is drawn
   * black on white instead.
   */
  code: string;
  /** Human-readable technical message (English). */
  message: string;
  /** The attribute or field at fault, when there is one. */
  field?: string;
  /** Whether the widget is still showing a usable payment (a connection problem) or nothing (fatal). */
  recoverable: boolean;
}

/** What the widget displays, from whichever input mode. */
interface PaymentDetails {
  qr: string;
  bin: string;
  /** The account number; for a merchant (QR Push) or cash-withdrawal QR, the merchant or ATM id. */
  account: string;
  /** Set for a bank-issued merchant QR or a cash-withdrawal QR (payload mode): no account to copy. */
  service?: 'merchant' | 'cash';
  accountName?: string;
  /** VND, digits only. */
  amount?: string;
  memo?: string;
}

type Failure = { code: string; message: string; field?: string; hint?: string };

class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const COPY_KINDS = ['account', 'amount', 'memo'] as const;
type CopyKind = (typeof COPY_KINDS)[number];

const INPUT_PROPERTIES = ['src', 'statusSource', 'payload', 'bank', 'account', 'accountName', 'amount', 'purpose'] as const;

/**
 * A VietQR payment that confirms itself: renders the QR, the amount and the transfer details, and
 * follows the payment's status from a wire-protocol server (SSE, falling back to polling), a
 * host-supplied status source, or shows a static QR it encodes itself.
 *
 * @summary The self-confirming payment QR.
 *
 * @event qr-payment-status - Every new version of the payment. `detail: { status, previousStatus, payment }`.
 * @event qr-payment-paid - Exactly once, when the payment becomes `paid`. `detail: { payment }`.
 * @event qr-payment-expired - When the payment becomes `expired`. `detail: { payment }`.
 * @event qr-payment-error - Every failure. `detail: { code, message, field?, recoverable }`.
 * @event qr-payment-regenerate - The officer asked for a new code after expiry. `detail: { payment }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart qr-frame - The square box holding the QR, the skeleton or a status panel.
 * @csspart qr - The QR `<svg>`.
 * @csspart skeleton - The placeholder shown while the payment loads.
 * @csspart paid - The "paid" panel that replaces the QR.
 * @csspart closed - The panel that replaces the QR of an expired or cancelled payment (with the money received, if any: an officer handles it, no new code is offered).
 * @csspart summary - Once money has come in: the fee, what was received, what is still due and what will be refunded, in words.
 * @csspart amount - The amount.
 * @csspart status - The status line (an ARIA live region).
 * @csspart countdown - Time left before expiry.
 * @csspart details - The `<dl>` of bank, account, holder and memo.
 * @csspart actions - The row of action buttons.
 * @csspart button - Every button (also `copy-button`, `download-button`, `retry-button`, `regenerate-button`).
 * @csspart warning - The connection-problem banner.
 * @csspart error - The error panel.
 * @csspart instructions - The printed instructions (print view).
 *
 * @cssproperty --motcua-qr-size - Width of the QR box (never below 200px). Default 240px; customer view min(80vmin, 480px); print 60mm. The symbol is drawn at the largest size within it whose modules are whole device pixels.
 * @cssproperty --motcua-qr-dark - QR module colour. Default #000. An opaque colour at least 3:1 darker than the background, or the QR is drawn black on white (`UNREADABLE_PALETTE`).
 * @cssproperty --motcua-qr-light - QR background and quiet zone. Default #fff.
 * @cssproperty --motcua-font-family
 * @cssproperty --motcua-color-text
 * @cssproperty --motcua-color-background
 * @cssproperty --motcua-color-accent - Buttons and focus.
 * @cssproperty --motcua-color-on-accent - Text on accent-coloured buttons.
 * @cssproperty --motcua-color-focus - The focus ring.
 * @cssproperty --motcua-color-skeleton - The loading placeholder.
 * @cssproperty --motcua-color-success
 * @cssproperty --motcua-color-warning
 * @cssproperty --motcua-color-danger
 * @cssproperty --motcua-color-success-background - Behind the "paid" panel.
 * @cssproperty --motcua-color-warning-background - Behind the connection-problem banner.
 * @cssproperty --motcua-color-danger-background - Behind the error panel.
 * @cssproperty --motcua-color-muted
 * @cssproperty --motcua-radius
 * @cssproperty --motcua-padding
 * @cssproperty --motcua-max-width
 */
export class QrPayment extends LitElement {
  static override styles = styles;

  // Plain fields, not @state() (each decorated field costs ~300 bytes of lowered code): every method
  // that changes them calls requestUpdate() — _start, _show, _receive, _fail, onRecover, the ticker,
  // _updateLocale and the copy and download handlers.
  /** The language shown: only ever one whose messages have loaded. */
  private _locale: Locale = 'vi';
  private _phase: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  /** The polite live region's text. */
  private _announcement = '';
  private _payment: PaymentResource | undefined;
  private _details: PaymentDetails | undefined;
  private _symbol: QrSymbol | undefined;
  /** Fatal: nothing usable to show. */
  private _failure: Failure | undefined;
  /** A connection problem while a payment is shown. */
  private _connectionFailure: Failure | undefined;
  private _now = Date.now();
  /** The symbol whose palette was last checked, and whether that palette was refused. */
  private _paletteCheckedFor: QrSymbol | undefined;
  private _defaultPalette = false;
  /** Re-fits the QR to whole device pixels when its box or the device pixel ratio changes. */
  private _resizeObserver: ResizeObserver | undefined;

  /** URL of the payment resource (wire protocol). The widget follows `${src}/events` and polls `src`. */
  @property({ attribute: 'src' }) accessor src = '';
  /** A ready VietQR payload to render (decoded for the details shown). */
  @property({ attribute: 'payload' }) accessor payload = '';
  /** Static mode: the bank's BIN (or code, e.g. `VCB`). */
  @property({ attribute: 'bank' }) accessor bank = '';
  /** Static mode: the account number. */
  @property({ attribute: 'account' }) accessor account = '';
  /** Static mode (and payload mode): the account holder shown. */
  @property({ attribute: 'account-name' }) accessor accountName = '';
  /** Static mode: the amount in VND (digits). Leave out for a QR where the payer types the amount. */
  @property({ attribute: 'amount' }) accessor amount = '';
  /** Static mode: the transfer memo, ASCII without diacritics, at most 25 characters. */
  @property({ attribute: 'purpose' }) accessor purpose = '';
  /** `officer` (default): details and actions; `customer`: large QR and amount; `print`: an A6 slip. */
  @property({ attribute: 'view', reflect: true }) accessor view: QrPaymentView = 'officer';
  /** Polling: first delay, ms. */
  @property({ attribute: 'poll-min-ms', type: Number }) accessor pollMinMs = 2000;
  /** Polling: longest delay, ms. */
  @property({ attribute: 'poll-max-ms', type: Number }) accessor pollMaxMs = 10_000;
  /** Per-request timeout, ms. */
  @property({ attribute: 'request-timeout-ms', type: Number }) accessor requestTimeoutMs = 6000;
  /** Set to skip SSE and poll only. */
  @property({ attribute: 'no-sse', type: Boolean }) accessor noSse = false;
  /** A host-supplied status source (property only), see {@link PaymentStatusSource}. Wins over `src`. */
  @property({ attribute: false }) accessor statusSource: PaymentStatusSource | undefined;

  private _controller: AbortController | undefined;
  private _watcher: PaymentWatcher | undefined;
  private _paidAnnounced = false;
  private _ticker: ReturnType<typeof setInterval> | undefined;
  private _expiryChecked = false;
  private _langObserver: MutationObserver | undefined;
  private _transport: PaymentTransport | undefined;
  /** Lazy chunks this element waits for (the bank directory, the watcher); `updateComplete` waits too. */
  private _loads = new Set<Promise<void>>();
  /** The load of the wanted locale's messages (English is lazy); the first paint waits for it. */
  private _localePending: Promise<void> | undefined;

  /** The payment as last received (src or statusSource modes). */
  get payment(): PaymentResource | undefined {
    return this._payment;
  }

  /** The payment status, or undefined for a static QR or while loading. */
  get status(): PaymentStatus | undefined {
    return this._payment?.status;
  }

  /** How the status is followed in `src` mode: `sse` or `polling`. */
  get transport(): PaymentTransport | undefined {
    return this._transport;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._updateLocale();
    this._langObserver = new MutationObserver(() => this._updateLocale());
    this._langObserver.observe(this, { attributes: true, attributeFilter: ['lang'] });
    this._langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    if (this.view === 'print') holdPrintIsolation(this);
    // Reconnected after a move: start again (willUpdate only sees property changes).
    if (this.hasUpdated) this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stop();
    clearInterval(this._ticker);
    this._ticker = undefined;
    this._langObserver?.disconnect();
    this._resizeObserver?.disconnect();
    this._resizeObserver = undefined;
    releasePrintIsolation(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view')) {
      if (this.view === 'print' && this.isConnected) holdPrintIsolation(this);
      else releasePrintIsolation(this);
    }
    if (!this.hasUpdated || INPUT_PROPERTIES.some((name) => changed.has(name))) this._start();
  }

  /** No first paint in the wrong language: wait for the messages of the wanted locale. */
  protected override shouldUpdate(): boolean {
    return this.hasUpdated || !this._localePending;
  }

  /** Also waits for the locale's messages and the bank directory while they load, so the first paint is whole. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this._localePending || this._loads.size) {
      await this._localePending;
      await Promise.all(this._loads);
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override updated(): void {
    this._syncTicker();
    this._checkQr();
  }

  // ---- inputs ------------------------------------------------------------------------------

  private _start(): void {
    this._stop();
    this.requestUpdate();
    this._payment = undefined;
    this._details = undefined;
    this._symbol = undefined;
    this._failure = undefined;
    this._connectionFailure = undefined;
    this._paidAnnounced = false;
    this._expiryChecked = false;
    this._transport = undefined;
    if (!this.isConnected) return;
    try {
      if (this.statusSource) {
        this._phase = 'loading';
        this._consumeSource(this.statusSource, this._newSignal());
      } else if (this.src) {
        // The watcher is a lazy chunk of the CDN build; the skeleton shows while it and the payment load.
        this._phase = 'loading';
        const signal = this._newSignal();
        const src = this.src;
        this._track(
          import('./watch-payment.js').then(
            (module) => {
              if (!signal.aborted) this._watch(module.watchPayment, src, signal);
            },
            (error: unknown) => {
              if (!signal.aborted) this._fail({ code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) }, false);
            },
          ),
        );
      } else if (this.payload) {
        this._show(this._detailsFromPayload(this.payload));
      } else if (this.bank || this.account) {
        // A bank code (`VCB`) needs the directory before the QR can be encoded.
        if (banks.value) this._show(this._detailsFromAttributes());
        else {
          this._phase = 'loading';
          const signal = this._newSignal();
          this._loadBanks(() => signal.aborted || this._start());
        }
        return;
      } else {
        this._phase = 'idle';
      }
    } catch (error) {
      this._fail(toFailure(error), false);
    }
    // The bank name appears once the directory has loaded; the BIN is shown until then.
    if (!banks.value) this._loadBanks(() => this.requestUpdate());
  }

  private _loadBanks(then: () => void): void {
    this._track(
      banks.load().then(then, (error: unknown) => {
        if (this.bank || this.account) this._fail({ code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) }, false);
      }),
    );
  }

  /** Waits for `load` in `updateComplete` until it settles; `load` handles its own errors. */
  private _track(load: Promise<void>): void {
    this._loads.add(load);
    void load.then(() => this._loads.delete(load));
  }

  private _stop(): void {
    this._controller?.abort();
    this._controller = undefined;
    this._watcher = undefined;
  }

  private _newSignal(): AbortSignal {
    this._controller = new AbortController();
    return this._controller.signal;
  }

  private _watch(watch: typeof watchPayment, src: string, signal: AbortSignal): void {
    this._watcher = watch(src, {
      signal,
      pollMinMs: this.pollMinMs,
      pollMaxMs: this.pollMaxMs,
      requestTimeoutMs: this.requestTimeoutMs,
      useSse: !this.noSse,
      onUpdate: (payment) => this._receive(payment),
      onError: (error) => this._fail({ code: error.code, message: error.message }, true),
      onRecover: () => {
        this._connectionFailure = undefined;
        this.requestUpdate();
      },
      onTransport: (transport) => {
        this._transport = transport;
      },
    });
    this._transport = this._watcher.transport;
  }

  private _consumeSource(source: PaymentStatusSource, signal: AbortSignal): void {
    const receive = (value: unknown) => {
      if (signal.aborted) return;
      try {
        this._receive(parsePaymentResource(value));
      } catch (error) {
        this._fail(toFailure(error), true);
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
        if (!signal.aborted) {
          this._fail({ code: 'SOURCE_ERROR', message: error instanceof Error ? error.message : String(error) }, true);
        }
      }
    })();
  }

  /** Static mode: encodes the VietQR from the attributes. Throws InputError for anything wrong. */
  private _detailsFromAttributes(): PaymentDetails {
    const bank = banks.value?.findBank(this.bank);
    if (!bank) {
      throw new InputError(/^\d{6}$/.test(this.bank.trim()) ? 'UNKNOWN_BANK' : 'INVALID_BIN', `No bank with BIN or code "${this.bank}".`, 'bank');
    }
    const amount = this.amount.trim();
    if (amount !== '' && !/^\d{1,13}$/.test(amount)) {
      throw new InputError('INVALID_AMOUNT', `The amount "${this.amount}" is not a whole number of VND with at most 13 digits.`, 'amount');
    }
    if (amount !== '' && /^0+$/.test(amount)) throw new InputError('INVALID_AMOUNT', 'The amount must be greater than zero.', 'amount');
    const purpose = this.purpose.trim();
    // Bank apps keep only plain ASCII in the memo; converting silently would put a memo on the QR
    // that the officer did not write, so we refuse and suggest the converted text instead.
    if (purpose && toMemo(purpose, purpose.length) !== purpose) {
      throw new InputError(
        'NOT_ASCII',
        `The purpose "${purpose}" must be plain ASCII without diacritics: letters, digits, spaces and . , - _ / : ( ) +.`,
        'purpose',
        toMemo(purpose),
      );
    }
    const qr = encodeVietQR({ bin: bank.bin, account: this.account.trim(), ...(amount ? { amount } : {}), ...(purpose ? { purpose } : {}) });
    return {
      qr,
      bin: bank.bin,
      account: this.account.trim(),
      ...(this.accountName ? { accountName: this.accountName } : {}),
      ...(amount ? { amount: amount.replace(/^0+/, '') } : {}),
      ...(purpose ? { memo: purpose } : {}),
    };
  }

  private _detailsFromPayload(payload: string): PaymentDetails {
    const data = decodeVietQR(payload.trim());
    const accountName = this.accountName || data.merchantName;
    return {
      qr: payload.trim(),
      bin: data.bin,
      // Exactly one of account (a transfer) and merchantId (a merchant or cash QR) is set.
      account: (data.account ?? data.merchantId)!,
      ...(data.account === undefined ? { service: data.service as 'merchant' | 'cash' } : {}),
      ...(accountName ? { accountName } : {}),
      ...(data.amount ? { amount: data.amount } : {}),
      ...(data.purpose ? { memo: data.purpose } : {}),
    };
  }

  private _detailsFromPayment(payment: PaymentResource): PaymentDetails {
    let data: ReturnType<typeof decodeVietQR>;
    try {
      data = decodeVietQR(payment.qr);
    } catch (error) {
      throw new InputError('INVALID_QR', `The payment's QR is invalid: ${error instanceof Error ? error.message : String(error)}`, 'qr');
    }
    const due = amountDue(payment);
    if (
      data.bin !== payment.bank.bin ||
      data.account !== payment.bank.account ||
      (data.amount !== undefined && data.amount !== String(payment.amount) && data.amount !== String(due))
    ) {
      throw new InputError('QR_MISMATCH', "The payment's QR does not carry its bank, account and amount.", 'qr');
    }
    return {
      // While underpaid, a QR for the amount still due only: a second scan must never pay the whole fee again.
      qr: qrForAmountDue(payment),
      bin: payment.bank.bin,
      account: payment.bank.account,
      accountName: payment.bank.accountName,
      amount: String(due),
      memo: data.purpose ?? payment.code,
    };
  }

  private _show(details: PaymentDetails): void {
    let symbol: QrSymbol;
    try {
      symbol = encodeQrSymbol(details.qr);
    } catch (error) {
      throw new InputError('QR_TOO_LONG', error instanceof Error ? error.message : String(error), 'qr');
    }
    this._details = details;
    this._symbol = symbol;
    this._failure = undefined;
    this._phase = 'ready';
    this.requestUpdate();
  }

  /** A payment from the server or the status source. */
  private _receive(next: PaymentResource): void {
    const current = this._payment;
    if (current && next.id !== current.id) {
      this._fail({ code: 'ID_MISMATCH', message: `Expected payment "${current.id}", received "${next.id}".` }, true);
      return;
    }
    if (!isNewerPayment(current, next)) return;
    this.requestUpdate();
    try {
      // A final payment needs no scannable QR; anything else must carry a QR that matches it. The
      // amount shown is then the fee, not what the last QR asked for (the rest of a short payment).
      if (isFinalStatus(next.status) && current) this._details = { ...this._detailsFromPayment(current), amount: String(next.amount) };
      else this._show(this._detailsFromPayment(next));
    } catch (error) {
      if (!isFinalStatus(next.status)) {
        this._fail(toFailure(error), false);
        return;
      }
    }
    this._payment = next;
    this._phase = 'ready';
    this._failure = undefined;
    this._connectionFailure = undefined;
    const messages = this._messages;
    if (next.status !== current?.status) {
      const refund = amountToRefund(next);
      if (next.status === 'paid') {
        this._announcement =
          messages.paidAnnouncement(formatVnd(next.amountPaid || next.amount, this._locale)) +
          (refund ? `. ${messages.refund(formatVnd(refund, this._locale))}` : '');
      } else if (next.status === 'underpaid') this._announcement = messages.amountDue(formatVnd(amountDue(next), this._locale));
      else if (isClosedWithMoney(next)) this._announcement = messages.officerHandles(formatVnd(next.amountPaid, this._locale));
      else this._announcement = messages.status[next.status];
    }
    this._emit<QrPaymentStatusDetail>('qr-payment-status', { status: next.status, previousStatus: current?.status, payment: next });
    if (next.status === 'paid' && !this._paidAnnounced) {
      this._paidAnnounced = true;
      this._emit<QrPaymentDetail>('qr-payment-paid', { payment: next });
    }
    if (next.status === 'expired' && current?.status !== 'expired') this._emit<QrPaymentDetail>('qr-payment-expired', { payment: next });
  }

  private _fail(failure: Failure, connection: boolean): void {
    const recoverable = connection && this._payment !== undefined;
    this.requestUpdate();
    if (recoverable) this._connectionFailure = failure;
    else {
      this._failure = failure;
      this._phase = 'error';
    }
    this._emit<QrPaymentErrorDetail>('qr-payment-error', {
      code: failure.code,
      message: failure.message,
      ...(failure.field ? { field: failure.field } : {}),
      recoverable,
    });
  }

  // ---- locale and time ----------------------------------------------------------------------

  private _updateLocale(): void {
    const locale = resolveLocale(nearestLang(this) ?? document.documentElement.lang);
    if (MESSAGES[locale]) {
      this._localePending = undefined;
      this._locale = locale;
      this.requestUpdate();
      return;
    }
    // Until the table arrives the current language stays (or, before the first paint, nothing shows).
    const pending = (this._localePending = loadMessages(locale).then(
      () => {
        if (this._localePending !== pending) return;
        this._localePending = undefined;
        this._updateLocale();
      },
      () => {
        // Unreachable messages: Vietnamese rather than nothing.
        if (this._localePending !== pending) return;
        this._localePending = undefined;
        this.requestUpdate();
      },
    ));
  }

  private get _messages(): Messages {
    return MESSAGES[this._locale] ?? MESSAGES.vi;
  }

  private _syncTicker(): void {
    const payment = this._payment;
    const running = payment !== undefined && !isFinalStatus(payment.status) && this.isConnected;
    if (running && !this._ticker) {
      this._ticker = setInterval(() => {
        this._now = Date.now();
        this.requestUpdate();
      }, 1000);
    } else if (!running && this._ticker) {
      clearInterval(this._ticker);
      this._ticker = undefined;
    }
  }

  // ---- drawing -----------------------------------------------------------------------------

  /** A QR phones can read: a readable palette (else black on white, and why), modules on whole device pixels. */
  private _checkQr(): void {
    const symbol = this._symbol;
    if (!symbol || this._paletteCheckedFor === symbol) {
      this._fitQr();
      return;
    }
    this._paletteCheckedFor = symbol;
    const style = getComputedStyle(this);
    const problem = qrPaletteProblem(
      style.getPropertyValue('--motcua-qr-dark').trim() || '#000000',
      style.getPropertyValue('--motcua-qr-light').trim() || '#ffffff',
    );
    if (this._defaultPalette !== Boolean(problem)) {
      this._defaultPalette = Boolean(problem);
      this.requestUpdate();
    }
    if (problem) {
      const message = `${problem}: drawn black on white instead, so that phones can read it.`;
      console.warn(`<qr-payment>: ${message}`);
      this._emit<QrPaymentErrorDetail>('qr-payment-error', { code: 'UNREADABLE_PALETTE', message, field: '--motcua-qr-dark', recoverable: true });
    }
    this._fitQr();
  }

  /** Sizes the symbol to the largest fit of its box with every module a whole number of device pixels. */
  private _fitQr(): void {
    const frame = this.renderRoot.querySelector<HTMLElement>('.qr-frame');
    if (frame && !this._resizeObserver) {
      this._resizeObserver = new ResizeObserver(() => this._fitQr());
      try {
        // Also fires when only the device pixel ratio changes (zoom, another screen).
        this._resizeObserver.observe(frame, { box: 'device-pixel-content-box' });
      } catch {
        this._resizeObserver.observe(frame);
      }
    }
    const svg = frame?.querySelector<SVGSVGElement>('svg.qr');
    if (!svg || !this._symbol) return;
    // Width and height as presentation attributes (CSS px), not a style attribute: nothing for a strict CSP to weigh.
    const size = String(snapQrSize(frame!.getBoundingClientRect().width, this._symbol.viewSize, window.devicePixelRatio || 1));
    if (svg.getAttribute('width') !== size) {
      svg.setAttribute('width', size);
      svg.setAttribute('height', size);
    }
  }

  // ---- handlers ----------------------------------------------------------------------------

  private async _handleCopy(kind: CopyKind): Promise<void> {
    const details = this._details;
    if (!details) return;
    const text = kind === 'account' ? details.account : kind === 'amount' ? (details.amount ?? '') : (details.memo ?? '');
    const messages = this._messages;
    // Clear first so the same confirmation twice in a row is announced twice.
    this._announcement = '';
    this.requestUpdate();
    await this.updateComplete;
    try {
      await navigator.clipboard.writeText(text);
      this._announcement = messages.copied[kind];
    } catch {
      this._announcement = messages.copyFailed;
    }
    this.requestUpdate();
  }

  private async _handleDownload(): Promise<void> {
    try {
      const blob = await this.toPngBlob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `vietqr-${this._payment?.code ?? this._details?.account ?? 'payment'}.png`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      this._announcement = this._messages.downloadFailed;
      this.requestUpdate();
    }
  }

  private _handleRetry(): void {
    if (this._watcher && this._payment) {
      this._watcher.refresh();
    } else {
      this._start();
      this.requestUpdate();
    }
  }

  private _handleRegenerate(): void {
    if (this._payment) this._emit<QrPaymentDetail>('qr-payment-regenerate', { payment: this._payment });
  }

  private _emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  // ---- public methods ----------------------------------------------------------------------

  /** Checks the payment's status now (src mode), or starts again after an error. */
  refresh(): void {
    this._handleRetry();
  }

  /**
   * The QR as a PNG (with its quiet zone), `scale` pixels per module.
   * Rejects when no QR is shown.
   */
  toPngBlob(scale = 10): Promise<Blob> {
    const symbol = this._symbol;
    if (!symbol) return Promise.reject(new Error('No QR code is shown.'));
    const canvas = drawQrSymbol(symbol, scale);
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be created.'))), 'image/png'));
  }

  // ---- render ------------------------------------------------------------------------------

  private _renderQrFrame(messages: Messages): TemplateResult {
    const status = this._payment?.status;
    const details = this._details;
    let content: unknown;
    if (this._phase === 'error' && this._failure) {
      const failure = this._failure;
      content = html`<div class="panel panel-error" part="error" role="alert">
        <strong>${messages.errorTitle}</strong>
        <p>${messages.errors[failure.code] ?? messages.errors.UNKNOWN}</p>
        ${failure.hint ? html`<p>“${failure.hint}”</p>` : nothing}
        ${this._canRetry() ? html`<button part="button retry-button" class="primary" @click=${this._handleRetry}>${messages.retry}</button>` : nothing}
      </div>`;
    } else if (status === 'paid' && this._payment) {
      const refund = amountToRefund(this._payment);
      content = html`<div class="panel panel-paid" part="paid">
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"></path></svg>
        <span>${messages.status.paid}</span>
        <span>${formatVnd(this._payment.amountPaid || this._payment.amount, this._locale)}</span>
        ${refund ? html`<span class="refund">${messages.refund(formatVnd(refund, this._locale))}</span>` : nothing}
      </div>`;
    } else if ((status === 'expired' || status === 'cancelled') && this._payment) {
      // Money received on a closed payment: say who handles it, never invite a second payment.
      const text = isClosedWithMoney(this._payment) ? messages.officerHandles(formatVnd(this._payment.amountPaid, this._locale)) : messages.status[status];
      content = html`<div class="panel panel-closed" part="closed"><span>${text}</span></div>`;
    } else if (this._symbol && details) {
      const symbol = this._symbol;
      const label = (details.service === 'merchant' ? messages.qrLabelMerchant : details.service === 'cash' ? messages.qrLabelCash : messages.qrLabel)(
        details.amount ? formatVnd(details.amount, this._locale) : undefined,
        bankName(details.bin),
        details.account,
      );
      content = html`<svg
        part="qr"
        class=${this._defaultPalette ? 'qr qr-default-palette' : 'qr'}
        role="img"
        aria-label=${label}
        viewBox="0 0 ${symbol.viewSize} ${symbol.viewSize}"
        shape-rendering="crispEdges"
        xmlns="http://www.w3.org/2000/svg"
      ><rect class="qr-light" fill="#ffffff" width=${symbol.viewSize} height=${symbol.viewSize}></rect><path class="qr-dark" fill="#000000" d=${symbol.path}></path></svg>`;
    } else {
      content = html`<div class="skeleton" part="skeleton" role="img" aria-label=${messages.loading}></div>`;
    }
    return html`<div class="qr-frame" part="qr-frame">${content}</div>`;
  }

  private _canRetry(): boolean {
    return Boolean(this.statusSource || this.src);
  }

  private _renderStatus(messages: Messages): TemplateResult {
    const payment = this._payment;
    let text = '';
    if (payment) {
      text =
        payment.status === 'underpaid'
          ? `${messages.status.underpaid}. ${messages.amountDue(formatVnd(amountDue(payment), this._locale))}`
          : messages.status[payment.status];
    } else if (this._phase === 'ready') {
      text = messages.statusStatic;
    } else if (this._phase === 'loading') {
      text = messages.loading;
    }
    // The live region is always in the DOM so that changes to it are announced; the paid
    // announcement goes through _announcement once (see _receive), not through this line.
    return html`<p class="status ${payment ? `status-${payment.status}` : ''}" part="status">${text}</p>`;
  }

  /** Once money has come in: fee, received, still due (while underpaid), to refund — one line each. */
  private _renderSummary(messages: Messages): TemplateResult | typeof nothing {
    const payment = this._payment;
    if (!payment || payment.amountPaid === 0 || this.view === 'print') return nothing;
    const { fee, received, remaining, refund } = messages.summary;
    const rows: Array<[string, number]> = [
      [fee, payment.amount],
      [received, payment.amountPaid],
    ];
    if (payment.status === 'underpaid') rows.push([remaining, amountDue(payment)]);
    if (amountToRefund(payment)) rows.push([refund, amountToRefund(payment)]);
    return html`<dl class="summary" part="summary">
      ${rows.map(([label, value]) => html`<div><dt>${label}</dt> <dd>${formatVnd(value, this._locale)}</dd> </div>`)}
    </dl>`;
  }

  private _renderCountdown(messages: Messages): TemplateResult | typeof nothing {
    const payment = this._payment;
    if (!payment || isFinalStatus(payment.status)) return nothing;
    const remaining = Math.max(0, Date.parse(payment.expiresAt) - this._now);
    if (remaining === 0 && !this._expiryChecked) {
      // The server decides expiry; ask it once as soon as our clock says time is up.
      this._expiryChecked = true;
      queueMicrotask(() => this._watcher?.refresh());
    }
    return html`<p class="countdown" part="countdown" role="timer">
      ${remaining === 0 ? messages.expired : `${messages.expiresIn} ${formatDuration(remaining)}`}
    </p>`;
  }

  private _renderDetails(messages: Messages, withCopy: boolean): TemplateResult {
    const details = this._details;
    const loading = !details;
    // dt/dd pairs grouped in <div>s (allowed in a <dl>); the copy button sits inside the <dd>.
    const row = (label: string, value: string | undefined, copy?: CopyKind) => html`<div class="row">
      <dt>${label}</dt>
      <dd>
        <span class="value">${loading ? html`<span class="line"></span>` : (value ?? '—')}</span>
        ${
          withCopy && copy && value
            ? html`<button part="button copy-button" class="copy" data-copy=${copy} @click=${() => void this._handleCopy(copy)}>
              ${messages.copy[copy]}
            </button>`
            : nothing
        }
      </dd>
    </div>`;
    return html`<dl part="details">
      ${row(messages.bank, details && bankName(details.bin))}
      ${
        details?.service
          ? row(details.service === 'merchant' ? messages.merchantId : messages.atmId, details.account)
          : row(messages.account, details?.account, 'account')
      }
      ${details?.accountName || loading ? row(messages.accountName, details?.accountName) : nothing}
      ${this.view !== 'customer' ? row(messages.amount, details?.amount ? formatVnd(details.amount, this._locale) : undefined, 'amount') : nothing}
      ${row(messages.memo, details?.memo, 'memo')}
    </dl>`;
  }

  private _renderActions(messages: Messages): TemplateResult | typeof nothing {
    if (this.view !== 'officer') return nothing;
    const status = this._payment?.status;
    const buttons: TemplateResult[] = [];
    if (this._symbol && status !== 'paid' && status !== 'expired' && status !== 'cancelled') {
      buttons.push(html`<button part="button download-button" @click=${() => void this._handleDownload()}>${messages.download}</button>`);
    }
    if (status === 'expired' && !isClosedWithMoney(this._payment!)) {
      buttons.push(html`<button part="button regenerate-button" class="primary" @click=${this._handleRegenerate}>${messages.regenerate}</button>`);
    }
    return buttons.length ? html`<div class="actions" part="actions">${buttons}</div>` : nothing;
  }

  override render(): TemplateResult {
    const messages = this._messages;
    const details = this._details;
    const view = this.view;
    const showDetails = this._phase !== 'error' || details !== undefined;
    const amountText = details?.amount ? formatVnd(details.amount, this._locale) : '';
    return html`<div class="base" part="base" lang=${this._locale}>
      ${view === 'print' ? html`<h2>${messages.slipTitle}</h2>` : nothing}
      ${this._renderQrFrame(messages)}
      <p class="amount" part="amount">${amountText || (this._phase === 'loading' ? html`<span class="line"></span>` : '')}</p>
      ${this._renderStatus(messages)} ${this._renderSummary(messages)} ${this._renderCountdown(messages)}
      ${
        this._connectionFailure
          ? html`<p class="warning" part="warning">
            <span>${messages.connectionProblem} ${messages.reconnecting}</span>
            <button part="button retry-button" @click=${this._handleRetry}>${messages.retry}</button>
          </p>`
          : nothing
      }
      ${showDetails ? this._renderDetails(messages, view === 'officer') : nothing}
      ${view === 'print' ? html`<ol class="instructions" part="instructions">${messages.instructions.map((line) => html`<li>${line}</li>`)}</ol>` : nothing}
      ${this._renderActions(messages)}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
    </div>`;
  }
}

// The bank directory (2.4 KB gzip) loads after the first paint; `bankName` shows the BIN until then.
const banks = lazy(() => import('@motcua/core/banks'));

function bankName(bin: string): string {
  return banks.value?.findBank(bin)?.shortName ?? `BIN ${bin}`;
}

function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

function toFailure(error: unknown): Failure {
  if (error instanceof InputError) {
    return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (error instanceof VietQRError) return { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return { code: error.code, message: error.message };
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}
