import { amountToRefund, isFinalStatus, PaymentStatus as PaymentStatuses, qrForAmountDue } from '@motcua/core/protocol';
import { encodeVietQR, toMemo, type CounterState, type PaymentResource, type PaymentStatus, type SurveyPrompt } from '@motcua/core';
import type { Database, Queryable, Row, Transaction } from './db.js';
import { Conflict, InvalidState, NotFound } from './errors.js';
import { newPaymentCode, paymentCodeCandidates } from './payment-code.js';
import { randomId, sha256Hex } from './crypto.js';
import { issueSurveyToken } from './survey-token.js';
import { hasCounter, normalAccount, type Unit, unknownCounter } from './units.js';
import { enqueueEvent, outboxWrite } from './webhooks.js';

/** The NOTIFY channel every state change is published on to the other instances (PostgreSQL). */
export const EVENTS_CHANNEL = 'motcua_events';

/** A change to publish: a payment (channel `payment:<id>`), or a unit's counter (channel `counter:<unit>/<counter>`). */
export type GatewayEvent = { type: 'payment'; data: PaymentResource } | { type: 'counter'; unit: string; data: CounterState };

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
  /** `postal`: the results (and the slip with the QR) go by post; the payment lives for weeks. */
  delivery?: 'counter' | 'postal';
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
  /** Every unit: its collection account (QRs, and which transfers are its), its counters' names. */
  units: readonly Pick<Unit, 'id' | 'account' | 'counters' | 'anyCounter'>[];
  surveyTokenSecret: string;
  surveyTokenTtlSeconds: number;
  /** Seconds after a survey token's expiry during which a rating made before it is still accepted (the token is kept that long, at least 7 days). */
  surveyLateWindowSeconds?: number;
  surveyScreenMs: number;
  /** How long every screen of the counter shows "paid" before the rating, ms (0 or absent: the rating at once). */
  paidScreenMs?: number;
  expiredScreenMs: number;
  publicBaseUrl?: string;
  /** Seconds after `expiresAt` during which a matching transfer still pays. Default 0. */
  expiryGraceSeconds?: number;
  /** Called inside each transaction that changed something, before it commits (PostgreSQL: NOTIFY the other instances, with the COMMIT). */
  beforeCommit?(tx: Transaction, events: GatewayEvent[]): void;
  /** Receives the events of every committed transaction, in order (never those of a rolled-back one). */
  onCommit(events: GatewayEvent[]): void;
}

/** The statuses a payment can still leave (not final in core's protocol), and the same as an SQL list. */
const OPEN_STATUSES: readonly PaymentStatus[] = Object.values(PaymentStatuses).filter((status) => !isFinalStatus(status));
const OPEN_STATUSES_SQL = `(${OPEN_STATUSES.map((status) => `'${status}'`).join(',')})`;

/** A write of a counter's state (setCounter): the state from its base, and the compare-and-set and timer options. */
interface CounterWrite {
  build: (base: { counter: string; counterName?: string; version: number }) => CounterState;
  extra: { paymentId?: string; surveyTokenId?: string; resetAfterMs?: number | undefined; ifPaymentId?: string; ifSurveyTokenId?: string };
}

interface PaymentRow extends Row {
  id: string;
  unit: string;
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
  delivery?: string;
}

/** The columns of {@link PaymentRow}, for a statement that names them. */
const PAYMENT_COLUMNS =
  'id, unit, code, dossier, counter, procedure, officer, purpose, amount, amount_paid, status, qr, bank_bin, bank_account, bank_account_name, expires_at, paid_at, version, delivery';

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
  ...(row.delivery === 'postal' ? { delivery: 'postal' as const } : {}),
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

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === '23505';

/**
 * Every state change of the gateway, each in one transaction; the events it produced are handed to
 * `beforeCommit` (PostgreSQL: NOTIFY with the COMMIT, so other instances hear of exactly what commits)
 * and, once committed, to `onCommit` (this instance's subscribers, without a database round trip).
 */
export class Store {
  private readonly unitsById: ReadonlyMap<string, StoreOptions['units'][number]>;

  constructor(
    readonly db: Database,
    private readonly options: StoreOptions,
  ) {
    this.unitsById = new Map(options.units.map((unit) => [unit.id, unit]));
  }

  /** The unit of a deployment with one (the implicit unit); undefined with several. */
  get soleUnit(): string | undefined {
    return this.options.units.length === 1 ? this.options.units[0]!.id : undefined;
  }

  /** Whether `unit` is one of the deployment's units. */
  hasUnit(unit: string): boolean {
    return this.unitsById.has(unit);
  }

  /** Whether `counter` is one of the unit's ({@link hasCounter}); false for no unit. */
  hasCounter(unit: string, counter: string): boolean {
    const known = this.unitsById.get(unit);
    return known !== undefined && hasCounter(known, counter);
  }

  /** The unit whose collection account this is (spaces, dots and dashes ignored). */
  unitOfAccount(account: string | null | undefined): Pick<Unit, 'id' | 'account' | 'counters'> | undefined {
    if (!account) return undefined;
    const normal = normalAccount(account);
    return this.options.units.find((unit) => normalAccount(unit.account.account) === normal);
  }

  /** Runs `fn` in a transaction; publishes its events after the commit. */
  async transaction<T>(fn: (tx: EventTx) => Promise<T>): Promise<T> {
    const events: GatewayEvent[] = [];
    const result = await this.db.transaction(async (tx) => {
      const value = await fn({ query: (sql, params) => tx.query(sql, params), emit: (event) => events.push(event) });
      if (events.length) this.options.beforeCommit?.(tx, events);
      return value;
    });
    if (events.length) this.options.onCommit(events);
    return result;
  }

  /** Creates the unit's payment, or returns the dossier's open one in the unit (`created: false`). */
  async createPayment(unit: string, input: NewPayment): Promise<{ payment: PaymentResource; created: boolean }> {
    // Its QR would go to a screen nobody watches (a typo, or another unit's counter).
    if (!this.hasCounter(unit, input.counter)) throw unknownCounter(unit, input.counter, 'field');
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.transaction((tx) => this.createPaymentIn(tx, unit, input));
      } catch (error) {
        // A code collision or a concurrent request for the same dossier: try again (the retry finds it).
        if (isUniqueViolation(error) && attempt < 5) continue;
        throw error;
      }
    }
  }

  private async createPaymentIn(tx: EventTx, unit: string, input: NewPayment): Promise<{ payment: PaymentResource; created: boolean }> {
    const [open] = await tx.query<PaymentRow & { live: boolean }>(
      `SELECT *, expires_at > now() AS live FROM payments WHERE unit = $2 AND dossier = $1 AND status IN ${OPEN_STATUSES_SQL} FOR UPDATE`,
      [input.dossier, unit],
    );
    if (open) {
      if (open.live) {
        if (Number(open.amount) !== input.amount || open.counter !== input.counter)
          throw new Conflict(
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
    const bank = this.unitsById.get(unit)!.account;
    const qr = encodeVietQR({ bin: bank.bin, account: bank.account, service: 'account', initiation: 'dynamic', amount: input.amount, purpose: memo });
    const [row] = await tx.query<PaymentRow>(
      `INSERT INTO payments (id, code, dossier, counter, procedure, officer, purpose, amount, status, qr, bank_bin, bank_account, bank_account_name, expires_at, delivery, unit)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'pending',$9,$10,$11,$12, now() + make_interval(secs => $13), $14, $15) RETURNING *`,
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
        input.delivery ?? 'counter',
        unit,
      ],
    );
    const payment = toResource(row!);
    tx.emit({ type: 'payment', data: payment });
    await enqueueEvent(tx, { type: 'payment.created', unit, paymentId: payment.id, data: { payment } });
    await this.setCounter(tx, unit, input.counter, (base) => ({ ...base, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` }), {
      paymentId: payment.id,
    });
    return { payment, created: true };
  }

  /** A payment by id (public reads), or only if it is `unit`'s (keyed reads: another unit's is not found). */
  async getPayment(id: string, unit?: string): Promise<PaymentResource | undefined> {
    const [row] = await this.db.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 AND ($2::text IS NULL OR unit = $2)', [id, unit ?? null]);
    return row ? toResource(row) : undefined;
  }

  async listPayments(filter: { unit: string; status?: string; counter?: string; limit: number }): Promise<PaymentResource[]> {
    const rows = await this.db.query<PaymentRow>(
      `SELECT * FROM payments WHERE unit = $4 AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR counter = $2) ORDER BY created_at DESC LIMIT $3`,
      [filter.status ?? null, filter.counter ?? null, filter.limit, filter.unit],
    );
    return rows.map(toResource);
  }

  async cancelPayment(unit: string, id: string): Promise<PaymentResource> {
    return this.transaction(async (tx) => {
      const [row] = await tx.query<PaymentRow>('SELECT * FROM payments WHERE id = $1 AND unit = $2 FOR UPDATE', [id, unit]);
      if (!row) throw new NotFound('No such payment.');
      if (row.status === 'cancelled') return toResource(row);
      if (isFinalStatus(row.status)) throw new InvalidState('PAYMENT_FINAL', `The payment is already ${row.status}.`);
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
    if (row.status !== status) await enqueueEvent(tx, { type: `payment.${status}`, unit: row.unit, paymentId: payment.id, data: { payment } });
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

  /** Expires every open payment past its `expiresAt` plus the grace window, and resets timed-out screens. Safe to run on every instance. */
  async sweep(): Promise<{ expired: number; reset: number }> {
    const expired = await this.transaction(async (tx) => {
      const rows = await tx.query<PaymentRow>(
        `SELECT * FROM payments WHERE status IN ${OPEN_STATUSES_SQL} AND expires_at <= now() - make_interval(secs => $1) ORDER BY expires_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
        [this.grace],
      );
      for (const row of rows) await this.closePayment(tx, row, 'expired');
      return rows.length;
    });
    const reset = await this.transaction((tx) => this.moveOnDueCounters(tx));
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
    // The destination account decides the unit: only its payments' codes can match. Money into an
    // account of no unit is the sole unit's to see in a single-unit deployment, and no unit's in a province.
    const receiving = this.unitOfAccount(account);
    const unit = receiving?.id ?? this.soleUnit ?? null;
    return this.transaction(async (tx) => {
      // The body is kept once per distinct notification, in the same statement as the transaction row.
      const keepBody = `kept AS (INSERT INTO bank_notifications (sha256, provider, body) SELECT $8::text, $1::text, $9::bytea WHERE $8::text IS NOT NULL ON CONFLICT (sha256) DO NOTHING)`;
      const columns = `provider, provider_tx_id, amount, memo, bank_reference, account, raw, notification_sha256, unit, status, reason, payment_id, surplus, duplicate_of`;
      const common = [input.provider, providerTxId, amount, memo, bankReference, account, raw, bodyHash, input.rawBody ?? null, unit];
      const record = async (
        status: 'unmatched' | 'rejected' | 'duplicate',
        reason: string | null,
        paymentId: string | null,
        duplicateOf: string | null = null,
      ): Promise<boolean> => {
        const inserted = await tx.query(
          `WITH ${keepBody}
           INSERT INTO bank_transactions (${columns}) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$10,$11,$12,$13,0,$14::int8)
           ON CONFLICT (provider, provider_tx_id) DO NOTHING RETURNING id`,
          [...common, status, reason, paymentId, duplicateOf],
        );
        if (status === 'unmatched' && inserted.length && unit)
          await enqueueEvent(tx, {
            type: 'transaction.unmatched',
            unit,
            paymentId,
            data: { transaction: { provider: input.provider, providerTxId, amount, memo, bankReference, account, reason, paymentId } },
          });
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
      if (!receiving) return unmatched('other_account');
      const candidates = paymentCodeCandidates(memo);
      if (!candidates.length) return unmatched('no_code');
      const rows = await tx.query<PaymentRow & { db_now: Date; past_grace: boolean }>(
        // An array literal (codes are [A-Z0-9] only) works with both drivers and lets the planner use the unique index.
        // Columns named, not `*`: on PostgreSQL this hot statement is then a prepared one (db.ts).
        `SELECT ${PAYMENT_COLUMNS}, now() AS db_now, expires_at + make_interval(secs => $2) < now() AS past_grace FROM payments
         WHERE code = ANY($1::text[]) AND unit = $3 ORDER BY code FOR UPDATE`,
        [`{${candidates.join(',')}}`, this.grace, receiving.id],
      );
      // Several candidates can exist only by accident (a code-shaped word in the memo): the first in the memo wins.
      const row = candidates.map((code) => rows.find((r) => r.code === code)).find(Boolean);
      if (!row) return unmatched('unknown_code');
      // The QR named this payment's account: money into another collection account is not this payment's.
      if (normalAccount(row.bank_account) !== account) return unmatched('other_account', row.id);
      const closed = row.status === 'cancelled' ? 'cancelled' : row.status === 'expired' || (!isFinalStatus(row.status) && row.past_grace) ? 'expired' : null;
      if (closed) {
        // Late money is owed back, yet shown on the payment (amountPaid, a new version) so no screen invites to pay again.
        const outcome = await unmatched('payment_closed', row.id);
        if (outcome.outcome !== 'duplicate') await this.closePayment(tx, row, closed, input.amount);
        return outcome;
      }
      const due = Number(row.amount);
      const before = Number(row.amount_paid);
      const after = before + input.amount;
      const surplus = amountToRefund({ amount: due, amountPaid: after }) - amountToRefund({ amount: due, amountPaid: before });
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
      // One statement (one round trip) records the transfer, updates the payment and, unless it was paid
      // already, writes its webhook event to the outbox and moves its counter's screen on (followPayment's
      // write, when that is one statement): if the transfer was already recorded, nothing is inserted,
      // nothing updated, no event written, no screen moved, nothing published.
      // A transfer on top of a payment already paid changes only amountPaid: the screen has moved on.
      const event =
        row.status !== 'paid' ? outboxWrite({ type: `payment.${status}`, unit: row.unit, paymentId: payment.id, data: { payment } }, 18, 'up') : undefined;
      const follow = row.status !== 'paid' ? this.followWrite(payment) : undefined;
      const counter = follow ? this.counterWrite(row.unit, payment.counter, follow, 18 + (event?.params.length ?? 0), 'up') : undefined;
      const ctes = [
        keepBody,
        `ins AS (
           INSERT INTO bank_transactions (${columns}) VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,$10,'matched',NULL,$11,$12,NULL)
           ON CONFLICT (provider, provider_tx_id) DO NOTHING RETURNING id)`,
        `up AS (
           UPDATE payments SET status = $13, amount_paid = $14, paid_at = $15, version = $16, qr = $17
           WHERE id = $11 AND version = $16 - 1 AND EXISTS (SELECT 1 FROM ins) RETURNING version)`,
        ...(event ? [event.sql] : []),
        ...(counter ? [counter.sql] : []),
      ];
      const [written] = await tx.query<{ version: number; counter?: CounterState | string | null }>(
        `WITH ${ctes.join(',\n         ')}
         SELECT version${counter ? ', (SELECT state FROM next) AS counter' : ''} FROM up`,
        [...common, row.id, surplus, status, after, payment.paidAt, payment.version, payment.qr, ...(event?.params ?? []), ...(counter?.params ?? [])],
      );
      if (!written) return duplicate;
      tx.emit({ type: 'payment', data: payment });
      if (counter) {
        if (written.counter) this.emitCounter(tx, row.unit, written.counter);
      } else if (row.status !== 'paid') await this.followPayment(tx, payment, row);
      return { outcome: 'matched', providerTxId, paymentId: row.id, status, amountPaid: after, surplus };
    });
  }

  /** Keeps the citizen screen of the payment's counter in step with the payment — only if it shows it (also after a desk action, exceptions.ts). */
  async followPayment(tx: EventTx, payment: PaymentResource, row: PaymentRow): Promise<void> {
    const write = this.followWrite(payment);
    if (write) await this.setCounter(tx, row.unit, payment.counter, write.build, write.extra);
    else await this.promptSurvey(tx, payment, row, { ifPaymentId: payment.id });
  }

  /** The counter write {@link followPayment} makes for `payment`: undefined when it prompts the rating (a survey token first). */
  private followWrite(payment: PaymentResource): CounterWrite | undefined {
    const showing = { ifPaymentId: payment.id };
    if (payment.status === 'paid' && (this.options.paidScreenMs ?? 0) > 0) {
      // Every screen shows "paid" until the sweeper (or the next read) moves the counter on to the rating.
      return {
        build: (b) => ({ ...b, state: 'paid', payment, paymentSrc: `/api/payments/${payment.id}`, until: '' }),
        extra: { ...showing, paymentId: payment.id, resetAfterMs: this.options.paidScreenMs },
      };
    }
    if (payment.status === 'paid') return undefined;
    if (payment.status === 'cancelled') return { build: (b) => ({ ...b, state: 'idle' }), extra: showing };
    return {
      build: (b) => ({ ...b, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` }),
      extra: { ...showing, paymentId: payment.id, ...(payment.status === 'expired' ? { resetAfterMs: this.options.expiredScreenMs } : {}) },
    };
  }

  /** The counter asks to rate the service: a one-time survey token for the paid payment's dossier, the prompt for `surveyScreenMs`. */
  private async promptSurvey(
    tx: EventTx,
    payment: PaymentResource,
    row: Pick<PaymentRow, 'unit' | 'officer' | 'procedure'>,
    showing: { ifPaymentId: string },
  ): Promise<void> {
    // Whole seconds, as the token's `exp` is kept: the prompt (the screen, the phone page) says exactly
    // when the server stops taking it — it said up to a second later than the token's stored expiry.
    const exp = Math.floor(Date.now() / 1000 + this.options.surveyTokenTtlSeconds);
    const expiresAt = new Date(exp * 1000);
    const { token, claims } = await issueSurveyToken(tx, {
      unit: row.unit,
      counter: payment.counter,
      dossier: payment.dossier,
      ...(row.officer ? { officer: row.officer } : {}),
      ...(row.procedure ? { procedure: row.procedure } : {}),
      exp,
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
    await this.setCounter(tx, row.unit, payment.counter, (b) => ({ ...b, state: 'survey', survey, payment }), {
      ...showing,
      paymentId: payment.id,
      surveyTokenId: claims.tid,
      resetAfterMs: this.options.surveyScreenMs,
    });
  }

  /**
   * Moves on every counter whose timed state is over (`reset_at` passed), or only `counter`'s: "paid"
   * to the rating of that payment, anything else to idle. Run by the sweeper and by a read that finds
   * the state over, so a screen that connects late sees what the others see. Returns how many moved.
   */
  private async moveOnDueCounters(tx: EventTx, only?: { unit: string; counter: string }): Promise<number> {
    const rows = await tx.query<{ unit: string; counter: string; phase: string; payment_id: string | null }>(
      `SELECT unit, counter, state->>'state' AS phase, payment_id FROM counter_states
       WHERE reset_at <= now() AND ($1::text IS NULL OR (unit = $1 AND counter = $2)) LIMIT 200 FOR UPDATE SKIP LOCKED`,
      [only?.unit ?? null, only?.counter ?? null],
    );
    for (const row of rows) {
      const [paid] =
        row.phase === 'paid' && row.payment_id ? await tx.query<PaymentRow>(`SELECT * FROM payments WHERE id = $1 AND status = 'paid'`, [row.payment_id]) : [];
      if (paid) await this.promptSurvey(tx, toResource(paid), paid, { ifPaymentId: paid.id });
      else await this.setCounter(tx, row.unit, row.counter, (base) => ({ ...base, state: 'idle' }), {});
    }
    return rows.length;
  }

  /**
   * Writes the counter's next state with the next version and emits it — one statement, one round
   * trip. `ifPaymentId`/`ifSurveyTokenId` make it a compare-and-set on what the screen shows now
   * (checked on the locked row, so a payment created meanwhile for the counter is never overwritten).
   */
  private async setCounter(tx: EventTx, unit: string, counter: string, build: CounterWrite['build'], extra: CounterWrite['extra']): Promise<void> {
    const write = this.counterWrite(unit, counter, { build, extra }, 1);
    const [written] = await tx.query<{ state: CounterState | string }>(`WITH ${write.sql} SELECT state FROM next`, write.params);
    if (written) this.emitCounter(tx, unit, written.state);
  }

  /**
   * {@link setCounter}'s statement as two CTEs (`timed`, `next`: `next` returns the state written, or no
   * row when the compare-and-set finds the screen showing something else) for a statement of the
   * caller's; parameters numbered from `$first`. `onlyIf`: an earlier CTE of that statement returning
   * at most one row — no row, no write.
   */
  private counterWrite(unit: string, counter: string, { build, extra }: CounterWrite, first: number, onlyIf?: string): { sql: string; params: unknown[] } {
    const counterName = this.counterName(unit, counter);
    // Built with version 0; the database puts the real next version in, inside the same statement.
    const state = build({ counter, ...(counterName ? { counterName } : {}), version: 0 });
    const $ = (n: number) => `$${first + n - 1}`;
    // A timed state that says until when (`paid`) gets the database's reset time, so `until` is exactly when the sweeper moves on.
    return {
      sql: `timed AS (
         SELECT s.state, s.reset_at FROM (
           SELECT ${$(2)}::jsonb AS state, CASE WHEN ${$(5)}::int8 IS NULL THEN NULL ELSE now() + make_interval(secs => ${$(5)}::int8 / 1000.0) END AS reset_at) s),
       next AS (
         INSERT INTO counter_states AS c (unit, counter, state, payment_id, survey_token_id, reset_at, version)
         SELECT ${$(8)}, ${$(1)}, jsonb_set(CASE WHEN timed.state ? 'until' AND timed.reset_at IS NOT NULL
             THEN jsonb_set(timed.state, '{until}', to_jsonb(to_char(timed.reset_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
             ELSE timed.state END, '{version}', '1'), ${$(3)}, ${$(4)}, timed.reset_at, 1 FROM timed${onlyIf ? `, ${onlyIf}` : ''}
         ON CONFLICT (unit, counter) DO UPDATE SET
           version = c.version + 1,
           state = jsonb_set(EXCLUDED.state, '{version}', to_jsonb(c.version + 1)),
           payment_id = EXCLUDED.payment_id, survey_token_id = EXCLUDED.survey_token_id, reset_at = EXCLUDED.reset_at
         WHERE (${$(6)}::text IS NULL OR c.payment_id = ${$(6)}) AND (${$(7)}::text IS NULL OR c.survey_token_id = ${$(7)})
         RETURNING state)`,
      params: [
        counter,
        JSON.stringify(state),
        extra.paymentId ?? null,
        extra.surveyTokenId ?? null,
        extra.resetAfterMs ?? null,
        extra.ifPaymentId ?? null,
        extra.ifSurveyTokenId ?? null,
        unit,
      ],
    };
  }

  /** Emits the counter state a write returned (a JSON string from a driver that does not parse jsonb). */
  private emitCounter(tx: EventTx, unit: string, state: CounterState | string): void {
    tx.emit({ type: 'counter', unit, data: typeof state === 'string' ? (JSON.parse(state) as CounterState) : state });
  }

  private counterName(unit: string, counter: string): string | undefined {
    const counters = this.unitsById.get(unit)?.counters ?? {};
    return Object.hasOwn(counters, counter) ? counters[counter] : undefined;
  }

  async counterState(unit: string, counter: string): Promise<CounterState> {
    const read = () =>
      this.db.query<{ state: CounterState | string; over: boolean }>(
        'SELECT state, reset_at IS NOT NULL AND reset_at <= now() AS over FROM counter_states WHERE unit = $1 AND counter = $2',
        [unit, counter],
      );
    let [row] = await read();
    // Over but not yet swept: move it on now (and tell every screen), rather than show what has ended.
    if (row?.over) {
      await this.transaction((tx) => this.moveOnDueCounters(tx, { unit, counter }));
      [row] = await read();
    }
    if (row) return typeof row.state === 'string' ? (JSON.parse(row.state) as CounterState) : row.state;
    const counterName = this.counterName(unit, counter);
    return { state: 'idle', counter, ...(counterName ? { counterName } : {}), version: 0 };
  }

  /** `POST /api/units/:unit/counters/:counter/idle`. */
  async resetCounter(unit: string, counter: string): Promise<CounterState> {
    await this.transaction((tx) => this.setCounter(tx, unit, counter, (base) => ({ ...base, state: 'idle' }), {}));
    return this.counterState(unit, counter);
  }

  /** After a rating: the screen that showed this token's prompt goes back to idle. */
  async surveyDone(tx: EventTx, unit: string, counter: string, tokenId: string): Promise<void> {
    await this.setCounter(tx, unit, counter, (base) => ({ ...base, state: 'idle' }), { ifSurveyTokenId: tokenId });
  }
}
