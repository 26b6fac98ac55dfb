import type { Database } from './db.js';
import { InvalidInput } from './errors.js';
import { vietnamMidnight } from './vietnam-time.js';
import { toAdjustment, type Adjustment } from './exceptions.js';

/** Days and months are Vietnam's (UTC+7, no daylight saving): a counter's day, not UTC's. */

/**
 * What a transfer is, for the treasury (each recorded transfer is exactly one):
 * - `fee_paid`: applied to a payment now `paid`; its amount minus its surplus goes to the State Treasury,
 *   its surplus (over-payment) is owed back to the citizen;
 * - `refund_owed`: money owed back as a whole — a part-payment of a payment later cancelled or expired,
 *   or money for a payment already closed (cancelled, or expired past the grace window);
 * - `unmatched`: money no payment can claim — no code, an unknown code, another account — and the
 *   rejected notifications (amount 0), all to handle by hand;
 * - `pending`: a part-payment of a payment still open (it becomes `fee_paid` or `refund_owed`);
 * - `refunded`: money owed back (or that no payment claimed) that an officer recorded as returned.
 * An officer's desk action (exceptions.ts) moves a transfer between classes: attached, it is `fee_paid`
 * or `pending`; its refund recorded, `refunded` (a surplus refunded leaves its transfer `fee_paid`).
 * A second provider's report of a transfer already recorded is `duplicate` and counts nowhere.
 */
export type TransferClass = 'fee_paid' | 'refund_owed' | 'unmatched' | 'pending' | 'refunded';

export interface ReportTransaction {
  /** The transfer's id: what the exceptions desk acts on (`/api/transfers/:id/…`). */
  id: string;
  provider: string;
  transactionId: string;
  amount: number;
  surplus: number;
  memo: string;
  bankReference: string | null;
  account: string | null;
  receivedAt: string;
  /** `matched` | `unmatched` | `rejected` | `duplicate` (as recorded). */
  status: string;
  reason: string | null;
  paymentId: string | null;
  class: TransferClass | 'duplicate';
  /** The part of `amount` that goes to the State Treasury. */
  toDeposit: number;
  /** The part of `amount` owed back to the citizen (and not yet recorded as refunded). */
  refundOwed: number;
  /** The part of `amount` an officer recorded as returned to the citizen. */
  refunded: number;
  /** For a `duplicate`: the report it repeats. */
  duplicateOf: { provider: string; transactionId: string } | null;
}

export interface ReconciliationReport {
  date: string;
  /** The unit reported on; `null`: transfers into an account of no unit (a province deployment). */
  unit: string | null;
  payments: Array<{
    id: string;
    code: string;
    dossier: string;
    counter: string;
    procedure: string | null;
    purpose: string;
    amount: number;
    amountPaid: number;
    status: string;
    createdAt: string;
    paidAt: string | null;
    /** The transfers applied to this payment. */
    transactions: ReportTransaction[];
  }>;
  /** Every transfer received that day, each once, with its class (duplicate reports are in `duplicates`). */
  transactions: ReportTransaction[];
  /** Class `unmatched`: to match by hand. */
  unmatched: ReportTransaction[];
  /** Transfers owing something back (`refund_owed`, and `fee_paid` with a surplus). */
  refunds: ReportTransaction[];
  /** Second reports of transfers already listed. */
  duplicates: ReportTransaction[];
  /** The officers' desk actions made that day (attach, cash, refund, reversal), oldest first. */
  adjustments: Adjustment[];
  /** `received = toDeposit + refundOwed + refunded + unmatched + pending`, always. */
  totals: {
    /** Every incoming transfer that day (duplicate reports not counted again; rejected ones are 0). */
    received: number;
    /** Transfers applied to a payment (whatever the payment became). */
    matched: number;
    /** Part of the matched money over the amounts due. */
    surplus: number;
    /** Fees of paid payments: what goes to the State Treasury (never money owed back). */
    toDeposit: number;
    /** Money owed back to citizens: surpluses, part-payments of closed payments, money for closed payments. */
    refundOwed: number;
    /** Money no payment can claim (no code, unknown code, another account). */
    unmatched: number;
    /** Part-payments of payments still open. */
    pending: number;
    /** Money owed back that an officer recorded as returned. */
    refunded: number;
    /** Fees received at the counter in cash (desk `cash` actions of that day, not reversed); not bank money, so not in `received`. */
    cash: number;
    transactionCount: number;
    unmatchedCount: number;
    refundCount: number;
    pendingCount: number;
    rejectedCount: number;
    duplicateCount: number;
    adjustmentCount: number;
  };
}

const iso = (value: unknown): string => new Date(value as string).toISOString();

/** The class of one recorded transfer, given the status its payment has now and what was refunded of it. */
export function classifyTransfer(
  tx: { status: string; reason: string | null; amount: number; surplus: number },
  paymentStatus: string | null,
  refunded = 0,
): Pick<ReportTransaction, 'class' | 'toDeposit' | 'refundOwed' | 'refunded'> {
  const owed = owedBack(tx, paymentStatus);
  if (!refunded || owed.class === 'duplicate' || owed.class === 'pending') return { ...owed, refunded: 0 };
  // Money no payment claims can be sent back as a whole; otherwise what is owed back.
  const refundable = owed.class === 'unmatched' ? tx.amount : owed.refundOwed;
  const back = Math.min(refunded, refundable);
  if (owed.class === 'fee_paid') return { ...owed, refundOwed: owed.refundOwed - back, refunded: back };
  return back >= refundable ? { class: 'refunded', toDeposit: 0, refundOwed: 0, refunded: back } : { ...owed, refunded: 0 };
}

function owedBack(
  tx: { status: string; reason: string | null; amount: number; surplus: number },
  paymentStatus: string | null,
): Pick<ReportTransaction, 'class' | 'toDeposit' | 'refundOwed'> {
  if (tx.status === 'duplicate') return { class: 'duplicate', toDeposit: 0, refundOwed: 0 };
  if (tx.status === 'matched') {
    if (paymentStatus === 'paid') return { class: 'fee_paid', toDeposit: tx.amount - tx.surplus, refundOwed: tx.surplus };
    if (paymentStatus === 'expired' || paymentStatus === 'cancelled') return { class: 'refund_owed', toDeposit: 0, refundOwed: tx.amount };
    return { class: 'pending', toDeposit: 0, refundOwed: 0 };
  }
  if (tx.status === 'unmatched' && tx.reason === 'payment_closed') return { class: 'refund_owed', toDeposit: 0, refundOwed: tx.amount };
  return { class: 'unmatched', toDeposit: 0, refundOwed: 0 };
}

/** The transfers that count as money received: all but the second reports of the same money (`duplicate`, listed apart). */
const counted = <T extends ReportTransaction>(all: readonly T[]): T[] => all.filter((tx) => tx.class !== 'duplicate');

/** The totals of a day's transfers; duplicates are counted apart. */
export function reconciliationTotals(all: readonly ReportTransaction[]): ReconciliationReport['totals'] {
  const transfers = counted(all);
  const sum = (items: readonly ReportTransaction[], pick: (tx: ReportTransaction) => number) => items.reduce((total, tx) => total + pick(tx), 0);
  const ofClass = (name: TransferClass) => transfers.filter((tx) => tx.class === name);
  const matched = transfers.filter((tx) => tx.status === 'matched');
  return {
    received: sum(transfers, (tx) => tx.amount),
    matched: sum(matched, (tx) => tx.amount),
    surplus: sum(matched, (tx) => tx.surplus),
    toDeposit: sum(transfers, (tx) => tx.toDeposit),
    refundOwed: sum(transfers, (tx) => tx.refundOwed),
    refunded: sum(transfers, (tx) => tx.refunded),
    unmatched: sum(ofClass('unmatched'), (tx) => tx.amount),
    pending: sum(ofClass('pending'), (tx) => tx.amount),
    cash: 0,
    transactionCount: transfers.length,
    unmatchedCount: ofClass('unmatched').length,
    refundCount: transfers.filter((tx) => tx.refundOwed > 0).length,
    pendingCount: ofClass('pending').length,
    rejectedCount: transfers.filter((tx) => tx.status === 'rejected').length,
    duplicateCount: all.length - transfers.length,
    adjustmentCount: 0,
  };
}

/** Vietnam's midnight starting `date` (`YYYY-MM-DD`); 400 naming the field otherwise. */
function dayStart(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw new InvalidInput('INVALID_FIELD', '"date" must be YYYY-MM-DD.');
  return vietnamMidnight(date);
}

/**
 * Which units' rows a day's query reads: one unit (`null`: the transfers into an account of no unit),
 * or every unit at once (`'every unit'`, the province report: one statement, grouped by `unit` after).
 */
type UnitScope = string | null | typeof EVERY_UNIT;
const EVERY_UNIT = Symbol('every unit');
/** The SQL condition on `column` for `scope` (its parameter, if any, is `$2`) and the query's parameters. */
const unitCondition = (column: string, from: string, scope: UnitScope): [string, unknown[]] =>
  scope === EVERY_UNIT ? ['TRUE', [from]] : [`${column} IS NOT DISTINCT FROM $2`, [from, scope]];

/** Groups rows by their unit, keeping their order (`null`: no unit). */
function byUnit<T>(rows: readonly T[], unitOf: (row: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const row of rows) {
    const unit = unitOf(row);
    const group = groups.get(unit);
    if (group) group.push(row);
    else groups.set(unit, [row]);
  }
  return groups;
}

/** The day's transfers of `scope`, each with its class and its unit, by time of receipt. */
async function dayTransfers(db: Database, from: string, scope: UnitScope): Promise<Array<ReportTransaction & { unit: string | null }>> {
  const [condition, params] = unitCondition('t.unit', from, scope);
  const txRows = await db.query(
    `SELECT t.id, t.provider, t.provider_tx_id, t.amount, t.surplus, t.memo, t.bank_reference, t.account, t.received_at, t.status, t.reason, t.payment_id,
            t.unit, p.status AS payment_status, o.provider AS original_provider, o.provider_tx_id AS original_tx_id,
            (SELECT coalesce(sum(a.amount), 0) FROM payment_adjustments a WHERE a.transaction_id = t.id AND a.kind = 'refund' AND a.reversed_by IS NULL) AS refunded
     FROM bank_transactions t LEFT JOIN payments p ON p.id = t.payment_id LEFT JOIN bank_transactions o ON o.id = t.duplicate_of
     WHERE ${condition} AND t.received_at >= $1::timestamptz AND t.received_at < $1::timestamptz + interval '1 day' ORDER BY t.received_at, t.id`,
    params,
  );
  return txRows.map((row) => {
    const tx = {
      id: String(row.id),
      provider: String(row.provider),
      transactionId: String(row.provider_tx_id),
      amount: Number(row.amount),
      surplus: Number(row.surplus),
      memo: String(row.memo),
      bankReference: (row.bank_reference as string | null) ?? null,
      account: (row.account as string | null) ?? null,
      receivedAt: iso(row.received_at),
      status: String(row.status),
      reason: (row.reason as string | null) ?? null,
      paymentId: (row.payment_id as string | null) ?? null,
      duplicateOf: row.original_provider ? { provider: String(row.original_provider), transactionId: String(row.original_tx_id) } : null,
    };
    const unit = (row.unit as string | null) ?? null;
    // `unit` is not a field of the report's transfers: it is taken off again by the caller.
    return { ...tx, ...classifyTransfer(tx, (row.payment_status as string | null) ?? null, Number(row.refunded)), unit };
  });
}

/** The day's desk actions of `scope`, each with its unit, oldest first. */
async function dayAdjustments(db: Database, from: string, scope: UnitScope): Promise<Array<{ unit: string; adjustment: Adjustment }>> {
  const [condition, params] = unitCondition('unit', from, scope);
  const rows = await db.query(
    `SELECT * FROM payment_adjustments WHERE ${condition} AND created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 day' ORDER BY created_at, id`,
    params,
  );
  return rows.map((row) => ({ unit: String(row.unit), adjustment: toAdjustment(row as never) }));
}

/** The totals of a day's transfers and desk actions. */
function dayTotals(all: readonly ReportTransaction[], adjustments: readonly Adjustment[]): ReconciliationReport['totals'] {
  const totals = reconciliationTotals(all);
  totals.cash = adjustments.filter((a) => a.kind === 'cash' && !a.reversedBy).reduce((total, a) => total + a.amount, 0);
  totals.adjustmentCount = adjustments.length;
  return totals;
}

/** A transfer as the report lists it (without the unit its query read). */
const withoutUnit = ({ unit: _unit, ...tx }: ReportTransaction & { unit: string | null }): ReportTransaction => tx;

/** The day's reconciliation of one unit (`null`: of the transfers into an account of no unit). */
export async function reconciliation(db: Database, date: string, unit: string | null): Promise<ReconciliationReport> {
  const from = dayStart(date);
  const all = (await dayTransfers(db, from, unit)).map(withoutUnit);
  // The day's payments: created that day, or receiving money that day.
  const paymentRows = await db.query(
    `SELECT * FROM payments WHERE unit IS NOT DISTINCT FROM $2 AND ((created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 day')
       OR id IN (SELECT payment_id FROM bank_transactions WHERE status = 'matched' AND received_at >= $1::timestamptz AND received_at < $1::timestamptz + interval '1 day')
       OR id IN (SELECT payment_id FROM payment_adjustments WHERE created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 day'))
     ORDER BY created_at, id`,
    [from, unit],
  );
  const payments = paymentRows.map((row) => ({
    id: String(row.id),
    code: String(row.code),
    dossier: String(row.dossier),
    counter: String(row.counter),
    procedure: (row.procedure as string | null) ?? null,
    purpose: String(row.purpose),
    amount: Number(row.amount),
    amountPaid: Number(row.amount_paid),
    status: String(row.status),
    createdAt: iso(row.created_at),
    paidAt: row.paid_at ? iso(row.paid_at) : null,
    transactions: all.filter((tx) => tx.status === 'matched' && tx.paymentId === row.id),
  }));
  const transactions = counted(all);
  const adjustments = (await dayAdjustments(db, from, unit)).map((row) => row.adjustment);
  const totals = dayTotals(all, adjustments);
  return {
    date,
    unit,
    payments,
    transactions,
    unmatched: transactions.filter((tx) => tx.class === 'unmatched'),
    refunds: transactions.filter((tx) => tx.refundOwed > 0),
    duplicates: all.filter((tx) => tx.class === 'duplicate'),
    adjustments,
    totals,
  };
}

/**
 * One row per transfer (`payment` rows: applied to a payment; `unmatched` rows: not applied — their
 * `class` says whether the money is owed back or to match by hand; `duplicate` rows: counted nowhere),
 * payments with no transfer, then the totals.
 */
export function reconciliationCsv(report: ReconciliationReport): string {
  const csv = csvTable([
    'kind',
    'payment_code',
    'dossier',
    'counter',
    'procedure',
    'purpose',
    'amount_due',
    'amount_paid',
    'payment_status',
    'provider',
    'transaction_id',
    'transaction_amount',
    'surplus',
    'received_at',
    'memo',
    'reason',
    'class',
    'to_deposit',
    'refund_owed',
    'account',
    'bank_reference',
    'transaction_status',
    'duplicate_of',
    'refunded',
    'transfer_id',
  ]);
  const transfer = (tx: ReportTransaction) => ({
    provider: tx.provider,
    transaction_id: tx.transactionId,
    transaction_amount: tx.amount,
    received_at: tx.receivedAt,
    memo: tx.memo,
    class: tx.class,
    to_deposit: tx.toDeposit,
    refund_owed: tx.refundOwed,
    account: tx.account,
    bank_reference: tx.bankReference,
    transaction_status: tx.status,
    duplicate_of: tx.duplicateOf ? `${tx.duplicateOf.provider} ${tx.duplicateOf.transactionId}` : '',
    refunded: tx.refunded,
    transfer_id: tx.id,
  });
  for (const p of report.payments) {
    const payment = {
      kind: 'payment',
      payment_code: p.code,
      dossier: p.dossier,
      counter: p.counter,
      procedure: p.procedure,
      purpose: p.purpose,
      amount_due: p.amount,
      amount_paid: p.amountPaid,
      payment_status: p.status,
    };
    if (!p.transactions.length) csv.row(payment);
    for (const tx of p.transactions) csv.row({ ...payment, ...transfer(tx), surplus: tx.surplus });
  }
  // A transfer not applied has no surplus of its own: all of it is owed back or to match.
  for (const tx of report.transactions) if (tx.status !== 'matched') csv.row({ kind: 'unmatched', ...transfer(tx), surplus: 0, reason: tx.reason });
  for (const tx of report.duplicates) csv.row({ kind: 'duplicate', ...transfer(tx), surplus: 0, reason: tx.reason });
  // The desk's actions: kind `adjustment`; who and why in `memo`/`reason`, the receipt or bank reference in `bank_reference`.
  const codes = new Map(report.payments.map((p) => [p.id, p.code]));
  for (const a of report.adjustments)
    csv.row({
      kind: 'adjustment',
      payment_code: a.paymentId ? (codes.get(a.paymentId) ?? a.paymentId) : '',
      provider: 'desk',
      transaction_id: a.id,
      transaction_amount: a.amount,
      received_at: a.createdAt,
      memo: `${a.kind}${a.reverses ? ` of ${a.reverses}` : ''}${a.reversedBy ? ` (reversed by ${a.reversedBy})` : ''}; ${a.officer} (${a.apiKey})${a.refundDate ? `; refunded on ${a.refundDate}` : ''}`,
      reason: a.reason,
      class: a.kind,
      bank_reference: a.reference,
      transfer_id: a.transferId,
    });
  for (const [name, value] of Object.entries(report.totals)) csv.row({ kind: 'total', payment_code: name, amount_due: value });
  return csv.toString();
}

export interface SatisfactionGroup {
  key: string;
  /** Display name (counters configured with one). */
  name?: string;
  count: number;
  /** Question id → option value → count and percentage of the group's answers to that question. */
  questions: Record<string, Record<string, { count: number; percent: number }>>;
}

export interface SatisfactionReport {
  month: string;
  unit: string;
  total: number;
  byCounter: SatisfactionGroup[];
  byOfficer: SatisfactionGroup[];
  byProcedure: SatisfactionGroup[];
}

/** The month's ratings of one unit, by counter, officer and procedure. */
export async function satisfaction(db: Database, month: string, unit: string, counterNames: Record<string, string> = {}): Promise<SatisfactionReport> {
  const rows = await monthRatings(db, month, unit);
  const group = (pick: (row: Record<string, unknown>) => string | null): SatisfactionGroup[] => {
    const groups = new Map<string, { count: number; counts: Map<string, Map<string, number>> }>();
    for (const row of rows) {
      const key = pick(row) ?? '(none)';
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { count: 0, counts: new Map() }));
      entry.count++;
      const answers = (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, string>;
      // Unanswered questions are absent and counted nowhere (never as the best score).
      for (const [question, level] of Object.entries(answers)) {
        let levels = entry.counts.get(question);
        if (!levels) entry.counts.set(question, (levels = new Map()));
        levels.set(level, (levels.get(level) ?? 0) + 1);
      }
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, { count, counts }]) => ({
        key,
        count,
        questions: Object.fromEntries(
          [...counts.entries()].map(([question, levels]) => {
            const answered = [...levels.values()].reduce((a, b) => a + b, 0);
            return [
              question,
              Object.fromEntries([...levels.entries()].map(([level, n]) => [level, { count: n, percent: Math.round((n / answered) * 10_000) / 100 }])),
            ];
          }),
        ),
        ...(pick === byCounter && counterNames[key] ? { name: counterNames[key] } : {}),
      }));
  };
  const byCounter = (row: Record<string, unknown>) => row.counter as string;
  return {
    month,
    unit,
    total: rows.length,
    byCounter: group(byCounter),
    byOfficer: group((row) => row.officer as string | null),
    byProcedure: group((row) => row.procedure as string | null),
  };
}

async function monthRatings(db: Database, month: string, unit: string | null): Promise<Array<Record<string, unknown>>> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new InvalidInput('INVALID_FIELD', '"month" must be YYYY-MM.');
  return db.query(
    `SELECT unit, counter, officer, procedure, answers FROM ratings
     WHERE ($2::text IS NULL OR unit = $2) AND created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 month'`,
    [vietnamMidnight(month), unit],
  );
}

/** A unit as the province reports name it. */
export interface ReportUnit {
  id: string;
  name: string;
}

/** The province's day: each unit's reconciliation totals, the transfers into no unit's account, and the sums. */
export interface ProvinceReconciliationReport {
  date: string;
  units: Array<{ unit: string; name: string; totals: ReconciliationReport['totals'] }>;
  /** Transfers into an account of no unit (money the province must trace), with their totals. */
  noUnit: { totals: ReconciliationReport['totals']; transactions: ReportTransaction[] };
  /** The sums over every unit and `noUnit`: `received = toDeposit + refundOwed + refunded + unmatched + pending` holds here too. */
  totals: ReconciliationReport['totals'];
}

/**
 * Two statements whatever the number of units (the day's transfers and desk actions of every unit,
 * grouped here): a unit's totals are those of its own report ({@link reconciliation}).
 */
export async function provinceReconciliation(db: Database, date: string, units: readonly ReportUnit[]): Promise<ProvinceReconciliationReport> {
  const from = dayStart(date);
  const [transfers, adjustments] = await Promise.all([dayTransfers(db, from, EVERY_UNIT), dayAdjustments(db, from, EVERY_UNIT)]);
  const transfersOf = byUnit(transfers, (tx) => tx.unit);
  const adjustmentsOf = byUnit(adjustments, (row) => row.unit);
  const totalsOf = (unit: string | null) =>
    dayTotals(
      (transfersOf.get(unit) ?? []).map(withoutUnit),
      (adjustmentsOf.get(unit) ?? []).map((row) => row.adjustment),
    );
  const perUnit = units.map((unit) => ({ unit: unit.id, name: unit.name, totals: totalsOf(unit.id) }));
  // Desk actions always have a unit: the transfers into no unit's account have none.
  const none = (transfersOf.get(null) ?? []).map(withoutUnit);
  const noUnitTotals = dayTotals(none, []);
  const totals = reconciliationTotals([]);
  for (const each of [...perUnit.map((u) => u.totals), noUnitTotals])
    for (const name of Object.keys(totals) as Array<keyof typeof totals>) totals[name] += each[name];
  return { date, units: perUnit, noUnit: { totals: noUnitTotals, transactions: counted(none) }, totals };
}

/** One row per unit (its totals), one for the transfers into no unit's account, one of the sums. */
export function provinceReconciliationCsv(report: ProvinceReconciliationReport): string {
  const names = Object.keys(report.totals) as Array<keyof ProvinceReconciliationReport['totals']>;
  const column = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const csv = csvTable(['kind', 'unit', 'name', ...names.map(column)]);
  const totals = (of: ProvinceReconciliationReport['totals']) => Object.fromEntries(names.map((name) => [column(name), of[name]]));
  for (const u of report.units) csv.row({ kind: 'unit', unit: u.unit, name: u.name, ...totals(u.totals) });
  csv.row({ kind: 'no_unit', ...totals(report.noUnit.totals) });
  csv.row({ kind: 'total', ...totals(report.totals) });
  return csv.toString();
}

/**
 * The official indicators a rating can answer (Thông tư 01/2018/TT-VPCP, kept by Nghị định 118/2025):
 * answer value → points (2 / 1 / 0), as the survey widget's presets store them. Chỉ số 7 (attitude) is
 * asked on the counter screen with the 3-level scale, and on the phone with the indicator's own words.
 * Other answers (the 5-level scale's, a portal's own questions) score nothing: never a best score by default.
 */
export const OFFICIAL_INDICATORS = {
  contacts: { indicator: 3, points: { none: 2, once: 1, more: 0 } },
  offices: { indicator: 4, points: { none: 2, one_stop: 1, more: 0 } },
  publicity: { indicator: 6, points: { posted_and_online: 2, posted_or_online: 1, incomplete: 0 } },
  attitude: { indicator: 7, points: { helpful: 2, proper: 1, harassment: 0, very_satisfied: 2, satisfied: 1, dissatisfied: 0 } },
  convenience: { indicator: 10, points: { very_satisfied: 2, satisfied: 1, dissatisfied: 0 } },
  overall: { indicator: 11, points: { very_satisfied: 2, satisfied: 1, dissatisfied: 0 } },
} as const satisfies Record<string, { indicator: number; points: Record<string, number> }>;
export type OfficialIndicator = keyof typeof OFFICIAL_INDICATORS;

/** A unit's month on the official indicators. */
export interface UnitSatisfaction {
  /** 1 for the best score; `null` for a unit without a scored answer (listed last). */
  rank: number | null;
  unit: string;
  name: string;
  ratings: number;
  /** Points received over the points possible (2 per scored answer), as a percentage; `null` without a scored answer. */
  score: number | null;
  /** Per indicator answered: how many answers, their mean points (0–2), and the share rated 2 or 1 (satisfied). */
  indicators: Partial<Record<OfficialIndicator, { indicator: number; answers: number; meanPoints: number; satisfiedPercent: number }>>;
}

export interface ProvinceSatisfactionReport {
  month: string;
  /** Best first: by score, then by more ratings, then by unit id. */
  units: UnitSatisfaction[];
  total: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export async function provinceSatisfaction(db: Database, month: string, units: readonly ReportUnit[]): Promise<ProvinceSatisfactionReport> {
  const rows = await monthRatings(db, month, null);
  const results: UnitSatisfaction[] = units.map((unit) => {
    const mine = rows.filter((row) => row.unit === unit.id);
    const indicators: UnitSatisfaction['indicators'] = {};
    let points = 0;
    let scored = 0;
    for (const [question, { indicator, points: scale }] of Object.entries(OFFICIAL_INDICATORS) as Array<
      [OfficialIndicator, (typeof OFFICIAL_INDICATORS)[OfficialIndicator]]
    >) {
      const given = mine
        .map((row) => ((typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, string>)[question])
        .map((value) => (value !== undefined && Object.hasOwn(scale, value) ? (scale as Record<string, number>)[value]! : undefined))
        .filter((value): value is number => value !== undefined);
      if (!given.length) continue;
      const sum = given.reduce((a, b) => a + b, 0);
      points += sum;
      scored += given.length;
      indicators[question] = {
        indicator,
        answers: given.length,
        meanPoints: round2(sum / given.length),
        satisfiedPercent: round2((given.filter((value) => value > 0).length / given.length) * 100),
      };
    }
    return { rank: null, unit: unit.id, name: unit.name, ratings: mine.length, score: scored ? round2((points / (2 * scored)) * 100) : null, indicators };
  });
  results.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.ratings - a.ratings || a.unit.localeCompare(b.unit));
  results.forEach((result, index) => {
    if (result.score !== null) result.rank = index + 1;
  });
  return { month, units: results, total: rows.filter((row) => units.some((unit) => unit.id === row.unit)).length };
}

/** One row per unit and indicator answered (and one `score` row per unit), best unit first. */
export function provinceSatisfactionCsv(report: ProvinceSatisfactionReport): string {
  const csv = csvTable(['rank', 'unit', 'name', 'ratings', 'score', 'indicator', 'question', 'answers', 'mean_points', 'satisfied_percent']);
  for (const u of report.units) {
    const unit = { rank: u.rank, unit: u.unit, name: u.name, ratings: u.ratings, score: u.score };
    csv.row({ ...unit, question: 'score' });
    for (const [question, value] of Object.entries(u.indicators))
      csv.row({
        ...unit,
        indicator: value.indicator,
        question,
        answers: value.answers,
        mean_points: value.meanPoints,
        satisfied_percent: value.satisfiedPercent,
      });
  }
  return csv.toString();
}

export function satisfactionCsv(report: SatisfactionReport): string {
  const csv = csvTable(['dimension', 'key', 'ratings', 'question', 'level', 'count', 'percent']);
  for (const [dimension, groups] of [
    ['counter', report.byCounter],
    ['officer', report.byOfficer],
    ['procedure', report.byProcedure],
  ] as const) {
    for (const g of groups)
      for (const [question, levels] of Object.entries(g.questions))
        for (const [level, { count, percent }] of Object.entries(levels)) csv.row({ dimension, key: g.key, ratings: g.count, question, level, count, percent });
  }
  return csv.toString();
}

/**
 * A CSV of named columns: the header is the list of columns, and each row names its cells (a column it
 * leaves out, or a null, is empty), so no cell can land in its neighbour's column.
 */
function csvTable<Column extends string>(columns: readonly Column[]) {
  const rows: unknown[][] = [[...columns]];
  return {
    row(cells: Partial<Record<Column, unknown>>): void {
      rows.push(columns.map((column) => cells[column]));
    },
    toString: (): string => toCsv(rows),
  };
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with `'` (memos come from strangers). */
function toCsv(rows: unknown[][]): string {
  const cell = (value: unknown): string => {
    let text = String(value ?? '');
    if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
