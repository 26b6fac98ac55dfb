import { qrForAmountDue } from '@motcua/core/protocol';
import { encodeVietQR, toMemo, type CounterState, type PaymentBank, type PaymentResource, type PaymentStatus, type SurveyPrompt } from '@motcua/core';
import type { Database, Queryable, Row } from './db.js';
import { ApiError } from './http.js';
import { newPaymentCode, paymentCodeCandidates } from './payment-code.js';
import { randomId, sha256Hex } from './crypto.js';
import { issueSurveyToken } from './survey-token.js';

/** The NOTIFY channel every state change is published on to the other instances (PostgreSQL). */
export const EVENTS_CHANNEL = 'motcua_events';

export type GatewayEvent = { type: 'payment'; data: PaymentResource } | { type: 'counter'; data: CounterState };

/** A transaction that also collects the events of the changes it makes; they are published after commit. */
export interface EventTx extends Queryable {
  emit(event: GatewayEvent): void;
}

export interface NewPayment {
  dossier: string;
  amount: number;
  purpose: string;
  counter: string;
  procedure?: string;
  officer?: string;
  /** Seconds. */
  expiresIn: number;
}

/** A bank transaction as an adapter extracted it from a provider's notification. */
export interface IncomingTransaction {
  provider: string;
  /** The provider's transaction id — each is recorded once. */
  providerTxId: string;
  amount: number;
  memo: string;
  /** The bank's own reference (e.g. `FT…`): the same transfer reported by two providers carries the same one. */
  bankReference?: string;
  /** The account credited, as the provider reports it. */
  account?: string;
  raw: unknown;
  /** The notification's body as received (stored byte for byte). */
  rawBody?: Buffer;
  /** Set when the notification is authentic but this item cannot count; stored as `rejected` with amount 0. */
  rejection?: { reason: string; message: string };
}

export type UnmatchedReason = 'no_code' | 'unknown_code' | 'payment_closed' | 'other_account';

export type TransactionOutcome =
  | { outcome: 'duplicate'; providerTxId: string; duplicateOf?: { provider: string; transactionId: string } }
  | { outcome: 'matched'; providerTxId: string; paymentId: string; status: PaymentStatus; amountPaid: number; surplus: number }
  | { outcome: 'unmatched'; providerTxId: string; reason: UnmatchedReason; paymentId?: string }
  | { outcome: 'rejected'; providerTxId: string; reason: string; message: string };

export interface StoreOptions {
  bank: PaymentBank;
  counters: Record<string, string>;
  surveyTokenSecret: string;
  surveyTokenTtlSeconds: number;
  /** Seconds after a survey token's expiry during which a rating made before it is still accepted (the token is kept that long, at least 7 days). */
  surveyLateWindowSeconds?: number;
  surveyScreenMs: number;
  expiredScreenMs: number;
  publicBaseUrl?: string;
  /** Seconds after `expiresAt` during which a matching transfer still pays. Default 0. */
  expiryGraceSeconds?: number;
  /** Called inside each transaction that changed something, before it commits (PostgreSQL: NOTIFY the other instances). */
  beforeCommit?(tx: Queryable, events: GatewayEvent[]): Promise<void>;
  /** Receives the events of every committed transaction, in order (never those of a rolled-back one). */
  onCommit(events: GatewayEvent[]): void;
}

const OPEN_STATUSES = ['pending', 'underpaid'];

interface PaymentRow extends Row {
  id: string;
  code: string;
  dossier: string;
  counter: string;
  procedure: string | null;
  officer: string | null;
  purpose: string;
  amount: number | string;
  amount_paid: number | string;
  status: PaymentStatus;
  qr: string;
  bank_bin: string;
  bank_account: string;
  bank_account_name: string;
  expires_at: Date;
  paid_at: Date | null;
  version: number;
}

export const toResource = (row: PaymentRow): PaymentResource => ({
  id: row.id,
  code: row.code,
  status: row.status,
  amount: Number(row.amount),
  amountPaid: Number(row.amount_paid),
  currency: 'VND',
  qr: row.qr,
  bank: { bin: row.bank_bin, account: row.bank_account, accountName: row.bank_account_name },
  purpose: row.purpose,
  dossier: row.dossier,
  counter: row.counter,
  expiresAt: new Date(row.expires_at).toISOString(),
  paidAt: row.paid_at ? new Date(row.paid_at).toISOString() : null,
  version: Number(row.version),
});

/**
 * Text PostgreSQL can store: NUL (refused by `text` and `jsonb`) and lone UTF-16 surrogates (refused
 * by `jsonb`) become U+FFFD. The exact bytes are kept apart, in `bank_notifications`.
 */
const storable = (value: string): string => value.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
const storableJson = (value: unknown): unknown =>
  typeof value === 'string'
    ? storable(value)
    : Array.isArray(value)
      ? value.map(storableJson)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storableJson(item)]))
        : value;

const normalAccount = (account: string): string => account.replace(/[\s.-]/g, '');

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === '23505';

/**
 * Every state change of the gateway, each in one transaction; the events it produced are handed to
 * `beforeCommit` (PostgreSQL: one NOTIFY statement, so other instances hear of exactly what commits)
 * and, once committed, to `onCommit` (this instance's subscribers, without a database round trip).
 */
export class Store {
  constructor(
    readonly db: Database,
    private readonly options: StoreOptions,
  ) {}

  /** Runs `fn` in a transaction; publishes its events after the commit. */
  async transaction<T>(fn: (tx: EventTx) => Promise<T>): Promise<T> {
    const events: GatewayEvent[] = [];
    const result = await this.db.transaction(async (tx) => {
      const value = await fn({ query: (sql, params) => tx.query(sql, params), emit: (event) => events.push(event) });
      if (events.length) await this.options.beforeCommit?.(tx, events);
      return value;
    });
    if (events.length) this.options.onCommit(events);
    return result;
  }

  /** Creates the payment, or returns the dossier's open one (`created: false`). */
  async createPayment(input: NewPayment): Promise<{ payment: PaymentResource; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transaction((tx) => this.createPaymentIn(tx, input));
      } catch (error) {
        // A code collision or a concurrent request for the same dossier: try again (the retry finds it).
        if (isUniqueViolation(error) && attempt < 5) continue;
        throw error;
      }
    }
  }

  private async createPaymentIn(tx: EventTx, input: NewPayment): Promise<{ payment: PaymentResource; created: boolean }> {
    const [open] = await tx.query<PaymentRow & { live: boolean }>(
      `SELECT *, expires_at > now() AS live FROM payments WHERE dossier = $1 AND status IN ('pending','underpaid') FOR UPDATE`,
      [input.dossier],
    );
    if (open) {
      if (open.live) {
        if (Number(open.amount) !== input.amount || open.counter !== input.counter)
          throw new ApiError(
            409,
            'DOSSIER_HAS_OPEN_PAYMENT',
            `Dossier ${input.dossier} already has an open payment (${open.code}) with another amount or counter; cancel it first.`,
          );
        return { payment: toResource(open), created: false };
      }
      await this.closePayment(tx, open, 'expired');
    }
    const code = newPaymentCode();
    const memoText = toMemo(input.purpose, 25 - code.length - 1);
    const memo = memoText ? `${code} ${memoText}` : code;
    const { bank } = this.options;
    const qr = encodeVietQR({ bin: bank.bin, account: bank.account, service: 'account', initiation: 'dynamic', amount: input.amount, purpose: memo });
    const [row] = await tx.query<PaymentRow>(
      `INSERT INTO payments (id, code, dossier, counter, procedure, officer, purpose, amount, status, qr, bank_bin, bank_account, bank_account_name, expires_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'pending',$9,$10,$11,$12, now() + make_interval(secs => $13)) RETURNING *`,
      [
        randomId(),
        code,
        input.dossier,
        input.counter,
        input.procedure ?? null,
        input.officer ?? null,
        input.purpose,
        input.amount,
        qr,
        bank.bin,
        bank.account,
        bank.accountName,
        input.expiresIn,
      ],
    );
    const payment = toResource(row!);
    tx.emit({ type: 'payment', data: payment });
    await this.setCounter(tx, input.counter, (base) => ({ ...base, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` }), {
      paymentId: payment.id,
    });
    return { payment, created: true };
  }

  async getPayment(id: string): Promise<PaymentResource | undefined> {
    const [row] = await this.db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]);
    return row ? toResource(row) : undefined;
  }

  async listPayments(filter: { status?: string; counter?: string; limit: number }): Promise<PaymentResource[]> {
    const rows = await this.db.query<PaymentRow>(
      `SELECT * FROM payments WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR counter = $2) ORDER BY created_at DESC LIMIT $3`,
      [filter.status ?? null, filter.counter ?? null, filter.limit],
    );
    return rows.map(toResource);
  }

  async cancelPayment(id: string): Promise<PaymentResource> {
    return this.transaction(async (tx) => {
      const [row] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new ApiError(404, 'NOT_FOUND', 'No such payment.');
      if (row.status === 'cancelled') return toResource(row);
      if (!OPEN_STATUSES.includes(row.status)) throw new ApiError(409, 'PAYMENT_FINAL', `The payment is already ${row.status}.`);
      return this.closePayment(tx, row, 'cancelled');
    });
  }

  /**
   * Moves a payment to (or keeps it in) `expired` or `cancelled`, and the counter screen with it.
   * `received` is money that arrived for it once closed: it shows in `amountPaid`, so no screen asks
   * to pay again, while reconciliation owes it back.
   */
  private async closePayment(tx: EventTx, row: PaymentRow, status: 'expired' | 'cancelled', received = 0): Promise<PaymentResource> {
    const payment: PaymentResource = { ...toResource(row), status, amountPaid: Number(row.amount_paid) + received, version: Number(row.version) + 1 };
    await this.updatePayment(tx, payment);
    await this.followPayment(tx, payment, row);
    return payment;
  }

  /**
   * Writes a locked payment's next state and emits it. The caller computed the
   * next resource from the row it holds locked, so the event is exactly what was stored.
   */
  private async updatePayment(tx: EventTx, payment: PaymentResource): Promise<void> {
    const [written] = await tx.query<{ version: number }>(
      `WITH up AS (
         UPDATE payments SET status = $2, amount_paid = $3, paid_at = $4, version = $5 WHERE id = $1 AND version = $5 - 1 RETURNING version)
       SELECT version FROM up`,
      [payment.id, payment.status, payment.amountPaid, payment.paidAt, payment.version],
    );
    // Unreachable while the row is locked; refuse rather than publish something that was not stored.
    if (!written) throw new Error(`payment ${payment.id} changed under its lock`);
    tx.emit({ type: 'payment', data: payment });
  }

  private get grace(): number {
    return this.options.expiryGraceSeconds ?? 0;
  }

  /** The gateway's collection accounts: money into any other account never counts. */
  isCollectionAccount(account: string | undefined): boolean {
    return !!account && normalAccount(account) === normalAccount(this.options.bank.account);
  }

  /** Expires every open payment past its `expiresAt` plus the grace window, and resets timed-out screens. Safe to run on every instance. */
  async sweep(): Promise<{ expired: number; reset: number }> {
    const expired = await this.transaction(async (tx) => {
      const rows = await tx.query<PaymentRow>(
        `SELECT * FROM payments WHERE status IN ('pending','underpaid') AND expires_at <= now() - make_interval(secs => $1) ORDER BY expires_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
        [this.grace],
      );
      for (const row of rows) await this.closePayment(tx, row, 'expired');
      return rows.length;
    });
    const reset = await this.transaction(async (tx) => {
      const rows = await tx.query<{ counter: string }>(`SELECT counter FROM counter_states WHERE reset_at <= now() LIMIT 200 FOR UPDATE SKIP LOCKED`);
      for (const { counter } of rows) await this.setCounter(tx, counter, (base) => ({ ...base, state: 'idle' }), {});
      return rows.length;
    });
    // Survey tokens a week (or the late-rating window, if longer) past their expiry go: until then a late
    // scan gets TOKEN_EXPIRED, not INVALID_TOKEN, and a rating queued offline before the expiry still counts.
    await this.db.query(
      `DELETE FROM survey_tokens WHERE id IN (SELECT id FROM survey_tokens WHERE expires_at <= now() - make_interval(secs => $1) LIMIT 500)`,
      [Math.max(7 * 86_400, this.options.surveyLateWindowSeconds ?? 0)],
    );
    return { expired, reset };
  }

  /**
   * Records a bank transaction once (by provider + transaction id) and applies it to the payment whose
   * code its memo carries. The payment row is locked first, so concurrent transfers for one payment
   * apply one after the other, and a re-delivery racing the original is recorded once. What cannot
   * count is recorded with its reason: a rejected item, a second provider's report of a transfer
   * already recorded (same bank reference, account and amount), money into another account, no or an
   * unknown code, a payment closed (cancelled, or expired past the grace window). The database's clock decides.
   */
  async applyTransaction(input: IncomingTransaction): Promise<TransactionOutcome> {
    const providerTxId = storable(input.providerTxId);
    const memo = storable(input.memo);
    const bankReference = input.bankReference ? storable(input.bankReference) : null;
    // Stored without spaces, dots or dashes, so two providers' spellings of one account compare equal.
    const account = input.account ? normalAccount(storable(input.account)) : null;
    const amount = input.rejection ? 0 : input.amount;
    const raw = JSON.stringify(storableJson(input.raw ?? null));
    const bodyHash = input.rawBody ? sha256Hex(input.rawBody) : null;
    return this.transaction(async (tx) => {
      // The body is kept once per distinct notification, in the same statement as the transaction row.
      const keepBody = `kept AS (INSERT INTO bank_notifications (sha256, provider, body) SELECT $8::text, $1::text, $9::bytea WHERE $8::text IS NOT NULL ON CONFLICT (sha256) DO NOTHING)`;
      const columns = `provider, provider_tx_id, amount, memo, bank_reference, account, raw, notification_sha256, status, reason, payment_id, surplus, duplicate_of`;
      const common = [input.provider, providerTxId, amount, memo, bankReference, account, raw, bodyHash, input.rawBody ?? null];
      const record = async (
        status: 'unmatched' | 'rejected' | 'duplicate',
        reason: string | null,
        paymentId: string | null,
        duplicateOf: string | null = null,
      ): Promise<boolean> => {
        const inserted = await tx.query(
          `WITH ${keepBody}
           INSERT INTO bank_transactions (${columns}) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$10,$11,$12,0,$13::int8)
           ON CONFLICT (provider, provider_tx_id) DO NOTHING RETURNING id`,
          [...common, status, reason, paymentId, duplicateOf],
        );
        return inserted.length > 0;
      };
      const duplicate: TransactionOutcome = { outcome: 'duplicate', providerTxId };
      const unmatched = async (reason: UnmatchedReason, paymentId?: string): Promise<TransactionOutcome> =>
        (await record('unmatched', reason, paymentId ?? null))
          ? { outcome: 'unmatched', providerTxId, reason, ...(paymentId ? { paymentId } : {}) }
          : duplicate;

      if (input.rejection) {
        const { reason, message } = input.rejection;
        return (await record('rejected', reason, null)) ? { outcome: 'rejected', providerTxId, reason, message } : duplicate;
      }
      if (bankReference) {
        // Serialise the reports of one bank reference, so two providers racing are seen one after the other.
        await tx.query('SELECT pg_advisory_xact_lock(7311002, hashtext($1))', [bankReference]);
        const [original] = await tx.query<{ id: string; provider: string; provider_tx_id: string; payment_id: string | null }>(
          `SELECT id, provider, provider_tx_id, payment_id FROM bank_transactions
           WHERE bank_reference = $1 AND account IS NOT DISTINCT FROM $2 AND amount = $3 AND provider <> $4 AND status IN ('matched','unmatched')
           ORDER BY id LIMIT 1`,
          [bankReference, account, amount, input.provider],
        );
        if (original) {
          const stored = await record('duplicate', null, original.payment_id, String(original.id));
          return stored
            ? { outcome: 'duplicate', providerTxId, duplicateOf: { provider: original.provider, transactionId: original.provider_tx_id } }
            : duplicate;
        }
      }
      if (!this.isCollectionAccount(account ?? undefined)) return unmatched('other_account');
      const candidates = paymentCodeCandidates(memo);
      if (!candidates.length) return unmatched('no_code');
      const rows = await tx.query<PaymentRow & { db_now: Date; past_grace: boolean }>(
        // An array literal (codes are [A-Z0-9] only) works with both drivers and lets the planner use the unique index.
        `SELECT *, now() AS db_now, expires_at + make_interval(secs => $2) < now() AS past_grace FROM payments WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE`,
        [`{${candidates.join(',')}}`, this.grace],
      );
      // Several candidates can exist only by accident (a code-shaped word in the memo): the first in the memo wins.
      const row = candidates.map((code) => rows.find((r) => r.code === code)).find(Boolean);
      if (!row) return unmatched('unknown_code');
      // The QR named this payment's account: money into another collection account is not this payment's.
      if (normalAccount(row.bank_account) !== account) return unmatched('other_account', row.id);
      const closed =
        row.status === 'cancelled' ? 'cancelled' : row.status === 'expired' || (OPEN_STATUSES.includes(row.status) && row.past_grace) ? 'expired' : null;
      if (closed) {
        // Late money is owed back, yet shown on the payment (amountPaid, a new version) so no screen invites to pay again.
        const outcome = await unmatched('payment_closed', row.id);
        if (outcome.outcome !== 'duplicate') await this.closePayment(tx, row, closed, input.amount);
        return outcome;
      }
      const due = Number(row.amount);
      const before = Number(row.amount_paid);
      const after = before + input.amount;
      const surplus = Math.max(0, after - due) - Math.max(0, before - due);
      const status: PaymentStatus = after >= due ? 'paid' : 'underpaid';
      const previous = toResource(row);
      const payment: PaymentResource = {
        ...previous,
        status,
        // While underpaid the QR asks only for what is still due, so a second scan never pays the whole fee again.
        qr: qrForAmountDue({ status, amount: due, amountPaid: after, qr: row.qr }),
        amountPaid: after,
        paidAt: previous.paidAt ?? (status === 'paid' ? new Date(row.db_now).toISOString() : null),
        version: previous.version + 1,
      };
      // Record the transfer and update the payment in one statement (one round trip): if the transfer
      // was already recorded, nothing is inserted, nothing updated, nothing published.
      const [written] = await tx.query(
        `WITH ${keepBody},
         ins AS (
           INSERT INTO bank_transactions (${columns}) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,'matched',NULL,$10,$11,NULL)
           ON CONFLICT (provider, provider_tx_id) DO NOTHING RETURNING id),
         up AS (
           UPDATE payments SET status = $12, amount_paid = $13, paid_at = $14, version = $15, qr = $16
           WHERE id = $10 AND version = $15 - 1 AND EXISTS (SELECT 1 FROM ins) RETURNING version)
         SELECT version FROM up`,
        [...common, row.id, surplus, status, after, payment.paidAt, payment.version, payment.qr],
      );
      if (!written) return duplicate;
      tx.emit({ type: 'payment', data: payment });
      // A transfer on top of a payment already paid changes only amountPaid: the screen has moved on.
      if (row.status !== 'paid') await this.followPayment(tx, payment, row);
      return { outcome: 'matched', providerTxId, paymentId: row.id, status, amountPaid: after, surplus };
    });
  }

  /** Keeps the citizen screen of the payment's counter in step with the payment — only if it shows it. */
  private async followPayment(tx: EventTx, payment: PaymentResource, row: PaymentRow): Promise<void> {
    const showing = { ifPaymentId: payment.id };
    if (payment.status === 'paid') {
      const expiresAt = new Date(Date.now() + this.options.surveyTokenTtlSeconds * 1000);
      const { token, claims } = await issueSurveyToken(tx, {
        counter: payment.counter,
        dossier: payment.dossier,
        ...(row.officer ? { officer: row.officer } : {}),
        ...(row.procedure ? { procedure: row.procedure } : {}),
        exp: Math.floor(expiresAt.getTime() / 1000),
      });
      const base = this.options.publicBaseUrl?.replace(/\/$/, '') ?? '';
      const survey: SurveyPrompt = {
        surveyId: 'counter',
        token,
        counter: payment.counter,
        dossier: payment.dossier,
        ...(claims.officer ? { officer: claims.officer } : {}),
        endpoint: '/api/surveys',
        phoneUrl: `${base}/survey.html?token=${encodeURIComponent(token)}`,
        expiresAt: expiresAt.toISOString(),
      };
      await this.setCounter(tx, payment.counter, (b) => ({ ...b, state: 'survey', survey, payment }), {
        ...showing,
        paymentId: payment.id,
        surveyTokenId: claims.tid,
        resetAfterMs: this.options.surveyScreenMs,
      });
    } else if (payment.status === 'cancelled') {
      await this.setCounter(tx, payment.counter, (b) => ({ ...b, state: 'idle' }), showing);
    } else {
      await this.setCounter(tx, payment.counter, (b) => ({ ...b, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` }), {
        ...showing,
        paymentId: payment.id,
        ...(payment.status === 'expired' ? { resetAfterMs: this.options.expiredScreenMs } : {}),
      });
    }
  }

  /**
   * Writes the counter's next state with the next version and emits it — one statement, one round
   * trip. `ifPaymentId`/`ifSurveyTokenId` make it a compare-and-set on what the screen shows now
   * (checked on the locked row, so a payment created meanwhile for the counter is never overwritten).
   */
  private async setCounter(
    tx: EventTx,
    counter: string,
    build: (base: { counter: string; counterName?: string; version: number }) => CounterState,
    extra: { paymentId?: string; surveyTokenId?: string; resetAfterMs?: number; ifPaymentId?: string; ifSurveyTokenId?: string },
  ): Promise<void> {
    const counterName = this.options.counters[counter];
    // Built with version 0; the database puts the real next version in, inside the same statement.
    const state = build({ counter, ...(counterName ? { counterName } : {}), version: 0 });
    const [written] = await tx.query<{ state: CounterState | string }>(
      `WITH next AS (
         INSERT INTO counter_states AS c (counter, state, payment_id, survey_token_id, reset_at, version)
         VALUES ($1, jsonb_set($2::jsonb, '{version}', '1'), $3, $4, CASE WHEN $5::int8 IS NULL THEN NULL ELSE now() + make_interval(secs => $5::int8 / 1000.0) END, 1)
         ON CONFLICT (counter) DO UPDATE SET
           version = c.version + 1,
           state = jsonb_set(EXCLUDED.state, '{version}', to_jsonb(c.version + 1)),
           payment_id = EXCLUDED.payment_id, survey_token_id = EXCLUDED.survey_token_id, reset_at = EXCLUDED.reset_at
         WHERE ($6::text IS NULL OR c.payment_id = $6) AND ($7::text IS NULL OR c.survey_token_id = $7)
         RETURNING state)
       SELECT state FROM next`,
      [
        counter,
        JSON.stringify(state),
        extra.paymentId ?? null,
        extra.surveyTokenId ?? null,
        extra.resetAfterMs ?? null,
        extra.ifPaymentId ?? null,
        extra.ifSurveyTokenId ?? null,
      ],
    );
    if (written) tx.emit({ type: 'counter', data: typeof written.state === 'string' ? (JSON.parse(written.state) as CounterState) : written.state });
  }

  async counterState(counter: string): Promise<CounterState> {
    const [row] = await this.db.query<{ state: CounterState | string }>('SELECT state FROM counter_states WHERE counter = $1', [counter]);
    if (row) return typeof row.state === 'string' ? (JSON.parse(row.state) as CounterState) : row.state;
    const counterName = this.options.counters[counter];
    return { state: 'idle', counter, ...(counterName ? { counterName } : {}), version: 0 };
  }

  /** `POST /api/counters/:counter/idle`. */
  async resetCounter(counter: string): Promise<CounterState> {
    await this.transaction((tx) => this.setCounter(tx, counter, (base) => ({ ...base, state: 'idle' }), {}));
    return this.counterState(counter);
  }

  /** After a rating: the screen that showed this token's prompt goes back to idle. */
  async surveyDone(tx: EventTx, counter: string, tokenId: string): Promise<void> {
    await this.setCounter(tx, counter, (base) => ({ ...base, state: 'idle' }), { ifSurveyTokenId: tokenId });
  }
}
