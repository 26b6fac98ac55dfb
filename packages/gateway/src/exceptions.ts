import type { IncomingHttpHeaders } from 'node:http';
import { qrForAmountDue } from '@motcua/core/protocol';
import type { PaymentResource, PaymentStatus } from '@motcua/core';
import { canonicalJson, randomId, sha256Hex } from './crypto.js';
import type { Database, Row } from './db.js';
import { Conflict, InvalidInput, NotFound, Unprocessable } from './errors.js';
import { classifyTransfer } from './reports.js';
import { toResource, type EventTx, type Store } from './store.js';

/**
 * The officer's exceptions desk: what a person resolves by hand when money did not match by itself.
 * Each action runs in one transaction, locks what it changes (the transfer first, then its payments in
 * id order, so two officers at once are served one after the other and never deadlock), writes an
 * audit row in `payment_adjustments` (who, when by the database's clock, why) and pushes the changed
 * payments live, as a bank notification would.
 *
 * A transfer counts towards the `amountPaid` of its `payment_id` when it is `matched`, or `unmatched`
 * for a closed payment (late money, shown on the payment so no screen asks to pay twice); a `cash`
 * adjustment counts towards its payment. Every action keeps that sum true.
 */

export interface Actor {
  /** The unit of the API key: the desk sees and changes this unit's transfers, payments and adjustments only (others: 404). */
  unit: string;
  /** The officer named in the request. */
  officer: string;
  /** The fingerprint of the API key the request came with (never the key). */
  apiKey: string;
}

export type AdjustmentKind = 'attach' | 'cash' | 'refund' | 'reversal';

/** One audited action, as the API shows it. */
export interface Adjustment {
  id: string;
  kind: AdjustmentKind;
  paymentId: string | null;
  /** The transfer (its id in reconciliation reports), for `attach`, `refund` and their reversals. */
  transferId: string | null;
  /** VND: the transfer attached, the cash received, the money refunded. */
  amount: number;
  /** `cash`: the receipt number; `refund`: the bank reference of the refund transfer. */
  reference: string | null;
  /** `refund`: the day the money was sent back (YYYY-MM-DD). */
  refundDate: string | null;
  reason: string;
  officer: string;
  apiKey: string;
  createdAt: string;
  /** A `reversal`: the adjustment it undoes. */
  reverses: string | null;
  /** The `reversal` that undid this one, if any. */
  reversedBy: string | null;
}

export interface DeskResult {
  adjustment: Adjustment;
  /** The payment as it is now (absent for a refund of money no payment claims). */
  payment?: PaymentResource;
}

const KEY_PATTERN = /^[\x21-\x7e]{8,200}$/;

// The errors of the desk, in one place (the HTTP edge maps them to a status and {error: {code, message}}).
const notFound = (what: string) => new NotFound(`No such ${what}.`);
const conflict = (code: string, message: string) => new Conflict(code, message);

/** The fingerprint of the request's API key (12 hex digits of its SHA-256): who acted, without storing the key. */
export function apiKeyFingerprint(headers: IncomingHttpHeaders): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
  const key = bearer ?? (headers['x-api-key'] as string | undefined) ?? '';
  return `key:${sha256Hex(key).slice(0, 12)}`;
}

/** Who acts and why: every action needs both (the routes' schemas check them). */
interface ActorAndReason {
  actor: Actor;
  reason: string;
}
export type AttachInput = ActorAndReason & { /** The payment's id or its code (as printed on the slip). */ payment: string };
export type RefundInput = ActorAndReason & { reference: string /** YYYY-MM-DD. */; date: string };
export type CashInput = ActorAndReason & { receipt: string };
export type ReverseInput = ActorAndReason;

interface PaymentRow extends Row {
  id: string;
  code: string;
  amount: number | string;
  amount_paid: number | string;
  status: PaymentStatus;
  qr: string;
  paid_at: Date | null;
  version: number;
  officer: string | null;
  procedure: string | null;
  past_grace: boolean;
  db_now: Date;
}

interface TransferRow extends Row {
  id: string | number;
  amount: number | string;
  status: string;
  reason: string | null;
  payment_id: string | null;
  surplus: number | string;
}

interface AdjustmentRow extends Row {
  id: string;
  kind: AdjustmentKind;
  payment_id: string | null;
  transaction_id: string | number | null;
  amount: number | string;
  reference: string | null;
  refund_date: string | Date | null;
  previous: unknown;
  officer: string;
  api_key: string;
  reason: string;
  reverses: string | null;
  reversed_by: string | null;
  created_at: Date;
}

const day = (value: string | Date | null): string | null =>
  value === null
    ? null
    : typeof value === 'string'
      ? value.slice(0, 10)
      : new Date(value.getTime() - value.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

export const toAdjustment = (row: AdjustmentRow): Adjustment => ({
  id: row.id,
  kind: row.kind,
  paymentId: row.payment_id,
  transferId: row.transaction_id === null ? null : String(row.transaction_id),
  amount: Number(row.amount),
  reference: row.reference,
  refundDate: day(row.refund_date),
  reason: row.reason,
  officer: row.officer,
  apiKey: row.api_key,
  createdAt: new Date(row.created_at).toISOString(),
  reverses: row.reverses,
  reversedBy: row.reversed_by,
});

/** The exceptions desk on a store; `graceSeconds` is the gateway's expiry grace window. */
export class ExceptionsDesk {
  constructor(
    private readonly store: Store,
    private readonly graceSeconds: number,
  ) {}

  /**
   * Runs `action` in one transaction, once per `Idempotency-Key` (optional): a repeat with the same
   * body returns the first answer (200), with another body 422, while the first still runs 409.
   */
  async run(
    unit: string,
    scope: string,
    idempotencyKey: string | undefined,
    body: unknown,
    action: (tx: EventTx) => Promise<DeskResult>,
  ): Promise<{ status: number; body: DeskResult }> {
    if (idempotencyKey === undefined) return this.store.transaction(async (tx) => ({ status: 201, body: await action(tx) }));
    if (!KEY_PATTERN.test(idempotencyKey)) throw new InvalidInput('INVALID_FIELD', 'The Idempotency-Key header must be 8–200 printable ASCII characters.');
    const bodyHash = sha256Hex(canonicalJson({ scope, body }));
    // Each unit's keys are its own: another unit's Idempotency-Key never answers for it.
    const keyScope = `desk:${unit}`;
    return this.store.transaction(async (tx) => {
      const [fresh] = await tx.query(
        `INSERT INTO idempotency_keys (scope, key, body_hash, status, response) VALUES ($3, $1, $2, 0, 'null'::jsonb) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [idempotencyKey, bodyHash, keyScope],
      );
      if (!fresh) {
        const [previous] = await tx.query<{ body_hash: string; status: number; response: unknown }>(
          `SELECT body_hash, status, response FROM idempotency_keys WHERE scope = $2 AND key = $1`,
          [idempotencyKey, keyScope],
        );
        if (previous!.body_hash !== bodyHash) throw new Unprocessable('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request.');
        if (!previous!.status) throw conflict('REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed.');
        const response = typeof previous!.response === 'string' ? JSON.parse(previous!.response) : previous!.response;
        return { status: 200, body: response as DeskResult };
      }
      const result = await action(tx);
      await tx.query(`UPDATE idempotency_keys SET status = 201, response = $2::jsonb WHERE scope = $3 AND key = $1`, [
        idempotencyKey,
        JSON.stringify(result),
        keyScope,
      ]);
      return { status: 201, body: result };
    });
  }

  /**
   * Applies an unmatched or late transfer to a payment (by id or code): it is then `matched` and counts
   * towards that payment (and no longer towards the closed payment it came late for). A transfer
   * already attached, refunded, rejected or a duplicate report cannot be; nor can a cancelled payment receive it.
   */
  async attach(tx: EventTx, transferId: string, input: AttachInput): Promise<DeskResult> {
    const transfer = await this.lockTransfer(tx, transferId, input.actor.unit);
    if (transfer.status === 'matched') throw conflict('TRANSFER_ALREADY_ATTACHED', 'This transfer already counts towards a payment; reverse that first.');
    if (transfer.status !== 'unmatched') throw conflict('TRANSFER_NOT_ATTACHABLE', `A ${transfer.status} transfer carries no money to attach.`);
    if (await this.activeAdjustment(tx, 'refund', 'transaction_id', transfer.id))
      throw conflict('TRANSFER_REFUNDED', 'This transfer was refunded; it cannot count towards a payment.');
    const [target] = await tx.query<{ id: string }>('SELECT id FROM payments WHERE (id = $1 OR code = $2) AND unit = $3', [
      input.payment,
      input.payment.toUpperCase(),
      input.actor.unit,
    ]);
    if (!target) throw notFound('payment');
    const late = transfer.reason === 'payment_closed' ? transfer.payment_id : null;
    const rows = await this.lockPayments(tx, [target.id, late]);
    const payment = rows.get(target.id)!;
    if (payment.status === 'cancelled') throw conflict('PAYMENT_CANCELLED', 'A cancelled payment cannot receive money; attach it to the new payment.');
    const amount = Number(transfer.amount);
    // Late money for this very payment already shows in its amountPaid: it now counts as paid.
    const counted = late === target.id ? amount : 0;
    const before = Number(payment.amount_paid) - counted;
    const after = before + amount;
    const due = Number(payment.amount);
    const surplus = Math.max(0, after - due) - Math.max(0, before - due);
    await tx.query(`UPDATE bank_transactions SET status = 'matched', reason = NULL, payment_id = $2, surplus = $3 WHERE id = $1`, [
      transfer.id,
      target.id,
      surplus,
    ]);
    const adjustment = await this.record(tx, {
      kind: 'attach',
      paymentId: target.id,
      transferId: String(transfer.id),
      amount,
      previous: { status: transfer.status, reason: transfer.reason, paymentId: transfer.payment_id, surplus: Number(transfer.surplus) },
      ...input,
    });
    if (late && late !== target.id) await this.setPaid(tx, rows.get(late)!, Number(rows.get(late)!.amount_paid) - amount);
    return { adjustment, payment: await this.setPaid(tx, payment, after) };
  }

  /**
   * Records that money owed back (an over-payment, money for a closed payment, or money no payment
   * claims) was returned to the citizen: it leaves "refund owed" for "refunded".
   */
  async refund(tx: EventTx, transferId: string, input: RefundInput): Promise<DeskResult> {
    const transfer = await this.lockTransfer(tx, transferId, input.actor.unit);
    if (await this.activeAdjustment(tx, 'refund', 'transaction_id', transfer.id))
      throw conflict('ALREADY_REFUNDED', 'This transfer’s refund is already recorded.');
    const [payment] = transfer.payment_id ? await tx.query<{ status: string }>('SELECT status FROM payments WHERE id = $1', [transfer.payment_id]) : [];
    const tx0 = { status: transfer.status, reason: transfer.reason, amount: Number(transfer.amount), surplus: Number(transfer.surplus) };
    const classified = classifyTransfer(tx0, payment?.status ?? null);
    const owed = classified.class === 'unmatched' && transfer.status === 'unmatched' ? tx0.amount : classified.refundOwed;
    if (owed <= 0) throw conflict('NOTHING_TO_REFUND', 'Nothing of this transfer is owed back (it pays a fee, or the payment is still open).');
    const adjustment = await this.record(tx, {
      kind: 'refund',
      paymentId: transfer.payment_id,
      transferId: String(transfer.id),
      amount: owed,
      refundDate: input.date,
      ...input,
    });
    return { adjustment };
  }

  /** Marks an open payment paid at the counter (cash, with its receipt number): the rest due is received. */
  async payInCash(tx: EventTx, payment: string, input: CashInput): Promise<DeskResult> {
    // By id, or by the code printed on the slip (what an officer has in hand).
    const [found] = await tx.query<{ id: string }>('SELECT id FROM payments WHERE (id = $1 OR code = $2) AND unit = $3', [
      payment,
      payment.toUpperCase(),
      input.actor.unit,
    ]);
    if (!found) throw notFound('payment');
    const paymentId = found.id;
    const rows = await this.lockPayments(tx, [paymentId]);
    const row = rows.get(paymentId)!;
    if (row.status === 'cancelled') throw conflict('PAYMENT_CANCELLED', 'A cancelled payment cannot be paid.');
    if (row.status === 'paid') throw conflict('PAYMENT_ALREADY_PAID', 'This payment is already paid.');
    if (row.status === 'expired' && Number(row.amount_paid) > 0)
      throw conflict('LATE_TRANSFERS_FIRST', 'Money arrived late for this payment: attach or refund it first.');
    const amount = Number(row.amount) - Number(row.amount_paid);
    const adjustment = await this.record(tx, { kind: 'cash', paymentId, transferId: null, amount, ...input, reference: input.receipt });
    return { adjustment, payment: await this.setPaid(tx, row, Number(row.amount)) };
  }

  /**
   * Undoes an adjustment: an attached transfer goes back to what it was (unmatched, or late for its
   * closed payment) and the payments' figures go back; cash is taken off the payment; a refund is owed again.
   */
  async reverse(tx: EventTx, adjustmentId: string, input: ReverseInput): Promise<DeskResult> {
    const [original] = await tx.query<AdjustmentRow>('SELECT * FROM payment_adjustments WHERE id = $1 AND unit = $2 FOR UPDATE', [
      adjustmentId,
      input.actor.unit,
    ]);
    if (!original) throw notFound('adjustment');
    if (original.kind === 'reversal') throw conflict('NOT_REVERSIBLE', 'A reversal cannot be reversed; record the action again.');
    if (original.reversed_by) throw conflict('ALREADY_REVERSED', 'This adjustment was already reversed.');
    const amount = Number(original.amount);
    // Audited first, so that what is recomputed below no longer counts the adjustment undone.
    const adjustment = await this.record(tx, {
      kind: 'reversal',
      paymentId: original.payment_id,
      transferId: original.transaction_id === null ? null : String(original.transaction_id),
      amount,
      reverses: original.id,
      ...input,
    });
    await tx.query('UPDATE payment_adjustments SET reversed_by = $2 WHERE id = $1', [original.id, adjustment.id]);
    let payment: PaymentResource | undefined;
    if (original.kind === 'attach') {
      const transfer = await this.lockTransfer(tx, String(original.transaction_id), input.actor.unit);
      if (await this.activeAdjustment(tx, 'refund', 'transaction_id', transfer.id))
        throw conflict('TRANSFER_REFUNDED', 'Part of this transfer was refunded; reverse the refund first.');
      const previous = (typeof original.previous === 'string' ? JSON.parse(original.previous) : original.previous) as {
        status: string;
        reason: string | null;
        paymentId: string | null;
        surplus: number;
      };
      const late = previous.reason === 'payment_closed' ? previous.paymentId : null;
      const rows = await this.lockPayments(tx, [original.payment_id, late]);
      await tx.query('UPDATE bank_transactions SET status = $2, reason = $3, payment_id = $4, surplus = $5 WHERE id = $1', [
        transfer.id,
        previous.status,
        previous.reason,
        previous.paymentId,
        previous.surplus,
      ]);
      const target = rows.get(original.payment_id!)!;
      if (late && late !== target.id) await this.setPaid(tx, rows.get(late)!, Number(rows.get(late)!.amount_paid) + amount);
      payment = await this.setPaid(tx, target, Number(target.amount_paid) - (late === target.id ? 0 : amount));
    } else if (original.kind === 'cash') {
      const rows = await this.lockPayments(tx, [original.payment_id]);
      const target = rows.get(original.payment_id!)!;
      payment = await this.setPaid(tx, target, Number(target.amount_paid) - amount);
    }
    return { adjustment, ...(payment ? { payment } : {}) };
  }

  /** Locks one of the unit's transfers (another unit's, or one into an account of no unit, is not found). */
  private async lockTransfer(tx: EventTx, transferId: string, unit: string): Promise<TransferRow> {
    if (!/^\d{1,18}$/.test(transferId)) throw notFound('transfer');
    const [row] = await tx.query<TransferRow>(
      'SELECT id, amount, status, reason, payment_id, surplus FROM bank_transactions WHERE id = $1 AND unit = $2 FOR UPDATE',
      [transferId, unit],
    );
    if (!row) throw notFound('transfer');
    return row;
  }

  /** Locks the payments (in id order: two officers at once never deadlock) and reads them with the database's clock. */
  private async lockPayments(tx: EventTx, ids: Array<string | null>): Promise<Map<string, PaymentRow>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort();
    const rows = await tx.query<PaymentRow>(
      `SELECT *, now() AS db_now, expires_at + make_interval(secs => $2) < now() AS past_grace FROM payments WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [`{${wanted.map((id) => `"${id}"`).join(',')}}`, this.graceSeconds],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async activeAdjustment(tx: EventTx, kind: AdjustmentKind, column: 'transaction_id' | 'payment_id', id: unknown): Promise<boolean> {
    const rows = await tx.query(`SELECT 1 FROM payment_adjustments WHERE kind = $1 AND ${column} = $2 AND reversed_by IS NULL LIMIT 1`, [kind, id]);
    return rows.length > 0;
  }

  private async record(
    tx: EventTx,
    entry: {
      kind: AdjustmentKind;
      paymentId: string | null;
      transferId: string | null;
      amount: number;
      reference?: string | null;
      refundDate?: string | null;
      previous?: unknown;
      reverses?: string;
      actor: Actor;
      reason: string;
    },
  ): Promise<Adjustment> {
    const [row] = await tx.query<AdjustmentRow>(
      `INSERT INTO payment_adjustments (id, kind, payment_id, transaction_id, amount, reference, refund_date, previous, officer, api_key, reason, reverses, unit)
       VALUES ($1,$2,$3,$4::int8,$5,$6,$7::date,$8::jsonb,$9,$10,$11,$12,$13) RETURNING *`,
      [
        randomId(),
        entry.kind,
        entry.paymentId,
        entry.transferId,
        entry.amount,
        entry.reference ?? null,
        entry.refundDate ?? null,
        entry.previous === undefined ? null : JSON.stringify(entry.previous),
        entry.actor.officer,
        entry.actor.apiKey,
        entry.reason,
        entry.reverses ?? null,
        entry.actor.unit,
      ],
    );
    return toAdjustment(row!);
  }

  /**
   * Writes a payment's new `amountPaid` and the status it implies, with the next version, and pushes it
   * (and the counter screen showing it) live. A cancelled payment stays cancelled, an expired one
   * stays expired unless now paid; a paid one short again is open again — or expired once past its
   * expiry and grace window. The QR asks for what is due.
   */
  private async setPaid(tx: EventTx, row: PaymentRow, amountPaid: number): Promise<PaymentResource> {
    if (amountPaid < 0) throw new Error(`payment ${row.id}: amountPaid would be ${amountPaid}`);
    const due = Number(row.amount);
    const status: PaymentStatus =
      row.status === 'cancelled'
        ? 'cancelled'
        : amountPaid >= due
          ? 'paid'
          : row.status === 'expired' || row.past_grace
            ? 'expired'
            : amountPaid > 0
              ? 'underpaid'
              : 'pending';
    const open = status === 'pending' || status === 'underpaid';
    const previous = toResource(row as never);
    const payment: PaymentResource = {
      ...previous,
      status,
      amountPaid,
      qr: open ? qrForAmountDue({ status: 'underpaid', amount: due, amountPaid: status === 'underpaid' ? amountPaid : 0, qr: row.qr }) : row.qr,
      paidAt: status === 'paid' ? (previous.paidAt ?? new Date(row.db_now).toISOString()) : null,
      version: previous.version + 1,
    };
    const [written] = await tx.query(
      `UPDATE payments SET status = $2, amount_paid = $3, paid_at = $4, qr = $5, version = $6 WHERE id = $1 AND version = $6 - 1 RETURNING version`,
      [row.id, payment.status, payment.amountPaid, payment.paidAt, payment.qr, payment.version],
    );
    if (!written) throw new Error(`payment ${row.id} changed under its lock`);
    await this.recomputeSurplus(tx, row.id, due);
    tx.emit({ type: 'payment', data: payment });
    if (status !== row.status) await this.store.followPayment(tx, payment, row as never);
    return payment;
  }

  /**
   * Shares what a payment received over its fee among its transfers again, after money was added to it
   * or taken off it: what counts (its matched transfers, and cash) fills the fee in the order it came to
   * count (a transfer when it arrived or was attached, cash when recorded); each transfer's `surplus` is
   * what of it lies beyond the fee. A reversal that takes money off a payment so leaves no surplus owed
   * back on the transfers that stay. Refuses (409) when that would unsay a refund already recorded.
   */
  private async recomputeSurplus(tx: EventTx, paymentId: string, due: number): Promise<void> {
    const overRefunded = await tx.query(
      `WITH counted AS (
         SELECT t.id, t.amount, coalesce(a.created_at, t.received_at) AS counted_at FROM bank_transactions t
         LEFT JOIN payment_adjustments a ON a.transaction_id = t.id AND a.kind = 'attach' AND a.reversed_by IS NULL AND a.payment_id = $1
         WHERE t.payment_id = $1 AND t.status = 'matched'
         UNION ALL
         SELECT NULL, a.amount, a.created_at FROM payment_adjustments a WHERE a.payment_id = $1 AND a.kind = 'cash' AND a.reversed_by IS NULL),
       running AS (SELECT id, amount, sum(amount) OVER (ORDER BY counted_at, id NULLS FIRST ROWS UNBOUNDED PRECEDING) AS through FROM counted),
       owed AS (SELECT id, GREATEST(0, through - $2::int8) - GREATEST(0, through - amount - $2::int8) AS surplus FROM running WHERE id IS NOT NULL),
       changed AS (UPDATE bank_transactions b SET surplus = owed.surplus FROM owed WHERE b.id = owed.id AND b.surplus <> owed.surplus RETURNING b.id, b.surplus)
       SELECT changed.id FROM changed
       WHERE (SELECT coalesce(sum(r.amount), 0) FROM payment_adjustments r WHERE r.transaction_id = changed.id AND r.kind = 'refund' AND r.reversed_by IS NULL) > changed.surplus`,
      [paymentId, due],
    );
    if (overRefunded.length) throw conflict('TRANSFER_REFUNDED', 'A refund was recorded for money this would no longer owe back; reverse that refund first.');
  }
}

/**
 * `GET /api/payments/:id/history` (keyed): the payment, every transfer that counts or counted towards
 * it, and every adjustment of it or of those transfers, oldest first.
 */
export async function paymentHistory(
  db: Database,
  unit: string,
  paymentId: string,
): Promise<{ payment: PaymentResource; transfers: Array<Record<string, unknown>>; adjustments: Adjustment[] } | undefined> {
  const [row] = await db.query('SELECT * FROM payments WHERE id = $1 AND unit = $2', [paymentId, unit]);
  if (!row) return undefined;
  const transfers = await db.query(
    `SELECT DISTINCT t.id, t.provider, t.provider_tx_id, t.amount, t.surplus, t.memo, t.bank_reference, t.status, t.reason, t.payment_id, t.received_at
     FROM bank_transactions t LEFT JOIN payment_adjustments a ON a.transaction_id = t.id
     WHERE t.payment_id = $1 OR a.payment_id = $1 ORDER BY t.received_at, t.id`,
    [paymentId],
  );
  const adjustments = await db.query<AdjustmentRow>(
    `SELECT * FROM payment_adjustments WHERE payment_id = $1 OR transaction_id IN (SELECT id FROM bank_transactions WHERE payment_id = $1) ORDER BY created_at, id`,
    [paymentId],
  );
  return {
    payment: toResource(row as never),
    transfers: transfers.map((t) => ({
      id: String(t.id),
      provider: t.provider,
      transactionId: t.provider_tx_id,
      amount: Number(t.amount),
      surplus: Number(t.surplus),
      memo: t.memo,
      bankReference: t.bank_reference ?? null,
      status: t.status,
      reason: t.reason ?? null,
      paymentId: t.payment_id ?? null,
      receivedAt: new Date(t.received_at as string).toISOString(),
    })),
    adjustments: adjustments.map(toAdjustment),
  };
}
