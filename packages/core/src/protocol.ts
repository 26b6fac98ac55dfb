import { decodeVietQR, encodeVietQR } from './vietqr.js';

/**
 * The wire protocol between a payment backend (the reference gateway, or a district's own) and the
 * widgets, described in https://github.com/motcua/motcua/blob/main/docs/wire-protocol.md: `GET {src}` returns a {@link PaymentResource};
 * `GET {src}/events` streams `event: payment` with `id: <version>`; the counter channel
 * `GET /api/counters/{counter}/events` streams `event: counter` with a {@link CounterState}.
 */

/** Every status a payment can have. */
export const PaymentStatus = {
  Pending: 'pending',
  Paid: 'paid',
  Underpaid: 'underpaid',
  Expired: 'expired',
  Cancelled: 'cancelled',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

const PAYMENT_STATUSES: readonly string[] = Object.values(PaymentStatus);

/** Final statuses never change again: a client keeps them whatever arrives later. */
export const FINAL_PAYMENT_STATUSES: readonly PaymentStatus[] = ['paid', 'expired', 'cancelled'];

/** Whether `status` is final (`paid`, `expired`, `cancelled`). `underpaid` is not: it can still become `paid`. */
export function isFinalStatus(status: PaymentStatus): boolean {
  return FINAL_PAYMENT_STATUSES.includes(status);
}

/** The collection account a payment is made to. */
export interface PaymentBank {
  /** The acquirer's 6-digit BIN (VietQR field 38.01.00). */
  bin: string;
  /** Account (or card) number. */
  account: string;
  /** Account holder, as the bank app will show it. */
  accountName: string;
}

/** `GET {src}` → `200 application/json`. */
export interface PaymentResource {
  id: string;
  /** The short payment code carried in the transfer memo, e.g. `MC7K2Q9XA`. */
  code: string;
  status: PaymentStatus;
  /** Amount due, VND (integer). */
  amount: number;
  /** Amount received so far, VND (integer). */
  amountPaid: number;
  currency: 'VND';
  /** The VietQR payload to render; while `underpaid`, for the amount still due (see {@link qrForAmountDue}). */
  qr: string;
  bank: PaymentBank;
  purpose: string;
  dossier: string;
  counter: string;
  /** ISO 8601 instant after which the payment is expired. */
  expiresAt: string;
  /** ISO 8601 instant of the payment, or null. */
  paidAt: string | null;
  /** Increases on every change; a client ignores anything older than what it has. */
  version: number;
  /**
   * `postal` when the results and the printed slip go by post: the payment then lives for weeks and
   * `expiresAt` is the due date printed on the slip. Absent for a payment made at the counter (added
   * later: a client must not require it).
   */
  delivery?: 'counter' | 'postal';
}

/** What the prompt to rate the service carries (counter channel, `state: 'survey'`). */
export interface SurveyPrompt {
  /** Which question set to show (`counter` by default). */
  surveyId: string;
  /** One-time token that lets exactly one rating be stored for this dossier. */
  token: string;
  counter: string;
  dossier?: string;
  officer?: string;
  /** Where to POST the rating (absolute or relative to the gateway). */
  endpoint: string;
  /** URL of the phone survey page carrying the token, for the survey QR. */
  phoneUrl?: string;
  expiresAt: string;
}

/** What the citizen screen at a counter shows: `event: counter`, `id: <version>`, `data: CounterState`. */
export type CounterState =
  | { state: 'idle'; counter: string; counterName?: string; version: number }
  | { state: 'payment'; counter: string; counterName?: string; version: number; payment: PaymentResource; paymentSrc: string }
  /**
   * The payment was just paid: every screen of the counter shows "paid" until `until` (ISO 8601, the
   * server's clock), when the server moves the counter on (to the rating, or idle). The server decides
   * the phase, so two screens, or one that reconnects, show the same thing.
   */
  | { state: 'paid'; counter: string; counterName?: string; version: number; payment: PaymentResource; paymentSrc: string; until: string }
  | { state: 'survey'; counter: string; counterName?: string; version: number; survey: SurveyPrompt; payment?: PaymentResource };

/** `POST {endpoint}` body of a rating (with an `Idempotency-Key` header). */
export interface SurveySubmission {
  surveyId: string;
  counter: string;
  officer?: string;
  dossier?: string;
  token?: string;
  /** Question id → chosen option value. Unanswered questions are absent. */
  answers: Record<string, string>;
  comment?: string;
  /** Contact details, only when the citizen ticked the separate opt-in. */
  contact?: string;
  locale: string;
  /** ISO 8601 instant the rating was made (not sent). */
  submittedAt: string;
}

/** Every error response of the gateway: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** Thrown by {@link parsePaymentResource} and {@link parseCounterState} when a server answer is not valid. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    /** Machine-readable reason, e.g. `INVALID_RESOURCE`. */
    readonly code: string,
    message: string,
    /** The field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonNegativeInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Validates untrusted JSON as a {@link PaymentResource}. Throws {@link ProtocolError} naming the
 * first field that is wrong, so a widget never acts on a half-valid answer.
 *
 * @example
 * const payment = parsePaymentResource(await response.json());
 */
export function parsePaymentResource(value: unknown): PaymentResource {
  const bad = (field: string, expected: string): never => {
    throw new ProtocolError('INVALID_RESOURCE', `Payment resource field "${field}" must be ${expected}.`, field);
  };
  if (!isRecord(value)) return bad('(root)', 'an object');
  for (const field of ['id', 'code', 'qr', 'purpose', 'dossier', 'counter', 'expiresAt'] as const) {
    if (typeof value[field] !== 'string') bad(field, 'a string');
  }
  if (typeof value.status !== 'string' || !PAYMENT_STATUSES.includes(value.status)) bad('status', `one of ${PAYMENT_STATUSES.join(', ')}`);
  if (!isNonNegativeInteger(value.amount) || value.amount === 0) bad('amount', 'a positive integer');
  if (!isNonNegativeInteger(value.amountPaid)) bad('amountPaid', 'a non-negative integer');
  if (value.currency !== 'VND') bad('currency', '"VND"');
  if (!isNonNegativeInteger(value.version)) bad('version', 'a non-negative integer');
  if (value.paidAt !== null && typeof value.paidAt !== 'string') bad('paidAt', 'a string or null');
  if (Number.isNaN(Date.parse(value.expiresAt as string))) bad('expiresAt', 'an ISO 8601 date-time');
  const bank = value.bank;
  if (!isRecord(bank)) return bad('bank', 'an object');
  for (const field of ['bin', 'account', 'accountName'] as const) {
    if (typeof bank[field] !== 'string') bad(`bank.${field}`, 'a string');
  }
  return value as unknown as PaymentResource;
}

/** Anything the protocol versions: a payment, a counter state. */
export interface Versioned {
  /** Increases on every change. */
  version: number;
}

/**
 * "A newer version wins", the one rule every client applies to what the server sends: `next`
 * replaces `current` only when its version is strictly greater (or nothing is held yet). An equal
 * version is the same state sent again (a reconnection, a replay); an older one arrived late.
 *
 * @example
 * if (isNewer(this.state, next)) this.state = next;
 */
export function isNewer(current: Versioned | undefined, next: Versioned): boolean {
  return !current || next.version > current.version;
}

/**
 * Whether the payment `next` should replace `current`: the same payment, `current` not final (a
 * final status never changes again, whatever arrives later), and {@link isNewer}. The rule every
 * input path of a payment screen applies.
 */
export function isNewerPayment(current: PaymentResource | undefined, next: PaymentResource): boolean {
  if (!current) return true;
  return next.id === current.id && !isFinalStatus(current.status) && isNewer(current, next);
}

const COUNTER_STATES: readonly string[] = ['idle', 'payment', 'paid', 'survey'];

/**
 * Validates untrusted JSON (the `data` of an `event: counter`, parsed) as a {@link CounterState}.
 * Throws {@link ProtocolError} naming the first field that is wrong (`INVALID_COUNTER_STATE`), or,
 * when `counter` is given, `COUNTER_MISMATCH` for another counter's state — so a screen never shows
 * a half-valid state or a neighbour's payment.
 *
 * @example
 * const state = parseCounterState(JSON.parse(event.data), 'C1');
 */
export function parseCounterState(value: unknown, counter?: string): CounterState {
  const bad = (field: string, expected: string): never => {
    throw new ProtocolError('INVALID_COUNTER_STATE', `Counter state field "${field}" must be ${expected}.`, field);
  };
  if (!isRecord(value)) return bad('(root)', 'an object');
  if (typeof value.state !== 'string' || !COUNTER_STATES.includes(value.state)) bad('state', `one of ${COUNTER_STATES.join(', ')}`);
  if (typeof value.counter !== 'string') bad('counter', 'a string');
  if (counter !== undefined && value.counter !== counter) {
    throw new ProtocolError('COUNTER_MISMATCH', `Expected counter "${counter}", received "${String(value.counter)}".`, 'counter');
  }
  if (value.counterName !== undefined && typeof value.counterName !== 'string') bad('counterName', 'a string when present');
  if (!isNonNegativeInteger(value.version)) bad('version', 'a non-negative integer');
  const inner = (field: string, parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new ProtocolError(
        'INVALID_COUNTER_STATE',
        `Counter state field "${field}": ${error.message}`,
        error.field && error.field !== '(root)' ? `${field}.${error.field}` : field,
      );
    }
  };
  if (value.state === 'payment' || value.state === 'paid') {
    inner('payment', () => parsePaymentResource(value.payment));
    if (typeof value.paymentSrc !== 'string') bad('paymentSrc', 'a string');
  }
  if (value.state === 'paid') {
    if ((value.payment as PaymentResource).status !== 'paid') bad('payment.status', '"paid" in the paid state');
    if (typeof value.until !== 'string' || Number.isNaN(Date.parse(value.until))) bad('until', 'an ISO 8601 date-time');
  }
  if (value.state === 'survey') {
    if (value.payment !== undefined) inner('payment', () => parsePaymentResource(value.payment));
    const survey = value.survey;
    if (!isRecord(survey)) return bad('survey', 'an object');
    for (const field of ['token', 'endpoint', 'counter'] as const) {
      if (typeof survey[field] !== 'string') bad(`survey.${field}`, 'a string');
    }
  }
  return value as unknown as CounterState;
}

/** What is still due on a payment: the whole amount, or what is left once it is `underpaid`. */
export function amountDue(payment: Pick<PaymentResource, 'status' | 'amount' | 'amountPaid'>): number {
  return payment.status === 'underpaid' ? Math.max(0, payment.amount - payment.amountPaid) : payment.amount;
}

/**
 * What was received over the fee, VND: the surplus the unit owes back to the payer (0 when none).
 *
 * @example
 * amountToRefund({ amount: 50_000, amountPaid: 60_000 }); // 10_000
 */
export function amountToRefund(payment: Pick<PaymentResource, 'amount' | 'amountPaid'>): number {
  return Math.max(0, payment.amountPaid - payment.amount);
}

/**
 * Whether money was received for a payment that closed (expired or cancelled) before it was paid:
 * an officer handles that money (takes the rest by hand, or refunds it), so no screen may offer a
 * new code for it — that would invite the citizen to pay twice.
 */
export function isClosedWithMoney(payment: Pick<PaymentResource, 'status' | 'amountPaid'>): boolean {
  return (payment.status === 'expired' || payment.status === 'cancelled') && payment.amountPaid > 0;
}

/**
 * The QR to show for a payment: while it is `underpaid`, a QR asking only for the amount still due
 * (same account, same memo), so scanning it again never pays the whole fee twice. The gateway issues
 * it that way; a backend that kept the full-amount QR gets it re-issued here. Throws VietQRError when
 * the payment's QR does not decode.
 *
 * @example
 * renderQr(qrForAmountDue(payment));
 */
export function qrForAmountDue(payment: Pick<PaymentResource, 'status' | 'amount' | 'amountPaid' | 'qr'>): string {
  const due = amountDue(payment);
  const data = decodeVietQR(payment.qr);
  if (payment.status !== 'underpaid' || due === 0 || data.amount === String(due)) return payment.qr;
  return encodeVietQR({ ...data, amount: due, initiation: 'dynamic' });
}
