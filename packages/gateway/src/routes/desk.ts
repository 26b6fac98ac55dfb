import type { FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { NotFound } from '../errors.js';
import { calendarDate } from '../http.js';
import { apiKeyFingerprint, ExceptionsDesk, paymentHistory } from '../exceptions.js';
import { errors, ID_PATTERN, LINE_PATTERN, PaymentRef } from '../schemas.js';
import { API_KEY_SECURITY, type App, type RouteContext } from './context.js';

const REFERENCE_PATTERN = '^[\\x21-\\x7e]{1,64}$';
/** Who acts and why: every desk action needs both (the audit trail). */
const actor = {
  officer: Type.String({ minLength: 1, maxLength: 64, pattern: LINE_PATTERN, description: 'The officer acting (the portal’s signed-in officer).' }),
  reason: Type.String({ minLength: 3, maxLength: 500, pattern: LINE_PATTERN, description: 'Why: required, kept in the audit trail.' }),
};
const AttachBody = Type.Object({ payment: Type.String({ pattern: ID_PATTERN, description: 'The payment’s id or code (as printed on the slip).' }), ...actor });
const RefundBody = Type.Object({
  reference: Type.String({ pattern: REFERENCE_PATTERN, description: 'The bank reference of the refund transfer.' }),
  date: Type.String({ description: 'The day the money was sent back, `YYYY-MM-DD`.' }),
  ...actor,
});
const CashBody = Type.Object({ receipt: Type.String({ pattern: REFERENCE_PATTERN, description: 'The receipt number (số biên lai).' }), ...actor });
const ReverseBody = Type.Object(actor);
const TransferParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'The transfer’s id (`id` in the reconciliation).' }) });
const PaymentParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN, description: 'The payment’s id or code.' }) });
const AdjustmentParams = Type.Object({ id: Type.String({ pattern: ID_PATTERN, description: 'The adjustment’s id.' }) });
const DeskHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{8,200}$', description: 'Optional: a repeat returns the first answer (200).' })),
});
const Adjustment = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('attach'), Type.Literal('cash'), Type.Literal('refund'), Type.Literal('reversal')]),
    paymentId: Type.Union([Type.String(), Type.Null()]),
    transferId: Type.Union([Type.String(), Type.Null()]),
    amount: Type.Integer({ description: 'VND: the transfer attached, the cash received, the money refunded.' }),
    reference: Type.Union([Type.String(), Type.Null()], { description: 'The receipt number (cash) or the refund’s bank reference.' }),
    refundDate: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String(),
    officer: Type.String(),
    apiKey: Type.String({ description: 'The API key’s fingerprint (`key:` + 12 hex digits of its SHA-256), never the key.' }),
    createdAt: Type.String({ description: 'The database’s clock.' }),
    reverses: Type.Union([Type.String(), Type.Null()]),
    reversedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'One audited desk action.' },
);
const DeskResult = Type.Object(
  { adjustment: Adjustment, payment: Type.Optional(PaymentRef) },
  { description: 'The action recorded and the payment as it is now.' },
);
const deskErrors = errors(400, 401, 403, 404, 409, 422, 503);
/** A desk action's writes, run in the desk's transaction. */
type DeskAction = Parameters<ExceptionsDesk['run']>[4];

/** `/api/transfers/:id/…`, `/api/payments/:id/cash|history`, `/api/adjustments/:id/reverse`: the officer's exceptions desk (keyed, audited). */
export function deskRoutes(app: App, ctx: RouteContext): void {
  const { config, db, store, log } = ctx;
  const desk = new ExceptionsDesk(store, config.expiryGraceSeconds);
  const schema = <P extends TSchema, B extends TSchema>(summary: string, params: P, body: B) => ({
    summary,
    tags: ['exceptions desk'],
    security: API_KEY_SECURITY,
    params,
    headers: DeskHeaders,
    body,
    response: { 200: DeskResult, 201: DeskResult, ...deskErrors },
  });
  const actorOf = (request: FastifyRequest, body: { officer: string; reason: string }) => ({
    actor: { unit: ctx.unitOf(request), officer: body.officer, apiKey: apiKeyFingerprint(request.headers) },
    reason: body.reason,
  });
  /**
   * `POST /api/<url>` as one audited desk action: the unit's key (`onRequest`), the body checked by
   * `prepare` before anything is written (a bad field: 400), then the action it returns in the desk's
   * transaction, idempotent per `Idempotency-Key`, logged, and answered 201 (a repeat: 200, the first answer).
   */
  const deskAction = <P extends TSchema, B extends TSchema>(
    url: `/api/${string}/:id/${string}`,
    summary: string,
    params: P,
    body: B,
    prepare: (id: string, body: Static<B>, who: ReturnType<typeof actorOf>) => DeskAction,
  ) =>
    app.post(url, { schema: schema(summary, params, body), onRequest: ctx.requireApiKey }, async (request, reply) => {
      const path = url.slice('/api/'.length).replace('/:id', '');
      const id = (request.params as { id: string }).id;
      const action = prepare(id, request.body as Static<B>, actorOf(request, request.body as { officer: string; reason: string }));
      const result = await desk.run(ctx.unitOf(request), `${path}/${id}`, request.headers['idempotency-key'] as string | undefined, request.body, action);
      log.info('desk action', { path, id, adjustment: result.body.adjustment.id, officer: result.body.adjustment.officer });
      return reply.code(result.status as 201).send(result.body as never);
    });

  deskAction(
    '/api/transfers/:id/attach',
    'Attach an unmatched or late transfer to a payment',
    TransferParams,
    AttachBody,
    (id, body, who) => (tx) => desk.attach(tx, id, { ...who, payment: body.payment }),
  );
  deskAction('/api/transfers/:id/refund', 'Record that money owed back was refunded', TransferParams, RefundBody, (id, body, who) => {
    const date = calendarDate('date', body.date, 'day');
    return (tx) => desk.refund(tx, id, { ...who, reference: body.reference, date });
  });
  deskAction(
    '/api/payments/:id/cash',
    'Record a payment paid in cash at the counter',
    PaymentParams,
    CashBody,
    (id, body, who) => (tx) => desk.payInCash(tx, id, { ...who, receipt: body.receipt }),
  );
  deskAction(
    '/api/adjustments/:id/reverse',
    'Reverse a desk action (attach, cash or refund)',
    AdjustmentParams,
    ReverseBody,
    (id, _body, who) => (tx) => desk.reverse(tx, id, who),
  );
  app.get(
    '/api/payments/:id/history',
    {
      schema: {
        summary: 'A payment with every transfer and desk action on it',
        tags: ['exceptions desk'],
        security: API_KEY_SECURITY,
        params: PaymentParams,
        response: {
          200: Type.Object({
            payment: PaymentRef,
            transfers: Type.Array(Type.Object({}, { additionalProperties: true })),
            adjustments: Type.Array(Adjustment),
          }),
          ...errors(401, 403, 404, 503),
        },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request) => {
      const history = await paymentHistory(db, ctx.unitOf(request), request.params.id);
      if (!history) throw new NotFound('No such payment.');
      return history;
    },
  );
}
