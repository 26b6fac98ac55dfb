import { PaymentStatus } from '@motcua/core/protocol';
import { type Static, type TSchema, Type } from 'typebox';
import { PROVIDERS } from './providers.js';

/**
 * The API's schemas (TypeBox, i.e. JSON Schema): Fastify validates requests with them, types the
 * handlers from them, and `@fastify/swagger` writes them into the OpenAPI document, so the three
 * cannot drift. Error messages are built from them too (`validation.ts`): `"amount" must be an
 * integer from 1 to 9999999999999.`
 */

/**
 * One line of text that PostgreSQL can store: no control characters, no NUL, no lone UTF-16
 * surrogate (patterns are matched with the `u` flag, where a lone surrogate is a code point of its own).
 */
export const LINE_PATTERN = '^[^\\x00-\\x1f\\x7f\\uD800-\\uDFFF]*$';
/** Free text over several lines (a comment): tab, LF and CR allowed, no other control character. */
export const MULTILINE_PATTERN = '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\uD800-\\uDFFF]*$';
/** Ids of payments and counters. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** Printable ASCII, no space (transaction ids, accounts). */
const PRINTABLE_PATTERN = '^[\\x21-\\x7e]+$';

export const MAX_AMOUNT = 9_999_999_999_999;

const line = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: LINE_PATTERN, ...(description ? { description } : {}) });
const id = (description: string) => Type.String({ pattern: ID_PATTERN, description });

/** Money in VND: an integer (a string of digits is accepted too). */
const amount = (description: string) =>
  Type.Union([Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }), Type.String({ pattern: '^[0-9]{1,13}$' })], { description });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Machine-readable, e.g. `INVALID_FIELD`, `NOT_FOUND`, `DATABASE_UNAVAILABLE`.' }),
      message: Type.String({ description: 'For people; names the field at fault.' }),
    }),
  },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer.' },
);

/** A union of string constants, typed as `T` (TypeBox cannot infer it from a mapped array). */
const oneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      description ? { description } : {},
    ),
  );

const PaymentStatusSchema = oneOf(Object.values(PaymentStatus), '`paid`, `expired` and `cancelled` are final.');

export const PaymentResource = Type.Object(
  {
    id: Type.String(),
    code: Type.String({ description: 'The payment code the memo carries (`MC` + 7 characters).' }),
    status: PaymentStatusSchema,
    amount: Type.Integer({ description: 'The fee, VND.' }),
    amountPaid: Type.Integer({ description: 'Received so far, VND (can exceed `amount`).' }),
    currency: Type.Literal('VND'),
    qr: Type.String({ description: 'The VietQR payload to render (while `underpaid`: for what is still due).' }),
    bank: Type.Object({ bin: Type.String(), account: Type.String(), accountName: Type.String() }),
    purpose: Type.String(),
    dossier: Type.String(),
    counter: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    paidAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    version: Type.Integer({ description: 'Grows with every change: a newer version wins.' }),
    delivery: Type.Optional(
      Type.Union([Type.Literal('counter'), Type.Literal('postal')], { description: '`postal` (present only then): `expiresAt` is the due date.' }),
    ),
  },
  { $id: 'PaymentResource', description: 'See docs/wire-protocol.md.' },
);

export const CounterState = Type.Object(
  {
    state: Type.Union([Type.Literal('idle'), Type.Literal('payment'), Type.Literal('paid'), Type.Literal('survey')]),
    counter: Type.String(),
    counterName: Type.Optional(Type.String()),
    version: Type.Integer(),
    payment: Type.Optional(Type.Ref('PaymentResource')),
    paymentSrc: Type.Optional(Type.String()),
    until: Type.Optional(Type.String({ format: 'date-time', description: '`paid` only: until when every screen shows "paid" (the server then moves on).' })),
    survey: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'The rating prompt (paired screens only).' })),
  },
  { $id: 'CounterState', description: 'What a citizen screen shows. See docs/wire-protocol.md.' },
);

/** A reference to a shared schema (a `$ref` in the document), typed as the schema it names. */
const refTo = <T extends TSchema>(schema: T, description: string) =>
  Type.Unsafe<Static<T>>(Type.Ref(String((schema as { $id?: string }).$id), { description }));
export const PaymentRef = refTo(PaymentResource, 'The payment (a PaymentResource).');
export const CounterStateRef = refTo(CounterState, 'The counter’s state (a CounterState).');

export const NewPaymentBody = Type.Object({
  dossier: line(64, 'The dossier this fee is for; one open payment per dossier.'),
  amount: amount('The fee, VND.'),
  purpose: line(200, 'What is paid for; its ASCII form goes into the transfer memo.'),
  counter: id('The counter whose citizen screen shows the QR.'),
  procedure: Type.Optional(Type.Union([line(200), Type.Null()])),
  officer: Type.Optional(Type.Union([line(64), Type.Null()])),
  expiresIn: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 90 * 86_400, description: 'Seconds; the configured TTL by default. At most 7 days, or 90 for a postal payment.' }),
  ),
  delivery: Type.Optional(
    Type.Union([Type.Literal('counter'), Type.Literal('postal')], {
      description:
        '`postal`: the results and the slip go by post; the payment lives `MOTCUA_POSTAL_PAYMENT_TTL_SECONDS` (30 days) and `expiresAt` is the due date.',
    }),
  ),
});
export type NewPaymentBody = Static<typeof NewPaymentBody>;

export const PaymentListQuery = Type.Object({
  status: Type.Optional(Type.Union([PaymentStatusSchema, Type.Literal('')])),
  counter: Type.Optional(Type.Union([id('Only this counter’s payments.'), Type.Literal('')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: undefined, description: '100 by default.' })),
});

export const IdParams = Type.Object({ id: id('The payment id.') });
export const CounterParams = Type.Object({ counter: id('The counter id.') });
export const UnitCounterParams = Type.Object({ unit: id('The unit id.'), counter: id('The counter id (the unit’s own).') });
export const ProviderParams = Type.Object({
  provider: oneOf(PROVIDERS, 'The aggregator or bank that sends the notification.'),
});

export const ScreenKeyQuery = Type.Object({
  key: Type.Optional(Type.String({ description: 'The counter’s screen key (EventSource cannot send headers); or `X-Screen-Key`.' })),
});
const lastEventIdQuery = Type.Optional(Type.String({ description: 'As `Last-Event-ID`, for clients that cannot send it.' }));
export const PaymentStreamQuery = Type.Object({ lastEventId: lastEventIdQuery });
export const CounterStreamQuery = Type.Object({ ...ScreenKeyQuery.properties, lastEventId: lastEventIdQuery });

export const SurveyBody = Type.Object({
  surveyId: line(64),
  counter: Type.Optional(Type.Union([id('Required without a survey token.'), Type.Null()])),
  unit: Type.Optional(Type.Union([id('The counter’s unit: required without a survey token when the gateway serves several units.'), Type.Null()])),
  answers: Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 64, pattern: LINE_PATTERN }), {
    propertyNames: { minLength: 1, maxLength: 64, pattern: LINE_PATTERN },
    minProperties: 1,
    maxProperties: 50,
    description: 'Question id → option value.',
  }),
  locale: line(16),
  submittedAt: Type.String({
    maxLength: 40,
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
    description: 'ISO 8601 date-time with a zone, 2000 to 2099.',
  }),
  officer: Type.Optional(Type.Union([line(100), Type.Null()])),
  dossier: Type.Optional(Type.Union([line(100), Type.Null()])),
  token: Type.Optional(Type.Union([line(2000, 'The one-time survey token of the rating prompt.'), Type.Null()])),
  comment: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1000, pattern: MULTILINE_PATTERN }), Type.Null()])),
  contact: Type.Optional(Type.Unknown({ description: 'Accepted, never stored.' })),
});

export type SurveyBody = Static<typeof SurveyBody>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ pattern: '^[\\x21-\\x7e]{8,200}$', description: 'One per rating: a repeat returns the first answer.' }),
});

export const DateQuery = Type.Object({
  date: Type.Optional(Type.String({ description: 'A day `YYYY-MM-DD` (Vietnam); today by default.' })),
  format: Type.Optional(Type.String({ description: '`csv` for CSV (or `Accept: text/csv`).' })),
});
export const MonthQuery = Type.Object({
  month: Type.Optional(Type.String({ description: 'A month `YYYY-MM` (Vietnam); this month by default.' })),
  format: Type.Optional(Type.String({ description: '`csv` for CSV (or `Accept: text/csv`).' })),
});

export const DevTransferBody = Type.Object({
  provider: Type.Optional(Type.Union([oneOf(PROVIDERS), Type.Null()], { description: '`generic` by default.' })),
  paymentId: Type.Optional(Type.Union([id('Pay this payment (its memo and amount by default).'), Type.Null()])),
  code: Type.Optional(Type.Union([line(64), Type.Null()])),
  memo: Type.Optional(Type.Union([line(200), Type.Null()])),
  amount: Type.Optional(amount('Required without `paymentId`.')),
  transactionId: Type.Optional(Type.Union([Type.String({ maxLength: 64, pattern: PRINTABLE_PATTERN }), Type.Null()])),
  account: Type.Optional(
    Type.Union([
      Type.String({ maxLength: 34, pattern: PRINTABLE_PATTERN, description: 'The account credited (the collection account by default).' }),
      Type.Null(),
    ]),
  ),
});

/** The body of a bank notification is read as raw bytes (signatures are over them), never validated here. */
export const RawNotificationBody = Type.Unknown({
  'x-raw-body': true,
  description: 'The provider’s own JSON, authenticated over its exact bytes (X-Signature, Apikey, Secure-Token or payOS checksum).',
});

/** What each error status means, for the document. */
const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input: `INVALID_FIELD` (the message names the field), `MALFORMED_JSON`, `IDEMPOTENCY_KEY_REQUIRED`',
  401: 'A credential is missing or wrong: `UNAUTHORIZED` (API key), `INVALID_SCREEN_KEY`, `INVALID_SIGNATURE`, `INVALID_TOKEN`, `TOKEN_EXPIRED`',
  404: '`NOT_FOUND`',
  409: 'A conflict: `DOSSIER_HAS_OPEN_PAYMENT`, `PAYMENT_FINAL`, `ALREADY_RATED`, `REQUEST_IN_PROGRESS`',
  413: '`PAYLOAD_TOO_LARGE`',
  422: '`IDEMPOTENCY_KEY_REUSED`',
  429: '`RATE_LIMITED` or `TOO_MANY_STREAMS`, with `Retry-After`',
  503: '`DATABASE_UNAVAILABLE` (nothing was stored) or `SHUTTING_DOWN`, with `Retry-After`: try again',
};

/** The error answers of a route, each `{error: {code, message}}`; `[status, more]` adds a code of that route's own. */
export const errors = (...statuses: Array<number | readonly [number, string]>) =>
  Object.fromEntries(
    statuses.map((entry) => {
      const [status, more] = typeof entry === 'number' ? [entry, undefined] : entry;
      const description = ERROR_STATUSES[status] ?? 'An error';
      return [status, Type.Ref('ErrorBody', { description: more ? `${description}; ${more}` : description })];
    }),
  );

/** The answer to a counter id the unit does not list (a unit of `MOTCUA_CONFIG` that lists counters). */
export const UNKNOWN_COUNTER_FIELD = [400, '`UNKNOWN_COUNTER`: `counter` is not one of the unit’s listed counters'] as const;
export const UNKNOWN_COUNTER_PATH = [404, '`UNKNOWN_COUNTER`: the unit does not list this counter'] as const;
