import { Type } from 'typebox';
import { InvalidInput, NotFound } from '../errors.js';
import { unknownCounter } from '../units.js';
import { errors, IdParams, NewPaymentBody, PaymentListQuery, PaymentRef, PaymentStreamQuery, UNKNOWN_COUNTER_FIELD } from '../schemas.js';
import { API_KEY_SECURITY, type App, type RouteContext } from './context.js';
import { lastEventId } from './streams.js';

/**
 * A postal payment (`delivery: "postal"`: the slip with its QR goes with the results by post) lives
 * `postalPaymentTtlSeconds` (30 days) unless `expiresIn` says otherwise, up to 90 days; any other at most 7 days.
 */
function postalLifetime(delivery: 'counter' | 'postal' | undefined, expiresIn: number | undefined, config: RouteContext['config']) {
  const postal = delivery === 'postal';
  if (expiresIn !== undefined && !postal && expiresIn > 7 * 86_400)
    throw new InvalidInput('INVALID_FIELD', '"expiresIn" must be an integer from 1 to 604800 (7 days; 90 days for a postal payment).');
  return {
    expiresIn: expiresIn ?? (postal ? config.postalPaymentTtlSeconds : config.paymentTtlSeconds),
    ...(postal ? { delivery: 'postal' as const } : {}),
  };
}

/** `/api/payments…`: create and list (keyed), read and watch (public), cancel (keyed). */
export function paymentRoutes(app: App, ctx: RouteContext): void {
  const { config, store, hub } = ctx;

  app.post(
    '/api/payments',
    {
      schema: {
        summary: 'Create a payment (or return the dossier’s open one)',
        tags: ['payments'],
        security: API_KEY_SECURITY,
        body: NewPaymentBody,
        response: { 200: PaymentRef, 201: PaymentRef, ...errors(UNKNOWN_COUNTER_FIELD, 401, 403, 409, 413, 503) },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request, reply) => {
      const body = request.body;
      const { payment, created } = await store.createPayment(ctx.unitOf(request), {
        dossier: body.dossier,
        amount: Number(body.amount),
        purpose: body.purpose,
        counter: body.counter,
        ...(body.procedure != null ? { procedure: body.procedure } : {}),
        ...(body.officer != null ? { officer: body.officer } : {}),
        ...postalLifetime(body.delivery, body.expiresIn, config),
      });
      return reply
        .code(created ? 201 : 200)
        .header('location', `/api/payments/${payment.id}`)
        .send(payment);
    },
  );

  app.get(
    '/api/payments',
    {
      schema: {
        summary: 'List payments, newest first',
        tags: ['payments'],
        security: API_KEY_SECURITY,
        querystring: PaymentListQuery,
        response: {
          200: Type.Object({ payments: Type.Array(PaymentRef) }, { description: 'The payments (at most `limit`).' }),
          ...errors(UNKNOWN_COUNTER_FIELD, 401, 403, 503),
        },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request) => {
      const { status, counter, limit } = request.query;
      const unit = ctx.unitOf(request);
      // A counter the unit does not list is a typo or another unit's: an empty list would hide that.
      if (counter && !store.hasCounter(unit, counter)) throw unknownCounter(unit, counter, 'field');
      const payments = await store.listPayments({
        unit,
        ...(status ? { status } : {}),
        ...(counter ? { counter } : {}),
        limit: limit ?? 100,
      });
      return { payments };
    },
  );

  app.get(
    '/api/payments/:id',
    {
      schema: {
        summary: 'Read a payment (public: what `<qr-payment src>` reads)',
        tags: ['payments'],
        params: IdParams,
        response: { 200: PaymentRef, ...errors(404, 429, 503) },
      },
      onRequest: ctx.limited('public', config.rateLimitPerMinute),
    },
    async (request) => {
      const payment = await store.getPayment(request.params.id);
      if (!payment) throw new NotFound('No such payment.');
      return payment;
    },
  );

  app.get(
    '/api/payments/:id/events',
    {
      schema: {
        summary: 'Watch a payment (Server-Sent Events: `event: payment`, `id: <version>`, and `ping`)',
        tags: ['payments'],
        params: IdParams,
        querystring: PaymentStreamQuery,
        response: {
          200: { description: 'The stream: the current state first, then every newer version', content: { 'text/event-stream': { schema: PaymentRef } } },
          ...errors(404, 429, 503),
        },
      },
      onRequest: ctx.limited('public', config.rateLimitPerMinute),
    },
    async (request, reply) => {
      const { id } = request.params;
      ctx.openStream(request, reply);
      if (!hub.watching(`payment:${id}`) && !(await store.getPayment(id))) throw new NotFound('No such payment.');
      await ctx.stream(reply, `payment:${id}`, lastEventId(request), 'payment', async () => (await store.getPayment(id))!);
    },
  );

  app.post(
    '/api/payments/:id/cancel',
    {
      schema: {
        summary: 'Cancel an open payment (a cancelled one stays cancelled)',
        tags: ['payments'],
        security: API_KEY_SECURITY,
        params: IdParams,
        response: { 200: PaymentRef, ...errors(401, 403, 404, 409, 503) },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request) => store.cancelPayment(ctx.unitOf(request), request.params.id),
  );
}
