import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { decodeVietQR, type PaymentResource } from '@motcua/core';
import { findBank } from '@motcua/core/banks';
import { amountDue, isFinalStatus, parsePaymentResource, qrForAmountDue } from '@motcua/core/protocol';
import { emit, formatVnd, LoadController, LocaleController } from '@motcua/core/runtime';
import { amountInWords } from '@motcua/core/words';
import { holdPrintIsolation, releasePrintIsolation } from './print-isolation.js';
import { encodeQrSymbol, type QrSymbol } from '@motcua/core/qr';
import { styles } from './qr-payment-slip.styles.js';
import { SLIP_MESSAGES, type SlipMessages } from './slip-messages.js';

/**
 * The paper a slip is printed on: one slip per A6 or A5 page, four A6 slips on a portrait A4 sheet
 * with cut lines (`a4-a6`), or two A5 slips on a landscape A4 sheet (`a4-a5`).
 */
export type QrPaymentSlipPaper = 'a6' | 'a5' | 'a4-a6' | 'a4-a5';

/**
 * A payment to print: a wire-protocol payment resource, optionally with `description` — what the fee
 * is for, in Vietnamese with diacritics (the resource's `purpose` is the memo's ASCII text).
 */
export type QrPaymentSlipPayment = PaymentResource & { description?: string };

/** `detail` of `qr-payment-slip-error`. */
export interface QrPaymentSlipErrorDetail {
  /**
   * Machine-readable: `HTTP_ERROR`, `NETWORK_ERROR`, `INVALID_JSON` (reading `src`), `INVALID_RESOURCE`,
   * `INVALID_QR`, `QR_MISMATCH`, `QR_TOO_LONG` (a payment that cannot be printed), `NOT_PAYABLE`
   * (paid, expired or cancelled: printed as a notice, without a QR).
   */
  code: string;
  /** Human-readable technical message (English). */
  message: string;
  /** The id of the payment at fault, when there is one. */
  paymentId?: string;
}

/** What one slip shows, checked against its QR. */
interface Slip {
  payment: QrPaymentSlipPayment;
  qr: string;
  symbol: QrSymbol;
  memo: string;
  amount: number;
}

type SlipEntry = Slip | { payment: QrPaymentSlipPayment; code: string; message: string };

class SlipError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PAGE_SIZES: Record<QrPaymentSlipPaper, string> = { a6: 'A6 portrait', a5: 'A5 portrait', 'a4-a6': 'A4 portrait', 'a4-a5': 'A4 landscape' };

/**
 * The document's print rules while a slip has something to print: the paper, and nothing but the
 * slips. Everything that neither is nor contains a slip is `display: none`, and the elements around
 * a slip lose their margins, paddings and borders, so the slips flow from the top of the first page,
 * one sheet per page; the page's margins are the printer's (none set here).
 */
function slipPrintRules(page: string): string {
  return `@media print {
  @page { size: ${page}; }
  html, body { margin: 0 !important; padding: 0 !important; background: #fff !important; }
  body :not(:has(qr-payment-slip), qr-payment-slip) { display: none !important; }
  body :has(qr-payment-slip) {
    display: block !important; position: static !important; float: none !important;
    margin: 0 !important; padding: 0 !important; border: 0 !important; box-shadow: none !important;
    width: auto !important; max-width: none !important; min-height: 0 !important; height: auto !important;
    background: none !important; visibility: visible !important; overflow: visible !important;
  }
}`;
}
const SLIPS_PER_SHEET: Record<QrPaymentSlipPaper, number> = { a6: 1, a5: 1, 'a4-a6': 4, 'a4-a5': 2 };

/**
 * The printed payment slip that goes out with results by post: the unit, what the fee is for, the
 * amount in figures and in words, the QR, the bank, account, holder and the whole transfer memo, the
 * due date and three steps to pay — paper wording only, no status and no countdown. It is a snapshot:
 * it reads `src` once (one GET, no event stream) or prints the payments it is given. While it holds
 * something to print, printing the page prints only the slips, on the paper `paper` names.
 *
 * @summary A printable VietQR payment slip (A6, A5, or several on A4).
 *
 * @event qr-payment-slip-error - A payment that cannot be printed, or `src` could not be read. `detail: { code, message, paymentId? }`.
 *
 * @csspart sheet - One printed page: one slip, or a batch sheet of four A6 / two A5 slips with cut lines.
 * @csspart slip - One slip.
 * @csspart unit - The unit collecting the fee.
 * @csspart title - The slip's title.
 * @csspart purpose - What the fee is for, and the dossier.
 * @csspart amount - The amount in figures.
 * @csspart amount-words - The amount in words.
 * @csspart qr - The QR `<svg>`.
 * @csspart details - The `<dl>` of bank, account, holder, memo and due date.
 * @csspart steps - The steps to pay.
 * @csspart notice - Printed instead of the QR for a payment that cannot be paid, or an error.
 *
 * @cssproperty --motcua-slip-font-family - The slip's typeface (it needs Vietnamese diacritics). Default Arial, Liberation Sans, DejaVu Sans, sans-serif.
 * @cssproperty --motcua-slip-font-size - Base size on A6 and four-per-A4 sheets (A5 is √2 larger). Default 8pt.
 */
export class QrPaymentSlip extends LitElement {
  static override styles = styles;

  /** Both languages' texts are in this module: nothing to load. */
  private readonly _language = new LocaleController(this, { isLoaded: () => true });
  /** The read of `src`: `updateComplete` waits for it, so that `await slip.updateComplete; print()` prints the payment. */
  private readonly _loads = new LoadController(this);
  /** The payments read from `src`. */
  private _loaded: QrPaymentSlipPayment[] = [];
  private _loadError: { code: string; message: string } | undefined;

  /** URL of one payment resource (wire protocol), read once with GET when set or on `refresh()`. Wins over `payments`. */
  @property({ attribute: 'src' }) src = '';
  /** The payments to print (property only), e.g. a postal clerk's batch. Ignored while `src` is set. */
  @property({ attribute: false }) payments: QrPaymentSlipPayment[] = [];
  /** The paper: `a6` (default), `a5`, `a4-a6` (four A6 slips per A4 with cut lines), `a4-a5` (two A5 slips per landscape A4). */
  @property({ attribute: 'paper', reflect: true }) paper: QrPaymentSlipPaper = 'a6';
  /** The unit collecting the fee, as printed at the top (e.g. `UBND phường Đồng Tâm`). Default: the account holder. */
  @property({ attribute: 'unit-name' }) unitName = '';
  /** What the fee is for, in Vietnamese, for payments without their own `description`. Default: the payment's `purpose`. */
  @property({ attribute: 'description' }) description = '';

  /** One entry per payment: a slip to print, or why it cannot be printed. */
  private _entries: SlipEntry[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this._syncIsolation();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    releasePrintIsolation(this);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('src')) {
      this._loaded = [];
      this._loadError = undefined;
      if (this.src) void this.refresh();
    }
    if (changed.has('src') || changed.has('payments') || changed.has('description')) {
      this._entries = (this.src ? this._loaded : this.payments).map((payment) => this._entry(payment));
    }
    this._syncIsolation();
  }

  protected override scheduleUpdate(): void | Promise<void> {
    return this._loads.scheduleUpdate(() => super.scheduleUpdate());
  }

  // ---- inputs ------------------------------------------------------------------------------

  private async _load(src: string): Promise<void> {
    try {
      let response: Response;
      try {
        response = await fetch(src, { headers: { accept: 'application/json' }, cache: 'no-store' });
      } catch (error) {
        throw new SlipError('NETWORK_ERROR', `GET ${src} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!response.ok) throw new SlipError('HTTP_ERROR', `GET ${src} answered HTTP ${response.status}.`);
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new SlipError('INVALID_JSON', `GET ${src} did not answer JSON.`);
      }
      const payment = parsePaymentResource(body);
      if (src !== this.src) return;
      this._loaded = [payment];
      this._loadError = undefined;
    } catch (error) {
      if (src !== this.src) return;
      this._loaded = [];
      this._loadError = { code: codeOf(error), message: error instanceof Error ? error.message : String(error) };
      this._emitError({ ...this._loadError });
    }
    this._entries = this._loaded.map((payment) => this._entry(payment));
    this.requestUpdate();
  }

  /** Checks one payment against its QR; a payment that cannot be printed becomes a notice (and an event). */
  private _entry(payment: QrPaymentSlipPayment): SlipEntry {
    try {
      if (isFinalStatus(payment.status)) throw new SlipError('NOT_PAYABLE', `Payment ${payment.id} is ${payment.status}: there is nothing to pay.`);
      let data: ReturnType<typeof decodeVietQR>;
      try {
        data = decodeVietQR(payment.qr);
      } catch (error) {
        throw new SlipError('INVALID_QR', `The QR of payment ${payment.id} is invalid: ${error instanceof Error ? error.message : String(error)}`);
      }
      const amount = amountDue(payment);
      if (
        data.bin !== payment.bank.bin ||
        data.account !== payment.bank.account ||
        (data.amount !== String(amount) && data.amount !== String(payment.amount))
      ) {
        throw new SlipError('QR_MISMATCH', `The QR of payment ${payment.id} does not carry its bank, account and amount.`);
      }
      const qr = qrForAmountDue(payment);
      let symbol: QrSymbol;
      try {
        symbol = encodeQrSymbol(qr);
      } catch (error) {
        throw new SlipError('QR_TOO_LONG', error instanceof Error ? error.message : String(error));
      }
      return { payment, qr, symbol, memo: data.purpose ?? payment.code, amount };
    } catch (error) {
      const failure = { code: codeOf(error), message: error instanceof Error ? error.message : String(error) };
      // After this update: a listener may change the payments again.
      queueMicrotask(() => this._emitError({ ...failure, paymentId: payment.id }));
      return { payment, ...failure };
    }
  }

  /** The document prints only the slips while this one has something to print, on its paper. */
  private _syncIsolation(): void {
    if (this.isConnected && (this._entries.length > 0 || this._loadError)) {
      holdPrintIsolation(this, slipPrintRules(PAGE_SIZES[this.paper] ?? PAGE_SIZES.a6));
    } else {
      releasePrintIsolation(this);
    }
  }

  private _emitError(detail: QrPaymentSlipErrorDetail): void {
    emit(this, 'qr-payment-slip-error', detail);
  }

  // ---- public methods ----------------------------------------------------------------------

  /** Reads `src` again (one GET); resolves once the slip shows what it read. */
  refresh(): Promise<void> {
    if (!this.src) return Promise.resolve();
    this._loads.track(this._load(this.src));
    return this.updateComplete.then(() => undefined);
  }

  // ---- render ------------------------------------------------------------------------------

  private _renderSlip(entry: SlipEntry, messages: SlipMessages): TemplateResult {
    const { payment } = entry;
    const locale = this._language.locale;
    const unit = this.unitName || payment.bank.accountName;
    const description = payment.description || this.description || payment.purpose;
    const head = html`<p class="unit" part="unit">${unit}</p>
      <h2 class="title" part="title">${messages.title}</h2>
      <p class="purpose" part="purpose">
        <span class="label">${messages.purpose}:</span> <strong>${description}</strong>
        <span class="dossier"><span class="label">${messages.dossier}:</span> <span class="nowrap">${payment.dossier}</span></span>
      </p>`;
    if (!('symbol' in entry)) {
      const text =
        entry.code === 'NOT_PAYABLE' && (payment.status === 'paid' || payment.status === 'expired' || payment.status === 'cancelled')
          ? messages.notPayable[payment.status]
          : `${messages.errorTitle}: ${messages.errors[entry.code] ?? messages.errors.UNKNOWN}`;
      return html`<article class="slip" part="slip" data-payment=${payment.id}>${head}<p class="notice" part="notice" role="alert">${text}</p></article>`;
    }
    const bank = findBank(payment.bank.bin);
    const bankName = bank?.shortName ?? `BIN ${payment.bank.bin}`;
    const amount = formatVnd(entry.amount, locale);
    const due = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date(payment.expiresAt));
    const { symbol } = entry;
    const row = (label: string, value: unknown, kind: string) => html`<div class=${kind}><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`<article class="slip" part="slip" data-payment=${payment.id}>
      ${head}
      <div class="money">
        <p class="amount" part="amount"><span class="label">${messages.amount}:</span> <strong class="figures">${amount}</strong></p>
        <p class="words" part="amount-words"><span class="label">${messages.inWords}:</span> <em>${amountInWords(entry.amount, locale)}</em></p>
        ${
          payment.status === 'underpaid'
            ? html`<p class="received">${messages.alreadyPaid(formatVnd(payment.amountPaid, locale), formatVnd(payment.amount, locale))}</p>`
            : nothing
        }
      </div>
      <div class="pay">
        <svg
          part="qr"
          class="qr"
          role="img"
          aria-label=${messages.qrLabel(amount, bankName, payment.bank.account)}
          viewBox="0 0 ${symbol.viewSize} ${symbol.viewSize}"
          shape-rendering="crispEdges"
          xmlns="http://www.w3.org/2000/svg"
        ><rect fill="#ffffff" width=${symbol.viewSize} height=${symbol.viewSize}></rect><path fill="#000000" d=${symbol.path}></path></svg>
        <dl class="details" part="details">
          ${row(messages.bank, bankName, 'bank')}
          ${row(messages.account, html`<span class="nowrap mono">${payment.bank.account}</span>`, 'account')}
          ${row(messages.accountName, payment.bank.accountName, 'holder')}
          ${row(messages.memo, html`<span class="mono memo">${entry.memo}</span>`, 'memo')}
          ${row(messages.due, messages.dueAt(due), 'due')}
        </dl>
      </div>
      <div class="steps" part="steps">
        <p class="label">${messages.stepsTitle}</p>
        <ol>${messages.steps.map((step) => html`<li>${step}</li>`)}</ol>
      </div>
    </article>`;
  }

  override render(): TemplateResult {
    const messages = SLIP_MESSAGES[this._language.locale];
    if (this._loadError) {
      return html`<div class="sheet" part="sheet" lang=${this._language.locale}>
        <p class="notice" part="notice" role="alert">${messages.errorTitle}: ${messages.errors[this._loadError.code] ?? messages.errors.UNKNOWN}</p>
      </div>`;
    }
    if (this._entries.length === 0) {
      return html`<div class="empty" lang=${this._language.locale}>${this._loads.pending ? messages.loading : nothing}</div>`;
    }
    const perSheet = SLIPS_PER_SHEET[this.paper] ?? 1;
    const sheets: SlipEntry[][] = [];
    for (let i = 0; i < this._entries.length; i += perSheet) sheets.push(this._entries.slice(i, i + perSheet));
    return html`<div class="sheets" lang=${this._language.locale}>
      ${sheets.map((slips) => html`<section class="sheet" part="sheet">${slips.map((entry) => this._renderSlip(entry, messages))}</section>`)}
    </div>`;
  }
}

function codeOf(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'UNKNOWN';
}
