import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { emit, formatVnd, LocaleController, type Locale } from '@motcua/core/runtime';

/** A transfer as the gateway's reconciliation lists it (the fields the desk reads). */
export interface DeskTransfer {
  id: string;
  amount: number;
  memo: string;
  receivedAt: string;
  status: string;
  reason: string | null;
  paymentId: string | null;
  class: string;
  refundOwed: number;
}

/** A desk action as the gateway records it (`payment_adjustments`). */
export interface DeskAdjustment {
  id: string;
  kind: 'attach' | 'cash' | 'refund' | 'reversal';
  paymentId: string | null;
  transferId: string | null;
  amount: number;
  reference: string | null;
  reason: string;
  officer: string;
  createdAt: string;
  reverses: string | null;
  reversedBy: string | null;
}

/** `detail` of `qr-exceptions-desk-action`: the gateway's answer to an action. */
export interface QrExceptionsDeskActionDetail {
  adjustment: DeskAdjustment;
  payment?: { id: string; code: string; status: string; amountPaid: number; version: number };
}

type Action = 'attach' | 'refund' | 'cash' | 'reverse';

const MESSAGES = {
  vi: {
    title: 'Xử lý ngoại lệ thu phí',
    date: 'Ngày đối soát',
    reload: 'Tải lại',
    loading: 'Đang tải…',
    unmatched: 'Chuyển khoản không khớp (chưa gắn khoản thu)',
    refunds: 'Phải hoàn trả công dân',
    adjustments: 'Thao tác đã ghi trong ngày',
    cashTitle: 'Ghi nhận nộp tiền mặt tại quầy',
    none: 'Không có mục nào.',
    amount: 'Số tiền',
    memo: 'Nội dung',
    time: 'Thời gian',
    owed: 'Phải hoàn',
    attach: 'Gắn vào khoản thu',
    refund: 'Ghi nhận đã hoàn tiền',
    cash: 'Ghi nhận tiền mặt',
    reverse: 'Hoàn tác',
    submit: 'Xác nhận',
    cancel: 'Đóng',
    payment: 'Mã khoản thu (in trên phiếu)',
    reference: 'Mã giao dịch hoàn tiền của ngân hàng',
    refundDate: 'Ngày hoàn tiền',
    receipt: 'Số biên lai',
    officer: 'Cán bộ thực hiện',
    reason: 'Lý do (bắt buộc)',
    done: 'Đã ghi nhận.',
    failed: 'Không thực hiện được: {message}',
    loadFailed: 'Không tải được đối soát: {message}',
    reversed: 'đã hoàn tác',
    kind: { attach: 'Gắn chuyển khoản', cash: 'Tiền mặt', refund: 'Hoàn tiền', reversal: 'Hoàn tác' },
    why: {
      no_code: 'không có mã thanh toán',
      unknown_code: 'mã không tồn tại',
      other_account: 'vào tài khoản khác',
      payment_closed: 'đến sau khi khoản thu đã đóng',
      surplus: 'nộp thừa',
    } as Record<string, string>,
  },
  en: {
    title: 'Payment exceptions desk',
    date: 'Reconciliation day',
    reload: 'Reload',
    loading: 'Loading…',
    unmatched: 'Unmatched transfers (not attached to a payment)',
    refunds: 'Owed back to citizens',
    adjustments: 'Actions recorded that day',
    cashTitle: 'Record a cash payment at the counter',
    none: 'Nothing here.',
    amount: 'Amount',
    memo: 'Memo',
    time: 'Time',
    owed: 'Owed back',
    attach: 'Attach to a payment',
    refund: 'Record the refund',
    cash: 'Record cash',
    reverse: 'Reverse',
    submit: 'Confirm',
    cancel: 'Close',
    payment: 'Payment code (printed on the slip)',
    reference: 'Bank reference of the refund',
    refundDate: 'Refund date',
    receipt: 'Receipt number',
    officer: 'Officer',
    reason: 'Reason (required)',
    done: 'Recorded.',
    failed: 'Not done: {message}',
    loadFailed: 'Could not load the reconciliation: {message}',
    reversed: 'reversed',
    kind: { attach: 'Transfer attached', cash: 'Cash', refund: 'Refund', reversal: 'Reversal' },
    why: {
      no_code: 'no payment code',
      unknown_code: 'unknown code',
      other_account: 'into another account',
      payment_closed: 'arrived after the payment closed',
      surplus: 'overpaid',
    } as Record<string, string>,
  },
} as const;

type Messages = (typeof MESSAGES)['vi'] | (typeof MESSAGES)['en'];

/** Vietnam's calendar day (UTC+7): the reconciliation's day. */
const vietnamToday = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * The officer's exceptions desk for the portal's back office: lists the day's unmatched transfers,
 * the money owed back and the actions recorded (from the gateway's reconciliation), and lets an officer
 * attach a transfer to a payment, record a refund, record a cash payment at the counter, or reverse an
 * action — each with the officer's name and a required reason, audited by the gateway.
 *
 * It calls `{gateway}/api/…`. Point `gateway` at the portal backend's proxy that adds the API key
 * (recommended: the key never reaches a browser), or set `api-key` — only on an officer-only page of
 * the back office, never on a public or citizen page: the key can create and change payments.
 *
 * @summary The officer's exceptions desk (unmatched, late and owed-back money).
 *
 * @event qr-exceptions-desk-action - An action was recorded. `detail: { adjustment, payment? }`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart section - Each list (unmatched, owed back, actions, cash).
 * @csspart form - An action's form.
 * @csspart message - The status line (done, or why not).
 *
 * @cssproperty --motcua-font-family
 * @cssproperty --motcua-color-text
 * @cssproperty --motcua-color-background
 * @cssproperty --motcua-color-accent - Buttons.
 * @cssproperty --motcua-color-danger - Errors.
 * @cssproperty --motcua-radius
 */
export class QrExceptionsDesk extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: var(--motcua-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
      color: var(--motcua-color-text, #1a1a1a);
      background: var(--motcua-color-background, #ffffff);
      --_accent: var(--motcua-color-accent, #0b57d0);
      --_danger: var(--motcua-color-danger, #b3261e);
      --_radius: var(--motcua-radius, 8px);
    }
    :host([hidden]) {
      display: none;
    }
    section {
      margin-block: 1rem;
    }
    h2,
    h3 {
      margin: 0 0 0.5rem;
      font-size: 1.1rem;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    li {
      border: 1px solid #c4c4c4;
      border-radius: var(--_radius);
      padding: 0.5rem 0.75rem;
      overflow-wrap: anywhere;
    }
    .amount {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .muted {
      color: #4d4d4d;
    }
    button {
      font: inherit;
      min-height: 2.5rem;
      padding: 0.25rem 0.9rem;
      margin: 0.25rem 0.5rem 0 0;
      border-radius: var(--_radius);
      border: 1px solid var(--_accent);
      background: #fff;
      color: var(--_accent);
      cursor: pointer;
    }
    button[type='submit'] {
      background: var(--_accent);
      color: #fff;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--_accent);
      outline-offset: 2px;
    }
    form {
      display: grid;
      gap: 0.5rem;
      margin-top: 0.5rem;
      max-width: 32rem;
    }
    label {
      display: grid;
      gap: 0.2rem;
      font-size: 0.95rem;
    }
    input {
      font: inherit;
      padding: 0.4rem 0.5rem;
      border: 1px solid #6b6b6b;
      border-radius: calc(var(--_radius) / 2);
    }
    .message {
      min-height: 1.5em;
      margin: 0.5rem 0;
    }
    #desk-date {
      max-width: 12rem;
    }
    .error {
      color: var(--_danger);
    }
  `;

  /** Base URL of the gateway, or of the portal backend's proxy of its `/api/…` routes. Empty: the page's origin. */
  @property({ attribute: 'gateway' }) gateway = '';
  /** The gateway's API key, sent as `Authorization: Bearer`. Only on an officer-only back-office page; prefer a proxy. */
  @property({ attribute: 'api-key' }) apiKey = '';
  /** The reconciliation day listed, `YYYY-MM-DD` (Vietnam time). Empty: today. */
  @property({ attribute: 'date', reflect: true }) date = '';
  /** The officer's name the forms start with (the portal's signed-in officer). */
  @property({ attribute: 'officer' }) officer = '';
  /** The page chooses the day (it sets `date` from its own picker): the desk draws no day picker. */
  @property({ type: Boolean, attribute: 'hide-date' }) hideDate = false;

  // One plain field rather than @state() fields: the CDN build shortens `_names`, which the lowered
  // decorators' string keys would not follow. Every change goes through _patch (one requestUpdate).
  private _view: {
    report?: { unmatched: DeskTransfer[]; refunds: DeskTransfer[]; adjustments: DeskAdjustment[] };
    /** The form open: which action, on what, with its Idempotency-Key. */
    open?: { action: Action; id: string; key: string };
    message?: { text: string; error: boolean };
    busy?: boolean;
  } = {};

  private readonly _language = new LocaleController(this);
  private _loads = 0;

  private _patch(changes: Partial<QrExceptionsDesk['_view']>): void {
    this._view = { ...this._view, ...changes };
    this.requestUpdate();
  }

  private get _t(): Messages {
    return MESSAGES[this._language.locale as Locale];
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('gateway') || changed.has('apiKey') || changed.has('date')) void this.reload();
  }

  /** Reads the day's reconciliation again (after an action, the list is read again by itself). */
  async reload(): Promise<void> {
    const load = ++this._loads;
    try {
      const report = await this._call('GET', `/api/reports/reconciliation?date=${encodeURIComponent(this.date || vietnamToday())}`);
      if (load === this._loads) this._patch({ report: report as QrExceptionsDesk['_view']['report'] });
    } catch (error) {
      if (load === this._loads) this._patch({ message: { text: this._t.loadFailed.replace('{message}', (error as Error).message), error: true } });
    }
  }

  private async _call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(`${this.gateway.replace(/\/$/, '')}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok) throw Object.assign(new Error(answer.error?.message ?? `HTTP ${response.status}`), { code: answer.error?.code });
    return answer;
  }

  private _openForm(action: Action, id: string): void {
    // One Idempotency-Key per opened form: a double click or a retry records the action once.
    this._patch({ open: { action, id, key: `desk-${crypto.randomUUID()}` }, message: undefined });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form input')?.focus());
  }

  private async _submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const open = this._view.open;
    if (!open || this._view.busy) return;
    const values = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
    const path = {
      attach: `/api/transfers/${open.id}/attach`,
      refund: `/api/transfers/${open.id}/refund`,
      cash: `/api/payments/${open.id}/cash`,
      reverse: `/api/adjustments/${open.id}/reverse`,
    }[open.action];
    this._patch({ busy: true });
    try {
      const result = (await this._call('POST', path, values, open.key)) as QrExceptionsDeskActionDetail;
      this._patch({ open: undefined, message: { text: this._t.done, error: false } });
      emit(this, 'qr-exceptions-desk-action', result);
      await this.reload();
    } catch (error) {
      this._patch({ message: { text: this._t.failed.replace('{message}', (error as Error).message), error: true } });
    } finally {
      this._patch({ busy: false });
    }
  }

  private _cashSubmit(event: SubmitEvent): void {
    // The cash form names its payment first; the action then goes to that payment.
    const payment = new FormData(event.target as HTMLFormElement).get('payment');
    const open = this._view.open;
    if (open?.action === 'cash' && open.id === '') this._view = { ...this._view, open: { ...open, id: encodeURIComponent(String(payment ?? '')) } };
    void this._submit(event);
  }

  private _field(name: string, label: string, type = 'text', value = ''): TemplateResult {
    const id = `f-${name}`;
    return html`<label for=${id}>${label}<input id=${id} name=${name} type=${type} .value=${value} required
      minlength=${name === 'reason' ? 3 : 1} maxlength=${name === 'reason' ? 500 : 64} autocomplete="off"></label>`;
  }

  private _form(action: Action): TemplateResult {
    const t = this._t;
    const fields = {
      attach: [this._field('payment', t.payment)],
      refund: [this._field('reference', t.reference), this._field('date', t.refundDate, 'date', vietnamToday())],
      cash: [this._field('payment', t.payment), this._field('receipt', t.receipt)],
      reverse: [],
    }[action];
    return html`<form part="form" aria-label=${t[action]} @submit=${action === 'cash' ? this._cashSubmit : this._submit}>
      ${fields} ${this._field('officer', t.officer, 'text', this.officer)} ${this._field('reason', t.reason)}
      <div>
        <button type="submit" ?disabled=${this._view.busy}>${t.submit}</button>
        <button type="button" @click=${() => this._patch({ open: undefined })}>${t.cancel}</button>
      </div>
    </form>`;
  }

  private _actionButton(action: Action, id: string, label: string): TemplateResult {
    const open = this._view.open?.action === action && this._view.open.id === id;
    return html`<button type="button" aria-expanded=${open ? 'true' : 'false'} @click=${() => (open ? this._patch({ open: undefined }) : this._openForm(action, id))}>
        ${label}
      </button>
      ${open ? this._form(action) : nothing}`;
  }

  private _transfer(transfer: DeskTransfer, actions: TemplateResult, owed = false): TemplateResult {
    const t = this._t;
    const locale = this._language.locale as Locale;
    const why = transfer.refundOwed > 0 && transfer.class === 'fee_paid' ? 'surplus' : (transfer.reason ?? '');
    const time = new Date(transfer.receivedAt).toLocaleTimeString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: 'Asia/Ho_Chi_Minh' });
    return html`<li data-transfer=${transfer.id}>
      <div>
        <span class="amount">${formatVnd(owed ? transfer.refundOwed : transfer.amount, locale)}</span>
        ${owed ? html`<span class="muted">(${t.owed})</span>` : nothing} — <span>${transfer.memo || '—'}</span>
      </div>
      <div class="muted">${t.time}: ${time}${t.why[why] ? html` · ${t.why[why]}` : nothing}</div>
      ${actions}
    </li>`;
  }

  protected override render(): TemplateResult {
    const t = this._t;
    const report = this._view.report;
    const locale = this._language.locale as Locale;
    // Rejected notifications carry no money (amount 0): nothing to attach or refund.
    const unmatched = report?.unmatched.filter((tx) => tx.status === 'unmatched' && tx.amount > 0) ?? [];
    const refunds = report?.refunds ?? [];
    const reversible = report?.adjustments.filter((a) => a.kind !== 'reversal' && !a.reversedBy) ?? [];
    const list = (items: TemplateResult[]) => (items.length ? html`<ul>${items}</ul>` : html`<p class="muted">${t.none}</p>`);
    return html`<div part="base" aria-busy=${report ? 'false' : 'true'}>
      <h2>${t.title}</h2>
      ${
        this.hideDate
          ? nothing
          : html`<label for="desk-date">${t.date}
        <input id="desk-date" type="date" .value=${this.date || vietnamToday()} @change=${(e: Event) => (this.date = (e.target as HTMLInputElement).value)}></label>`
      }
      <button type="button" @click=${() => this.reload()}>${t.reload}</button>
      <p part="message" class="message ${this._view.message?.error ? 'error' : ''}" role=${this._view.message?.error ? 'alert' : 'status'}>${this._view.message?.text ?? ''}</p>
      ${
        !report
          ? html`<p>${t.loading}</p>`
          : html`
            <section part="section" aria-labelledby="s-unmatched"><h3 id="s-unmatched">${t.unmatched} (${unmatched.length})</h3>
              ${list(unmatched.map((tx) => this._transfer(tx, html`${this._actionButton('attach', tx.id, t.attach)} ${this._actionButton('refund', tx.id, t.refund)}`)))}
            </section>
            <section part="section" aria-labelledby="s-refunds"><h3 id="s-refunds">${t.refunds} (${refunds.length})</h3>
              ${list(
                refunds.map((tx) =>
                  this._transfer(
                    tx,
                    html`${tx.status === 'unmatched' ? this._actionButton('attach', `${tx.id}`, t.attach) : nothing} ${this._actionButton('refund', tx.id, t.refund)}`,
                    true,
                  ),
                ),
              )}
            </section>
            <section part="section" aria-labelledby="s-cash"><h3 id="s-cash">${t.cashTitle}</h3>
              ${this._actionButton('cash', '', t.cash)}
            </section>
            <section part="section" aria-labelledby="s-adjustments"><h3 id="s-adjustments">${t.adjustments} (${report.adjustments.length})</h3>
              ${list(
                report.adjustments.map(
                  (a) => html`<li data-adjustment=${a.id}>
                    <div><strong>${t.kind[a.kind]}</strong> <span class="amount">${formatVnd(a.amount, locale)}</span>
                      ${a.reference ? html`· ${a.reference}` : nothing} ${a.reversedBy ? html`<span class="muted">(${t.reversed})</span>` : nothing}</div>
                    <div class="muted">${a.officer} — ${a.reason}</div>
                    ${reversible.includes(a) ? this._actionButton('reverse', a.id, t.reverse) : nothing}
                  </li>`,
                ),
              )}
            </section>`
      }
    </div>`;
  }
}
