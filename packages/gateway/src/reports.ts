import type { Database } from './db.js';
import { ApiError } from './http.js';

/** Days and months are Vietnam's (UTC+7, no daylight saving): a counter's day, not UTC's. */
const VN_OFFSET = '+07:00';

export interface ReconciliationReport {
  date: string;
  payments: Array<{
    id: string; code: string; dossier: string; counter: string; procedure: string | null; purpose: string;
    amount: number; amountPaid: number; status: string; createdAt: string; paidAt: string | null;
    transactions: ReportTransaction[];
  }>;
  unmatched: ReportTransaction[];
  totals: {
    /** Every incoming transfer that day. */
    received: number;
    /** Transfers matched to a payment. */
    matched: number;
    /** Part of the matched money over the amounts due (to refund or handle by hand). */
    surplus: number;
    /** Fees collected that day: matched minus surplus — what goes to the State Treasury. */
    toDeposit: number;
    /** Transfers with no payment (no code, unknown code, expired or cancelled payment). */
    unmatched: number;
    transactionCount: number;
    unmatchedCount: number;
  };
}

interface ReportTransaction {
  provider: string; transactionId: string; amount: number; surplus: number; memo: string;
  bankReference: string | null; receivedAt: string; status: string; reason: string | null; paymentId: string | null;
}

const iso = (value: unknown): string => new Date(value as string).toISOString();

export async function reconciliation(db: Database, date: string): Promise<ReconciliationReport> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw new ApiError(400, 'INVALID_FIELD', '"date" must be YYYY-MM-DD.');
  const from = `${date}T00:00:00${VN_OFFSET}`;
  const txRows = await db.query(
    `SELECT * FROM bank_transactions WHERE received_at >= $1::timestamptz AND received_at < $1::timestamptz + interval '1 day' ORDER BY received_at, id`,
    [from],
  );
  const transactions: ReportTransaction[] = txRows.map((row) => ({
    provider: String(row.provider), transactionId: String(row.provider_tx_id), amount: Number(row.amount), surplus: Number(row.surplus),
    memo: String(row.memo), bankReference: (row.bank_reference as string | null) ?? null, receivedAt: iso(row.received_at),
    status: String(row.status), reason: (row.reason as string | null) ?? null, paymentId: (row.payment_id as string | null) ?? null,
  }));
  // The day's payments: created that day, or receiving money that day.
  const paymentRows = await db.query(
    `SELECT * FROM payments WHERE (created_at >= $1::timestamptz AND created_at < $1::timestamptz + interval '1 day')
       OR id IN (SELECT payment_id FROM bank_transactions WHERE status = 'matched' AND received_at >= $1::timestamptz AND received_at < $1::timestamptz + interval '1 day')
     ORDER BY created_at, id`,
    [from],
  );
  const payments = paymentRows.map((row) => ({
    id: String(row.id), code: String(row.code), dossier: String(row.dossier), counter: String(row.counter), procedure: (row.procedure as string | null) ?? null,
    purpose: String(row.purpose), amount: Number(row.amount), amountPaid: Number(row.amount_paid), status: String(row.status),
    createdAt: iso(row.created_at), paidAt: row.paid_at ? iso(row.paid_at) : null,
    transactions: transactions.filter((tx) => tx.status === 'matched' && tx.paymentId === row.id),
  }));
  const unmatched = transactions.filter((tx) => tx.status === 'unmatched');
  const sum = (items: ReportTransaction[], pick: (tx: ReportTransaction) => number) => items.reduce((total, tx) => total + pick(tx), 0);
  const matchedTx = transactions.filter((tx) => tx.status === 'matched');
  const matched = sum(matchedTx, (tx) => tx.amount);
  const surplus = sum(matchedTx, (tx) => tx.surplus);
  return {
    date,
    payments,
    unmatched,
    totals: { received: sum(transactions, (tx) => tx.amount), matched, surplus, toDeposit: matched - surplus, unmatched: sum(unmatched, (tx) => tx.amount), transactionCount: transactions.length, unmatchedCount: unmatched.length },
  };
}

export function reconciliationCsv(report: ReconciliationReport): string {
  const rows: unknown[][] = [['kind', 'payment_code', 'dossier', 'counter', 'procedure', 'purpose', 'amount_due', 'amount_paid', 'payment_status', 'provider', 'transaction_id', 'transaction_amount', 'surplus', 'received_at', 'memo', 'reason']];
  for (const p of report.payments) {
    const base = [p.code, p.dossier, p.counter, p.procedure ?? '', p.purpose, p.amount, p.amountPaid, p.status];
    if (!p.transactions.length) rows.push(['payment', ...base, '', '', '', '', '', '', '']);
    for (const tx of p.transactions) rows.push(['payment', ...base, tx.provider, tx.transactionId, tx.amount, tx.surplus, tx.receivedAt, tx.memo, '']);
  }
  for (const tx of report.unmatched) rows.push(['unmatched', '', '', '', '', '', '', '', '', tx.provider, tx.transactionId, tx.amount, 0, tx.receivedAt, tx.memo, tx.reason ?? '']);
  for (const [name, value] of Object.entries(report.totals)) rows.push(['total', name, '', '', '', '', value, '', '', '', '', '', '', '', '', '']);
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
            return [question, Object.fromEntries([...levels.entries()].map(([level, n]) => [level, { count: n, percent: Math.round((n / answered) * 10_000) / 100 }]))];
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
  for (const [dimension, groups] of [['counter', report.byCounter], ['officer', report.byOfficer], ['procedure', report.byProcedure]] as const) {
    for (const g of groups) for (const [question, levels] of Object.entries(g.questions)) for (const [level, { count, percent }] of Object.entries(levels)) rows.push([dimension, g.key, g.count, question, level, count, percent]);
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
