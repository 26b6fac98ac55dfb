import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from './app.js';
import { checkCollectionAccount, DEFAULT_CONFIG, type GatewayConfig, unitsOf } from './config.js';
import { checkScreenKeys } from './counter-screens.js';
import { openDatabase } from './db.js';
import { EventRelay } from './event-relay.js';
import { createLogger } from './log.js';
import { migrate } from './schema.js';
import { EventHub } from './sse.js';
import { Store } from './store.js';
import { pruneWebhookEvents, registerEndpoints, WebhookWorker } from './webhooks.js';

export { clientAddress, trustedProxyHops } from './app.js';

/** A running gateway. */
export interface Gateway {
  /** `http://host:port` it listens on. */
  url: string;
  port: number;
  /** Ends SSE streams, stops accepting, waits for requests in flight, closes the database. */
  close(): Promise<void>;
  /** The request handler, to mount in another `node:http` server. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Every route it answers, `{method, url}` with Fastify's `:param` placeholders (the OpenAPI document lists the same). */
  routes: ReadonlyArray<{ method: string; url: string }>;
}

/**
 * Starts the gateway: opens the database (PGlite in `dataDir`, or PostgreSQL at `databaseUrl`),
 * applies the migrations, listens for events, and serves the API.
 *
 * @example
 * const gateway = await startGateway({
 *   port: 0, dataDir: 'memory://', apiKeys: ['k'],
 *   collectionAccount: { bin: '970415', account: '113366668888', accountName: 'UBND PHUONG HOAN KIEM' },
 * });
 * console.log(gateway.url);
 * await gateway.close();
 */
export async function startGateway(partial: Partial<GatewayConfig> = {}): Promise<Gateway> {
  const config: GatewayConfig = { ...DEFAULT_CONFIG, ...partial, providers: { ...DEFAULT_CONFIG.providers, ...partial.providers } };
  const log = createLogger(config.logLevel);
  const { units } = unitsOf(config);
  checkCollectionAccount(config, units);
  for (const unit of units) checkScreenKeys(unit.screenKeys);
  const db = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    log,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
  await migrate(db, config.unitId);
  // Webhooks (webhooks.ts): each unit's endpoints, and the worker that delivers the outbox.
  for (const unit of units) await registerEndpoints(db, unit.id, unit.webhooks);
  const webhooks = new WebhookWorker({
    db,
    log,
    endpoints: Object.fromEntries(units.map((unit) => [unit.id, unit.webhooks])),
    retry: config.webhookRetry,
    timeoutMs: config.webhookTimeoutMs,
    pollMs: config.webhookPollMs,
  });
  const hub = new EventHub(config.heartbeatMs, config.sseRetryMs);
  if (!units.some((unit) => Object.keys(unit.screenKeys).length)) log.warn('no screen keys (MOTCUA_SCREEN_KEYS): citizen screens will offer no rating');
  const relay = new EventRelay(db, hub, log);
  const store = new Store(db, {
    ...relay.storeHooks,
    onCommit(events) {
      relay.storeHooks.onCommit(events);
      webhooks.wake();
    },
    units,
    surveyTokenSecret: config.surveyTokenSecret,
    surveyTokenTtlSeconds: config.surveyTokenTtlSeconds,
    surveyLateWindowSeconds: config.surveyLateWindowSeconds,
    surveyScreenMs: config.surveyScreenMs,
    paidScreenMs: config.paidScreenMs,
    expiredScreenMs: config.expiredScreenMs,
    expiryGraceSeconds: config.expiryGraceSeconds,
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  });
  await relay.listen(store);
  let selfUrl = '';
  let closing = false;
  const { app, handler, limiter, routes } = await createHttpApp({ config, db, store, hub, log, webhooks, closing: () => closing, selfUrl: () => selfUrl });

  let sweepTimer: NodeJS.Timeout | undefined;
  // Webhook retention runs at most once a minute (and at start): it has days to catch up.
  let prunedAt = 0;
  const sweep = async () => {
    try {
      const { expired, reset } = await store.sweep();
      if (expired || reset) log.info('sweep', { expired, reset });
      if (Date.now() - prunedAt >= 60_000) {
        prunedAt = Date.now();
        const pruned = await pruneWebhookEvents(db, config.webhookRetentionDays);
        if (pruned) log.info('webhook events past retention deleted', { events: pruned, retentionDays: config.webhookRetentionDays });
      }
    } catch (error) {
      if (!closing) log.warn('sweep failed', { error: (error as Error).message });
    }
    if (!closing) sweepTimer = setTimeout(sweep, config.sweepIntervalMs);
  };
  await store.sweep().catch(() => {});
  sweepTimer = setTimeout(sweep, config.sweepIntervalMs);

  await app.listen({ port: config.port, host: config.host });
  const server = app.server;
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  selfUrl = `http://${host}:${port}`;
  log.info('gateway started', { url: selfUrl, database: db.kind });
  webhooks.start();

  let closed: Promise<void> | undefined;
  return {
    url: selfUrl,
    port,
    handler,
    routes,
    close() {
      closed ??= (async () => {
        closing = true;
        clearTimeout(sweepTimer);
        // Event streams end first (the hub owns them), then the server stops accepting and waits for
        // the requests in flight (5 s at most).
        hub.close();
        const forced = setTimeout(() => server.closeAllConnections(), 5_000);
        await app.close();
        clearTimeout(forced);
        limiter.close();
        relay.close();
        await webhooks.stop();
        await db.close();
        log.info('gateway stopped');
      })();
      return closed;
    },
  };
}
