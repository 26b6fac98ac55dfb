import { Type } from 'typebox';
import type { App, RouteContext } from './context.js';

const Health = Type.Object({
  ok: Type.Boolean(),
  database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  events: Type.Union([Type.Literal('live'), Type.Literal('reconnecting')], { description: 'Whether other instances’ events arrive (PostgreSQL LISTEN).' }),
  subscribers: Type.Optional(Type.Integer({ description: 'Open event streams on this instance.' })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** `GET /healthz`: the database answers (bounded: a frozen one gives 503 within the statement timeout, never a hung probe). */
export function healthRoutes(app: App, ctx: RouteContext): void {
  const { config, db, hub } = ctx;
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and database health',
        tags: ['operations'],
        response: { 200: { ...Health, description: 'The database answers.' }, 503: { ...Health, description: 'It does not (`Retry-After: 5`).' } },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        db.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        new Promise<false>((resolve) => (timer = setTimeout(resolve, config.databaseStatementTimeoutMs || 5_000, false))),
      ]).finally(() => clearTimeout(timer));
      const events = db.listening ? ('live' as const) : ('reconnecting' as const);
      if (!answered)
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ ok: false, database: db.kind, events, error: { code: 'DATABASE_UNAVAILABLE', message: 'The database does not answer.' } });
      return { ok: true, database: db.kind, events, subscribers: hub.subscribers };
    },
  );
}
