import { Type } from 'typebox';
import { errors } from '../schemas.js';
import { DELIVERY_STATUSES, listDeliveries, listEvents, redeliver, WEBHOOK_EVENT_TYPES } from '../webhooks.js';
import { API_KEY_SECURITY, type App, type RouteContext } from './context.js';

const oneOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      { description },
    ),
  );

const Attempt = Type.Object({
  at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The receiver’s HTTP status; null: no answer (refused, timed out).' }),
  durationMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
});
const Delivery = Type.Object(
  {
    id: Type.String(),
    eventId: Type.String(),
    type: oneOf(WEBHOOK_EVENT_TYPES, 'The event type.'),
    unit: Type.String(),
    url: Type.String(),
    status: oneOf(DELIVERY_STATUSES, '`pending` (waiting, or behind an earlier event of its payment), `delivered`, `failed` (given up).'),
    attempts: Type.Array(Attempt),
    nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'WebhookDelivery', description: 'One event’s delivery to one endpoint, with every try.' },
);
const Event = Type.Object(
  {
    id: Type.String({ description: 'The same on every try: act once per id.' }),
    type: oneOf(WEBHOOK_EVENT_TYPES, 'The event type.'),
    created: Type.String({ format: 'date-time' }),
    unit: Type.String(),
    data: Type.Object({}, { additionalProperties: true, description: '`{payment}`, `{transaction}` or `{rating}`.' }),
  },
  { $id: 'WebhookEvent', description: 'The body of a webhook, as signed and sent (docs/webhooks.md).' },
);

/** `/api/webhooks/deliveries…` and `/api/events` (keyed): the deliveries with their tries, redelivery, and the pull API. */
export function webhookRoutes(app: App, ctx: RouteContext): void {
  const { db, webhooks } = ctx;
  app.get(
    '/api/webhooks/deliveries',
    {
      schema: {
        summary: 'Webhook deliveries, newest first, each with its tries',
        tags: ['webhooks'],
        security: API_KEY_SECURITY,
        querystring: Type.Object({
          type: Type.Optional(oneOf(WEBHOOK_EVENT_TYPES, 'Only events of this type.')),
          event: Type.Optional(Type.String({ pattern: '^evt_[A-Za-z0-9_-]{1,64}$', description: 'Only this event id.' })),
          status: Type.Optional(oneOf(DELIVERY_STATUSES, 'Only deliveries in this status.')),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: '100 by default.' })),
        }),
        response: { 200: Type.Object({ deliveries: Type.Array(Delivery) }), ...errors(400, 401, 403, 503) },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request) => {
      const { type, event, status, limit } = request.query;
      return { deliveries: await listDeliveries(db, { unit: ctx.unitOf(request), type, eventId: event, status, limit: limit ?? 100 }) };
    },
  );
  app.post(
    '/api/webhooks/deliveries/:id/redeliver',
    {
      schema: {
        summary: 'Send a delivery again now (the same event id and body)',
        tags: ['webhooks'],
        security: API_KEY_SECURITY,
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$', description: 'The delivery id.' }) }),
        response: { 202: Delivery, ...errors(400, 401, 403, 404, 503) },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request, reply) => {
      const delivery = await redeliver(db, ctx.unitOf(request), request.params.id);
      webhooks.wake();
      return reply.code(202).send(delivery);
    },
  );
  app.get(
    '/api/events',
    {
      schema: {
        summary: 'The events after a cursor, oldest first (catch up after downtime)',
        tags: ['webhooks'],
        security: API_KEY_SECURITY,
        querystring: Type.Object({
          after: Type.Optional(Type.Integer({ minimum: 0, description: 'The `next` of the previous answer; 0 (the default) for the first.' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: '100 by default.' })),
        }),
        response: {
          200: Type.Object({ events: Type.Array(Event), next: Type.String({ description: 'The cursor to ask from next.' }) }),
          ...errors(400, 401, 403, 503),
        },
      },
      onRequest: ctx.requireApiKey,
    },
    async (request) => listEvents(db, { unit: ctx.unitOf(request), after: request.query.after ?? 0, limit: request.query.limit ?? 100 }),
  );
}
