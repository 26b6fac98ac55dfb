import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { decodeVietQR, encodeVietQR, toMemo, type PaymentResource } from '@motcua/core';
import { amountDue, amountToRefund, isClosedWithMoney, isFinalStatus, isNewerPayment, qrForAmountDue, type PaymentStatus } from '@motcua/core/protocol';
import { emit, formatVnd, lazy, LoadController, LocaleController } from '@motcua/core/runtime';
import { loadMessages, MESSAGES, type Messages } from './messages.js';
import { encodeQrSymbol, type QrSymbol } from '@motcua/core/qr';
import { CountdownController } from './countdown.js';
import { InputError, toFailure, type Failure } from './failure.js';
import { PaymentSourceController, type PaymentStatusSource } from './payment-source.js';
import { QrFitController } from './qr-fit.js';
import { styles } from './qr-payment.styles.js';
import type { PaymentTransport } from './watch-payment.js';

export type { PaymentStatusSource } from './payment-source.js';

/** Where `view` puts the widget: the officer's PC or the citizen-facing screen (paper: `<qr-payment-slip>`). */
export type QrPaymentView = 'officer' | 'customer';

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
 *
 * @cssproperty --motcua-qr-size - Width of the QR box (never below 200px). Default 240px; customer view min(80vmin, 480px). The symbol is drawn at the largest size within it whose modules are whole device pixels.
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
  // Private reactive state as `state: true` entries, not @state(): the CDN build renames `_` members
  // (terser's mangle.properties), which renames these keys with them but never a decorator's field
  // name, a string.
  static override properties: PropertyDeclarations = {
    _phase: { state: true },
    _announcement: { state: true },
    _payment: { state: true },
    _details: { state: true },
    _symbol: { state: true },
    _failure: { state: true },
    _connectionFailure: { state: true },
  };

  /**
   * What the widget loads (the bank directory, English, the watcher) is painted when it arrives:
   * nothing holds the first paint of the QR. `updateComplete` waits for them.
   */
  private readonly _loads = new LoadController(this);
  private readonly _language = new LocaleController(this, {
    isLoaded: (locale) => Boolean(MESSAGES[locale]),
    load: (locale) => this._loads.track(loadMessages(locale)),
  });
  private readonly _source = new PaymentSourceController(this, {
    receive: (payment) => this._receive(payment),
    fail: (failure, connection) => this._fail(failure, connection),
    recover: () => {
      this._connectionFailure = undefined;
    },
  });
  private readonly _countdown = new CountdownController(
    this,
    () => this._payment !== undefined && !isFinalStatus(this._payment.status) && this.isConnected,
    () => this._source.refresh(),
  );
  private readonly _qrFit = new QrFitController(
    this,
    () => this._symbol,
    (problem) => {
      const message = `${problem}: drawn black on white instead, so that phones can read it.`;
      console.warn(`<qr-payment>: ${message}`);
      emit(this, 'qr-payment-error', { code: 'UNREADABLE_PALETTE', message, field: '--motcua-qr-dark', recoverable: true });
    },
  );

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

  /** URL of the payment resource (wire protocol). The widget follows `${src}/events` and polls `src`. */
  @property({ attribute: 'src' }) src = '';
  /** A ready VietQR payload to render (decoded for the details shown). */
  @property({ attribute: 'payload' }) payload = '';
  /** Static mode: the bank's BIN (or code, e.g. `VCB`). */
  @property({ attribute: 'bank' }) bank = '';
  /** Static mode: the account number. */
  @property({ attribute: 'account' }) account = '';
  /** Static mode (and payload mode): the account holder shown. */
  @property({ attribute: 'account-name' }) accountName = '';
  /** Static mode: the amount in VND (digits). Leave out for a QR where the payer types the amount. */
  @property({ attribute: 'amount' }) amount = '';
  /** Static mode: the transfer memo, ASCII without diacritics, at most 25 characters. */
  @property({ attribute: 'purpose' }) purpose = '';
  /** `officer` (default): details and actions; `customer`: large QR and amount. Printing is `<qr-payment-slip>`'s. */
  @property({ attribute: 'view', reflect: true }) view: QrPaymentView = 'officer';
  /** Polling: first delay, ms. */
  @property({ attribute: 'poll-min-ms', type: Number }) pollMinMs = 2000;
  /** Polling: longest delay, ms. */
  @property({ attribute: 'poll-max-ms', type: Number }) pollMaxMs = 10_000;
  /** Per-request timeout, ms. */
  @property({ attribute: 'request-timeout-ms', type: Number }) requestTimeoutMs = 6000;
  /** Set to skip SSE and poll only. */
  @property({ attribute: 'no-sse', type: Boolean }) noSse = false;
  /** A host-supplied status source (property only), see {@link PaymentStatusSource}. Wins over `src`. */
  @property({ attribute: false }) statusSource: PaymentStatusSource | undefined;

  private _paidAnnounced = false;
  /** Counts the starts, so that a load finishing after the inputs changed is ignored. */
  private _run = 0;
  /** Whether texts have been painted: until then a language still loading holds them (never another language first). */
  private _textsShown = false;

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
    return this._source.transport;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected after a move: start again (willUpdate only sees property changes).
    if (this.hasUpdated) this._start();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The print view (0.1's A6 slip, clipped and in screen wording) is `<qr-payment-slip>` now.
    if (changed.has('view') && (this.view as string) === 'print') console.warn('<qr-payment>: view="print" was removed; print with <qr-payment-slip>.');
    if (!this.hasUpdated || INPUT_PROPERTIES.some((name) => changed.has(name))) this._start();
  }

  protected override scheduleUpdate(): void | Promise<void> {
    return this._loads.scheduleUpdate(() => super.scheduleUpdate());
  }

  // ---- inputs ------------------------------------------------------------------------------

  private _start(): void {
    this._run++;
    this._source.stop();
    this._countdown.reset();
    this._payment = undefined;
    this._details = undefined;
    this._symbol = undefined;
    this._failure = undefined;
    this._connectionFailure = undefined;
    this._paidAnnounced = false;
    if (!this.isConnected) return;
    try {
      if (this.statusSource) {
        this._phase = 'loading';
        this._source.consume(this.statusSource);
      } else if (this.src) {
        // The watcher is a lazy chunk of the CDN build; the skeleton shows while it and the payment load.
        this._phase = 'loading';
        this._loads.track(
          this._source.watch(this.src, {
            pollMinMs: this.pollMinMs,
            pollMaxMs: this.pollMaxMs,
            requestTimeoutMs: this.requestTimeoutMs,
            useSse: !this.noSse,
          }),
        );
      } else if (this.payload) {
        this._show(this._detailsFromPayload(this.payload));
      } else if (this.bank || this.account) {
        // A BIN draws its QR at once (the directory, once loaded, says whether a bank has it); a
        // bank code (`VCB`) needs the directory before the QR can be encoded.
        const run = this._run;
        const again = () => run !== this._run || !this.isConnected || this._start();
        if (banks.value || isBin(this.bank)) this._show(this._detailsFromAttributes());
        else {
          this._phase = 'loading';
          this._loadBanks(again);
          return;
        }
        if (!banks.value) this._loadBanks(() => banks.value?.findBank(this.bank) || again());
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

  private _loadBanks(then: () => unknown): void {
    this._loads.track(
      banks.load().then(then, (error: unknown) => {
        // Without the directory a BIN's QR stays (it is right); a bank code cannot be encoded.
        if ((this.bank || this.account) && !this._symbol) {
          this._fail({ code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) }, false);
        }
      }),
    );
  }

  /** Static mode: encodes the VietQR from the attributes. Throws InputError for anything wrong. */
  private _detailsFromAttributes(): PaymentDetails {
    const bank = banks.value ? banks.value.findBank(this.bank) : isBin(this.bank) ? { bin: this.bank.trim() } : undefined;
    if (!bank) {
      throw new InputError(isBin(this.bank) ? 'UNKNOWN_BANK' : 'INVALID_BIN', `No bank with BIN or code "${this.bank}".`, 'bank');
    }
    // The amount's rules (a positive whole number of VND, at most 13 digits) are core's: INVALID_AMOUNT.
    const amount = this.amount.trim();
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
  }

  /** A payment from the server or the status source. */
  private _receive(next: PaymentResource): void {
    const current = this._payment;
    if (current && next.id !== current.id) {
      this._fail({ code: 'ID_MISMATCH', message: `Expected payment "${current.id}", received "${next.id}".` }, true);
      return;
    }
    if (!isNewerPayment(current, next)) return;
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
    emit(this, 'qr-payment-status', { status: next.status, previousStatus: current?.status, payment: next });
    if (next.status === 'paid' && !this._paidAnnounced) {
      this._paidAnnounced = true;
      emit(this, 'qr-payment-paid', { payment: next });
    }
    if (next.status === 'expired' && current?.status !== 'expired') emit(this, 'qr-payment-expired', { payment: next });
  }

  private _fail(failure: Failure, connection: boolean): void {
    const recoverable = connection && this._payment !== undefined;
    if (recoverable) this._connectionFailure = failure;
    else {
      this._failure = failure;
      this._phase = 'error';
    }
    emit(this, 'qr-payment-error', {
      code: failure.code,
      message: failure.message,
      ...(failure.field ? { field: failure.field } : {}),
      recoverable,
    });
  }

  private get _locale() {
    return this._language.locale;
  }

  private get _messages(): Messages {
    return MESSAGES[this._locale] ?? MESSAGES.vi;
  }

  // ---- handlers ----------------------------------------------------------------------------

  private async _handleCopy(kind: CopyKind): Promise<void> {
    const details = this._details;
    if (!details) return;
    const text = kind === 'account' ? details.account : kind === 'amount' ? (details.amount ?? '') : (details.memo ?? '');
    const messages = this._messages;
    // Clear first so the same confirmation twice in a row is announced twice.
    this._announcement = '';
    await this.updateComplete;
    try {
      await navigator.clipboard.writeText(text);
      this._announcement = messages.copied[kind];
    } catch {
      this._announcement = messages.copyFailed;
    }
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
    }
  }

  private _handleRetry(): void {
    if (!(this._payment && this._source.refresh())) {
      this._start();
      this.requestUpdate();
    }
  }

  private _handleRegenerate(): void {
    if (this._payment) emit(this, 'qr-payment-regenerate', { payment: this._payment });
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
  async toPngBlob(scale = 10): Promise<Blob> {
    const symbol = this._symbol;
    if (!symbol) throw new Error('No QR code is shown.');
    const canvas = (await import('./qr-canvas.js')).drawQrSymbol(symbol, scale);
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be created.'))), 'image/png'));
  }

  // ---- render ------------------------------------------------------------------------------

  /** `messages` undefined: the words are held (see render()), the QR is drawn without its label. */
  private _renderQrFrame(messages: Messages | undefined): TemplateResult {
    const status = this._payment?.status;
    const details = this._details;
    let content: unknown;
    if (!messages) {
      content =
        this._symbol && details && !(status && isFinalStatus(status))
          ? this._renderQr(this._symbol, undefined)
          : html`<div class="skeleton" part="skeleton" aria-hidden="true"></div>`;
    } else if (this._phase === 'error' && this._failure) {
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
      const label = (details.service === 'merchant' ? messages.qrLabelMerchant : details.service === 'cash' ? messages.qrLabelCash : messages.qrLabel)(
        details.amount ? formatVnd(details.amount, this._locale) : undefined,
        bankName(details.bin),
        details.account,
      );
      content = this._renderQr(this._symbol, label);
    } else {
      content = html`<div class="skeleton" part="skeleton" role="img" aria-label=${messages.loading}></div>`;
    }
    return html`<div class="qr-frame" part="qr-frame">${content}</div>`;
  }

  /** The QR; without a label (words held) it is hidden from assistive technology until they arrive. */
  private _renderQr(symbol: QrSymbol, label: string | undefined): TemplateResult {
    return html`<svg
      part="qr"
      class=${this._qrFit.defaultPalette ? 'qr qr-default-palette' : 'qr'}
      role=${label ? 'img' : nothing}
      aria-label=${label ?? nothing}
      aria-hidden=${label ? nothing : 'true'}
      viewBox="0 0 ${symbol.viewSize} ${symbol.viewSize}"
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    ><rect class="qr-light" fill="#ffffff" width=${symbol.viewSize} height=${symbol.viewSize}></rect><path class="qr-dark" fill="#000000" d=${symbol.path}></path></svg>`;
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
    if (!payment || payment.amountPaid === 0) return nothing;
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
    // The server decides expiry: the countdown asks it once as soon as our clock says time is up.
    const remaining = this._countdown.remaining(payment.expiresAt);
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
    if (this._language.pending && !this._textsShown) {
      // The page's language is loading: the QR now, every word once it arrives — never the words of
      // another language first (they would change under the reader's eyes).
      return html`<div class="base" part="base" aria-busy="true">
        ${this._renderQrFrame(undefined)}
        <p class="amount" part="amount"><span class="line"></span></p>
      </div>`;
    }
    this._textsShown = true;
    const messages = this._messages;
    const details = this._details;
    const view = this.view;
    const showDetails = this._phase !== 'error' || details !== undefined;
    const amountText = details?.amount ? formatVnd(details.amount, this._locale) : '';
    return html`<div class="base" part="base" lang=${this._locale}>
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
      ${showDetails ? this._renderDetails(messages, view === 'officer' && !(this._payment && isFinalStatus(this._payment.status))) : nothing}
      ${this._renderActions(messages)}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announcement}</div>
    </div>`;
  }
}

// The bank directory (2.4 KB gzip) loads after the first paint; `bankName` shows the BIN until then.
const banks = lazy(() => import('@motcua/core/banks'));

/** A BIN is six digits: it needs no directory to be encoded. */
function isBin(bank: string): boolean {
  return /^\d{6}$/.test(bank.trim());
}

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
