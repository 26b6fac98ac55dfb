import type { Database } from './db.js';
import { ApiError } from './http.js';

/** Days and months are Vietnam's (UTC+7, no daylight saving): a counter's day, not UTC's. */
const VN_OFFSET = '+07:00';

/**
 * What a transfer is, for the treasury (each recorded transfer is exactly one):
 * - `fee_paid`: applied to a payment now `paid`; its amount minus its surplus goes to the State Treasury,
 *   its surplus (over-payment) is owed back to the citizen;
 * - `refund_owed`: money owed back as a whole — a part-payment of a payment later cancelled or expired,
 *   or money for a payment already closed (cancelled, or expired past the grace window);
 * - `unmatched`: money no payment can claim — no code, an unknown code, another account — and the
 *   rejected notifications (amount 0), all to handle by hand;
 * - `pending`: a part-payment of a payment still open (it becomes `fee_paid` or `refund_owed`).
 * A second provider's report of a transfer already recorded is `duplicate` and counts nowhere.
 */
export type TransferClass = 'fee_paid' | 'refund_owed' | 'unmatched' | 'pending';

export interface ReportTransaction {
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
  /** The part of `amount` owed back to the citizen. */
  refundOwed: number;
  /** For a `duplicate`: the report it repeats. */
  duplicateOf: { provider: string; transactionId: string } | null;
}

export interface ReconciliationReport {
  date: string;
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
  /** `received = toDeposit + refundOwed + unmatched + pending`, always. */
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
    transactionCount: number;
    unmatchedCount: number;
    refundCount: number;
    pendingCount: number;
    rejectedCount: number;
    duplicateCount: number;
  };
}

const iso = (value: unknown): string => new Date(value as string).toISOString();

/** The class of one recorded transfer, given the status its payment has now. */
export function classifyTransfer(
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

/** The totals of a day's transfers; duplicates are counted apart. */
export function reconciliationTotals(all: readonly ReportTransaction[]): ReconciliationReport['totals'] {
  const transfers = all.filter((tx) => tx.class !== 'duplicate');
  const sum = (items: readonly ReportTransaction[], pick: (tx: ReportTransaction) => number) => items.reduce((total, tx) => total + pick(tx), 0);
  const ofClass = (name: TransferClass) => transfers.filter((tx) => tx.class === name);
  const matched = transfers.filter((tx) => tx.status === 'matched');
  return {
    received: sum(transfers, (tx) => tx.amount),
    matched: sum(matched, (tx) => tx.amount),
    surplus: sum(matched, (tx) => tx.surplus),
    toDeposit: sum(transfers, (tx) => tx.toDeposit),
    refundOwed: sum(transfers, (tx) => tx.refundOwed),
    unmatched: sum(ofClass('unmatched'), (tx) => tx.amount),
    pending: sum(ofClass('pending'), (tx) => tx.amount),
    transactionCount: transfers.length,
    unmatchedCount: ofClass('unmatched').length,
    refundCount: transfers.filter((tx) => tx.refundOwed > 0).length,
    pendingCount: ofClass('pending').length,
    rejectedCount: transfers.filter((tx) => tx.status === 'rejected').length,
    duplicateCount: all.length - transfers.length,
  };
}

export async function reconciliation(db: Database, date: string): Promise<ReconciliationReport> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw new ApiError(400, 'INVALID_FIELD', '"date" must be YYYY-MM-DD.');
  const from = `${date}T00:00:00${VN_OFFSET}`;
  const txRows = await db.query(
    `SELECT t.provider, t.provider_tx_id, t.amount, t.surplus, t.memo, t.bank_reference, t.account, t.received_at, t.status, t.reason, t.payment_id,
            p.status AS payment_status, o.provider AS original_provider, o.provider_tx_id AS original_tx_id
     FROM bank_transactions t LEFT JOIN payments p ON p.id = t.payment_id LEFT JOIN bank_transactions o ON o.id = t.duplicate_of
     WHERE t.received_at >= $1::timestamptz AND t.received_at < $1::timestamptz + interval '1 day' ORDER BY t.received_at, t.id`,
    [from],
  );
  const all: ReportTransaction[] = txRows.map((row) => {
    const tx = {
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
    return { ...tx, ...classifyTransfer(tx, (row.payment_status as string | null) ?? null) };
  });
  // The day's payments: created that day, or receiving money that day.
  const paymentRows = await db.query(
    `SELECT * FROM payments WHERE (created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 day')
       OR id IN (SELECT payment_id FROM bank_transactions WHERE status = 'matched' AND received_at >= $1::timestamptz AND received_at < $1::timestamptz + interval '1 day')
     ORDER BY created_at, id`,
    [from],
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
  const transactions = all.filter((tx) => tx.class !== 'duplicate');
  return {
    date,
    payments,
    transactions,
    unmatched: transactions.filter((tx) => tx.class === 'unmatched'),
    refunds: transactions.filter((tx) => tx.refundOwed > 0),
    duplicates: all.filter((tx) => tx.class === 'duplicate'),
    totals: reconciliationTotals(all),
  };
}

/**
 * One row per transfer (`payment` rows: applied to a payment; `unmatched` rows: not applied — their
 * `class` says whether the money is owed back or to match by hand; `duplicate` rows: counted nowhere),
 * payments with no transfer, then the totals.
 */
export function reconciliationCsv(report: ReconciliationReport): string {
  const rows: unknown[][] = [
    [
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
    ],
  ];
  const txCells = (tx: ReportTransaction) => [
    tx.class,
    tx.toDeposit,
    tx.refundOwed,
    tx.account ?? '',
    tx.bankReference ?? '',
    tx.status,
    tx.duplicateOf ? `${tx.duplicateOf.provider} ${tx.duplicateOf.transactionId}` : '',
  ];
  const empty = ['', '', '', '', '', '', ''];
  for (const p of report.payments) {
    const base = [p.code, p.dossier, p.counter, p.procedure ?? '', p.purpose, p.amount, p.amountPaid, p.status];
    if (!p.transactions.length) rows.push(['payment', ...base, '', '', '', '', '', '', '', ...empty]);
    for (const tx of p.transactions)
      rows.push(['payment', ...base, tx.provider, tx.transactionId, tx.amount, tx.surplus, tx.receivedAt, tx.memo, '', ...txCells(tx)]);
  }
  const loose = (kind: string, tx: ReportTransaction) => [
    kind,
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    tx.provider,
    tx.transactionId,
    tx.amount,
    0,
    tx.receivedAt,
    tx.memo,
    tx.reason ?? '',
    ...txCells(tx),
  ];
  for (const tx of report.transactions) if (tx.status !== 'matched') rows.push(loose('unmatched', tx));
  for (const tx of report.duplicates) rows.push(loose('duplicate', tx));
  for (const [name, value] of Object.entries(report.totals)) rows.push(['total', name, '', '', '', '', value, '', '', '', '', '', '', '', '', '', ...empty]);
  return toCsv(rows);
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
  total: number;
  byCounter: SatisfactionGroup[];
  byOfficer: SatisfactionGroup[];
  byProcedure: SatisfactionGroup[];
}

export async function satisfaction(db: Database, month: string, counterNames: Record<string, string> = {}): Promise<SatisfactionReport> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ApiError(400, 'INVALID_FIELD', '"month" must be YYYY-MM.');
  const rows = await db.query(
    `SELECT counter, officer, procedure, answers FROM ratings
     WHERE created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 month'`,
    [`${month}-01T00:00:00${VN_OFFSET}`],
  );
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
    total: rows.length,
    byCounter: group(byCounter),
    byOfficer: group((row) => row.officer as string | null),
    byProcedure: group((row) => row.procedure as string | null),
  };
}

export function satisfactionCsv(report: SatisfactionReport): string {
  const rows: unknown[][] = [['dimension', 'key', 'ratings', 'question', 'level', 'count', 'percent']];
  for (const [dimension, groups] of [
    ['counter', report.byCounter],
    ['officer', report.byOfficer],
    ['procedure', report.byProcedure],
  ] as const) {
    for (const g of groups)
      for (const [question, levels] of Object.entries(g.questions))
        for (const [level, { count, percent }] of Object.entries(levels)) rows.push([dimension, g.key, g.count, question, level, count, percent]);
  }
  return toCsv(rows);
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
