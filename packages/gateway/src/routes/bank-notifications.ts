import { Type } from 'typebox';
import { ADAPTERS } from '../providers.js';
import { errors, ProviderParams, RawNotificationBody } from '../schemas.js';
import type { App, RouteContext } from './context.js';

/**
 * `POST /api/bank/notifications/:provider`: a bank aggregator tells of an incoming transfer. The
 * body arrives as raw bytes (the app's content-type parser), so the provider's signature is checked
 * over exactly what was sent (providers.ts); each transaction is then applied (store.ts).
 */
export function bankNotificationRoutes(app: App, ctx: RouteContext): void {
  const { config, store, log } = ctx;
  app.post(
    '/api/bank/notifications/:provider',
    {
      schema: {
        summary: 'Receive a bank notification (webhook of SePay, Casso, payOS, or the generic signed form)',
        tags: ['bank'],
        params: ProviderParams,
        body: RawNotificationBody,
        response: {
          200: Type.Unknown({ description: 'What the provider expects back (it retries anything else).' }),
          ...errors(400, 401, 404, 413, 429, 503),
        },
      },
      onRequest: ctx.limited('notification', config.notificationRateLimitPerMinute),
    },
    async (request) => {
      const { provider } = request.params;
      const raw = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
      const adapter = ADAPTERS[provider];
      const transactions = adapter.parse(request.headers, raw, config.providers);
      const outcomes = [];
      for (const transaction of transactions) outcomes.push(await store.applyTransaction(transaction));
      for (const outcome of outcomes) log.info('bank notification', { provider, ...outcome });
      return adapter.reply(outcomes);
    },
  );
}
