import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeVietQR } from '@motcua/core';
import { DEFAULT_CONFIG, checkCollectionAccount, type GatewayConfig } from './config.js';
import { randomId, safeEqual } from './crypto.js';
import { DatabaseUnavailableError, openDatabase } from './db.js';
import { ApiError, RateLimiter, calendarDate, field, parseJsonObject, queryInteger, readBody, sendError, sendJson } from './http.js';
import { createLogger } from './log.js';
import { ADAPTERS, isProvider, type Provider } from './providers.js';
import { reconciliation, reconciliationCsv, satisfaction, satisfactionCsv } from './reports.js';
import { migrate } from './schema.js';
import { EventHub } from './sse.js';
import { checkScreenKeys, isPairedScreen, publicCounterState } from './counter-screens.js';
import { serveStatic } from './static-files.js';
import { EVENTS_CHANNEL, Store, type GatewayEvent } from './store.js';
import { submitRating } from './surveys.js';

/** A running gateway. */
export interface Gateway {
  /** `http://host:port` it listens on. */
  url: string;
  port: number;
  /** Ends SSE streams, stops accepting, waits for requests in flight, closes the database. */
  close(): Promise<void>;
  /** The request handler, to mount in another `node:http` server. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

const ID = '([A-Za-z0-9_-]{1,64})';
const ROUTES = {
  payments: /^\/api\/payments$/,
  payment: new RegExp(`^/api/payments/${ID}$`),
  paymentEvents: new RegExp(`^/api/payments/${ID}/events$`),
  paymentCancel: new RegExp(`^/api/payments/${ID}/cancel$`),
  counter: new RegExp(`^/api/counters/${ID}$`),
  counterEvents: new RegExp(`^/api/counters/${ID}/events$`),
  counterIdle: new RegExp(`^/api/counters/${ID}/idle$`),
  notification: /^\/api\/bank\/notifications\/([a-z]+)$/,
  surveys: /^\/api\/surveys$/,
  reconciliation: /^\/api\/reports\/reconciliation$/,
  satisfaction: /^\/api\/reports\/satisfaction$/,
  devTransfer: /^\/dev\/bank\/transfer$/,
} as const;

const TEXT_FIELD = /^[^\x00-\x1f\x7f]*$/;
const COUNTER_ID = /^[A-Za-z0-9_-]{1,64}$/;

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
  checkCollectionAccount(config);
  const screenKeys = config.screenKeys ?? {};
  checkScreenKeys(screenKeys);
  const db = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    log,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
  await migrate(db);
  const hub = new EventHub(config.heartbeatMs, config.sseRetryMs);
  if (!Object.keys(screenKeys).length) log.warn('no screen keys (MOTCUA_SCREEN_KEYS): citizen screens will offer no rating');
  /** A counter's state goes to its paired screens as it is, and to public readers without the rating prompt. */
  const publish = (event: GatewayEvent) => {
    hub.dispatch(event);
    if (event.type === 'counter') hub.dispatch({ type: 'counter', data: publicCounterState(event.data) }, `counter-public:${event.data.counter}`);
  };
  // Events of committed changes go to this instance's subscribers at once; on PostgreSQL they also go
  // to the other instances through NOTIFY, sent inside the transaction so that it is delivered exactly
  // when the change commits (tagged with this instance's id, so its own echo is skipped).
  const instanceId = randomId(8);
  const store = new Store(db, {
    ...(db.kind === 'postgres'
      ? {
          async beforeCommit(tx, events) {
            const payloads = events.map((event) => `${instanceId}|${JSON.stringify(event)}`);
            await tx.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [EVENTS_CHANNEL, payloads]);
          },
        }
      : {}),
    onCommit(events) {
      for (const event of events) publish(event);
    },
    bank: config.collectionAccount,
    counters: config.counters ?? {},
    surveyTokenSecret: config.surveyTokenSecret,
    surveyTokenTtlSeconds: config.surveyTokenTtlSeconds,
    surveyLateWindowSeconds: config.surveyLateWindowSeconds,
    surveyScreenMs: config.surveyScreenMs,
    expiredScreenMs: config.expiredScreenMs,
    expiryGraceSeconds: config.expiryGraceSeconds,
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  });
  if (db.kind === 'postgres') {
    await db.listen(EVENTS_CHANNEL, (payload) => {
      const separator = payload.indexOf('|');
      if (payload.slice(0, separator) === instanceId) return;
      try {
        publish(JSON.parse(payload.slice(separator + 1)) as GatewayEvent);
      } catch {
        log.warn('malformed event notification', { length: payload.length });
      }
    });
    // While the LISTEN connection is down, other instances' events are missed: memory is not trusted;
    // once it is back, every watched channel is re-read and what is newer pushed (retried until it works).
    db.onListening((up) => (up ? void resyncEvents() : hub.stale()));
  }
  async function resyncEvents(attempt = 0): Promise<void> {
    try {
      const channels = await hub.resync(async (channel) => {
        const [kind, id = ''] = [channel.slice(0, channel.indexOf(':')), channel.slice(channel.indexOf(':') + 1)];
        if (kind === 'counter') return { type: 'counter', data: await store.counterState(id) };
        if (kind === 'counter-public') return { type: 'counter', data: publicCounterState(await store.counterState(id)) };
        const payment = await store.getPayment(id);
        return payment && { type: 'payment', data: payment };
      });
      log.info('events resynchronised after LISTEN reconnect', { channels });
    } catch (error) {
      log.warn('events resync failed', { error: (error as Error).message });
      if (!closing && db.listening) setTimeout(() => void resyncEvents(attempt + 1), Math.min(3_000, 250 * 2 ** attempt)).unref();
    }
  }
  const limiter = new RateLimiter();
  let selfUrl = '';
  let closing = false;

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin || !(config.corsOrigins.includes('*') || config.corsOrigins.includes(origin))) return {};
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'Retry-After' };
  };

  const proxyHops = trustedProxyHops(config.trustProxy);
  const clientIp = (req: IncomingMessage): string => clientAddress(req.socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for'], proxyHops);

  const limit = (req: IncomingMessage, bucket: string, perMinute: number) => {
    const wait = limiter.take(`${bucket}:${clientIp(req)}`, perMinute);
    if (wait) throw Object.assign(new ApiError(429, 'RATE_LIMITED', `Too many requests; retry in ${wait} s.`), { retryAfter: wait });
  };

  const requireApiKey = (req: IncomingMessage) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const key = bearer ?? (req.headers['x-api-key'] as string | undefined);
    // Compare against every key (no early exit), so timing does not tell which one nearly matched.
    const ok = !!key && config.apiKeys.reduce((found, candidate) => safeEqual(key, candidate) || found, false);
    if (!ok) throw new ApiError(401, 'UNAUTHORIZED', 'A valid API key is required (Authorization: Bearer <key>).');
  };

  // Open event streams per client address (a per-address cap: 429 beyond).
  const streams = new Map<string, number>();
  const openStream = (req: IncomingMessage, res: ServerResponse) => {
    const ip = clientIp(req);
    const open = streams.get(ip) ?? 0;
    if (config.maxStreamsPerAddress && open >= config.maxStreamsPerAddress)
      throw Object.assign(new ApiError(429, 'TOO_MANY_STREAMS', `At most ${config.maxStreamsPerAddress} event streams per address.`), {
        retryAfter: Math.ceil(config.sseRetryMs / 1000) || 1,
      });
    streams.set(ip, open + 1);
    res.once('close', () => {
      const left = (streams.get(ip) ?? 1) - 1;
      if (left > 0) streams.set(ip, left);
      else streams.delete(ip);
    });
  };

  const jsonBody = async (req: IncomingMessage) => parseJsonObject(await readBody(req, config.maxBodyBytes));

  const wantsCsv = (req: IncomingMessage, url: URL) => url.searchParams.get('format') === 'csv' || /\btext\/csv\b/.test(String(req.headers.accept ?? ''));

  const lastEventId = (req: IncomingMessage, url: URL): number => {
    const raw = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId');
    const value = Number(raw);
    return raw !== undefined && raw !== null && raw !== '' && Number.isSafeInteger(value) ? value : -1;
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { pathname } = url;
    const method = req.method ?? 'GET';
    const cors = corsHeaders(req);
    let match: RegExpExecArray | null;

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin']
          ? {
              'access-control-allow-methods': 'GET, POST, OPTIONS',
              'access-control-allow-headers': 'Content-Type, Idempotency-Key, Last-Event-ID, Authorization, X-Api-Key, X-Screen-Key',
              'access-control-max-age': '600',
            }
          : {}),
      });
      res.end();
      return;
    }
    if (pathname === '/healthz' && method === 'GET') {
      // Bounded: a frozen database gives 503 within the statement timeout, never a hung probe.
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        db.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        new Promise<false>((resolve) => (timer = setTimeout(resolve, config.databaseStatementTimeoutMs || 5_000, false))),
      ]).finally(() => clearTimeout(timer));
      const events = db.listening ? 'live' : 'reconnecting';
      const unavailable = { code: 'DATABASE_UNAVAILABLE', message: 'The database does not answer.' };
      if (!answered) return sendJson(res, 503, { ok: false, database: db.kind, events, error: unavailable }, { ...cors, 'retry-after': '5' });
      return sendJson(res, 200, { ok: true, database: db.kind, events, subscribers: hub.subscribers }, cors);
    }

    if (ROUTES.payments.test(pathname)) {
      requireApiKey(req);
      if (method === 'POST') {
        const body = await jsonBody(req);
        const { payment, created } = await store.createPayment({
          dossier: field.string(body, 'dossier', { max: 64, pattern: TEXT_FIELD }),
          amount: field.integer(body, 'amount', { min: 1, max: 9_999_999_999_999 }),
          purpose: field.string(body, 'purpose', { max: 200, pattern: TEXT_FIELD }),
          counter: field.string(body, 'counter', { max: 64, pattern: COUNTER_ID }),
          ...opt('procedure', field.optionalString(body, 'procedure', { max: 200, pattern: TEXT_FIELD })),
          ...opt('officer', field.optionalString(body, 'officer', { max: 64, pattern: TEXT_FIELD })),
          expiresIn: body.expiresIn === undefined ? config.paymentTtlSeconds : field.integer(body, 'expiresIn', { min: 1, max: 7 * 86_400 }),
        });
        return sendJson(res, created ? 201 : 200, payment, { ...cors, location: `/api/payments/${payment.id}` });
      }
      if (method === 'GET') {
        const status = url.searchParams.get('status') || undefined;
        if (status && !['pending', 'paid', 'underpaid', 'expired', 'cancelled'].includes(status))
          throw new ApiError(400, 'INVALID_FIELD', '"status" is not a payment status.');
        const counter = url.searchParams.get('counter') || undefined;
        if (counter && !COUNTER_ID.test(counter)) throw new ApiError(400, 'INVALID_FIELD', `"counter" must match ${COUNTER_ID}.`);
        const limit = queryInteger(url.searchParams, 'limit', { min: 1, max: 500, fallback: 100 });
        const payments = await store.listPayments({ ...opt('status', status), ...opt('counter', counter), limit });
        return sendJson(res, 200, { payments }, cors);
      }
      throw methodNotAllowed();
    }
    if ((match = ROUTES.payment.exec(pathname))) {
      if (method !== 'GET') throw methodNotAllowed();
      limit(req, 'public', config.rateLimitPerMinute);
      const payment = await store.getPayment(match[1]!);
      if (!payment) throw notFound('No such payment.');
      return sendJson(res, 200, payment, cors);
    }
    if ((match = ROUTES.paymentEvents.exec(pathname))) {
      if (method !== 'GET') throw methodNotAllowed();
      limit(req, 'public', config.rateLimitPerMinute);
      const id = match[1]!;
      openStream(req, res);
      if (!hub.watching(`payment:${id}`) && !(await store.getPayment(id))) throw notFound('No such payment.');
      return hub.open(`payment:${id}`, res, lastEventId(req, url), 'payment', async () => (await store.getPayment(id))!, cors);
    }
    if ((match = ROUTES.paymentCancel.exec(pathname))) {
      if (method !== 'POST') throw methodNotAllowed();
      requireApiKey(req);
      return sendJson(res, 200, await store.cancelPayment(match[1]!), cors);
    }
    if ((match = ROUTES.counterEvents.exec(pathname))) {
      if (method !== 'GET') throw methodNotAllowed();
      limit(req, 'public', config.rateLimitPerMinute);
      const counter = match[1]!;
      openStream(req, res);
      if (isPairedScreen(req, url, counter, screenKeys))
        return hub.open(`counter:${counter}`, res, lastEventId(req, url), 'counter', () => store.counterState(counter), cors);
      return hub.open(
        `counter-public:${counter}`,
        res,
        lastEventId(req, url),
        'counter',
        async () => publicCounterState(await store.counterState(counter)),
        cors,
      );
    }
    if ((match = ROUTES.counter.exec(pathname))) {
      if (method !== 'GET') throw methodNotAllowed();
      limit(req, 'public', config.rateLimitPerMinute);
      const state = await store.counterState(match[1]!);
      return sendJson(res, 200, isPairedScreen(req, url, match[1]!, screenKeys) ? state : publicCounterState(state), cors);
    }
    if ((match = ROUTES.counterIdle.exec(pathname))) {
      if (method !== 'POST') throw methodNotAllowed();
      requireApiKey(req);
      return sendJson(res, 200, await store.resetCounter(match[1]!), cors);
    }
    if ((match = ROUTES.notification.exec(pathname))) {
      if (method !== 'POST') throw methodNotAllowed();
      const provider = match[1]!;
      if (!isProvider(provider)) throw notFound(`Unknown provider "${provider}".`);
      limit(req, 'notification', config.notificationRateLimitPerMinute);
      const raw = await readBody(req, config.maxBodyBytes);
      const adapter = ADAPTERS[provider];
      const transactions = adapter.parse(req.headers, raw, config.providers);
      const outcomes = [];
      for (const transaction of transactions) outcomes.push(await store.applyTransaction(transaction));
      for (const outcome of outcomes) log.info('bank notification', { provider, ...outcome });
      return sendJson(res, 200, adapter.reply(outcomes));
    }
    if (ROUTES.surveys.test(pathname)) {
      if (method !== 'POST') throw methodNotAllowed();
      limit(req, 'survey', config.surveyRateLimitPerMinute);
      const body = await jsonBody(req);
      const result = await submitRating(
        store,
        { secret: config.surveyTokenSecret, lateWindowSeconds: config.surveyLateWindowSeconds },
        req.headers['idempotency-key'] as string | undefined,
        body,
      );
      return sendJson(res, result.status, result.body, cors);
    }
    if (ROUTES.reconciliation.test(pathname) || ROUTES.satisfaction.test(pathname)) {
      if (method !== 'GET') throw methodNotAllowed();
      requireApiKey(req);
      const csv = wantsCsv(req, url);
      if (ROUTES.reconciliation.test(pathname)) {
        const date = calendarDate('date', url.searchParams.get('date') ?? new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10), 'day');
        const report = await reconciliation(db, date);
        return csv ? sendCsv(res, `reconciliation-${date}.csv`, reconciliationCsv(report), cors) : sendJson(res, 200, report, cors);
      }
      const month = calendarDate('month', url.searchParams.get('month') ?? new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7), 'month');
      const report = await satisfaction(db, month, config.counters);
      return csv ? sendCsv(res, `satisfaction-${month}.csv`, satisfactionCsv(report), cors) : sendJson(res, 200, report, cors);
    }
    if (ROUTES.devTransfer.test(pathname) && config.devBank) {
      if (method !== 'POST') throw methodNotAllowed();
      return devTransfer(req, res);
    }
    if (config.staticRoot && (method === 'GET' || method === 'HEAD') && !pathname.startsWith('/api/') && !pathname.startsWith('/dev/')) {
      if (await serveStatic(config.staticRoot, req, res, pathname)) return;
    }
    throw notFound('Not found.');
  }

  /** The simulated bank: builds the provider's real-shaped notification, signs it, posts it to ourselves. */
  async function devTransfer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await jsonBody(req);
    const provider = (field.optionalString(body, 'provider', { max: 10 }) ?? 'generic') as Provider;
    if (!isProvider(provider)) throw new ApiError(400, 'INVALID_FIELD', '"provider" must be generic, sepay, casso or payos.');
    const paymentId = field.optionalString(body, 'paymentId', { max: 64, pattern: COUNTER_ID });
    const payment = paymentId ? await store.getPayment(paymentId) : undefined;
    if (paymentId && !payment) throw notFound('No such payment.');
    const code = field.optionalString(body, 'code', { max: 64, pattern: TEXT_FIELD });
    const memo = field.optionalString(body, 'memo', { max: 200, pattern: TEXT_FIELD }) ?? (payment ? (memoOf(payment.qr) ?? payment.code) : (code ?? ''));
    const amount = body.amount === undefined && payment ? payment.amount : field.integer(body, 'amount', { min: 1, max: 9_999_999_999_999 });
    const transactionId = field.optionalString(body, 'transactionId', { max: 64, pattern: /^[\x21-\x7e]+$/ });
    // The account credited: the collection account unless the caller simulates a transfer into another one.
    const account = field.optionalString(body, 'account', { max: 34, pattern: /^[\x21-\x7e]+$/ }) ?? config.collectionAccount.account;
    const built = ADAPTERS[provider].build({ memo, amount, account, ...opt('transactionId', transactionId) }, config.providers);
    const answer = await fetch(`${selfUrl}/api/bank/notifications/${provider}`, { method: 'POST', headers: built.headers, body: built.body });
    const answerText = await answer.text();
    let answerBody: unknown = answerText;
    try {
      answerBody = JSON.parse(answerText);
    } catch {}
    return sendJson(res, 200, {
      sent: { provider, url: `/api/bank/notifications/${provider}`, body: JSON.parse(built.body) },
      response: { status: answer.status, body: answerBody },
    });
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      sendError(res, new ApiError(400, 'BAD_REQUEST', 'Malformed URL.'));
      return;
    }
    if (closing) {
      sendError(res, new ApiError(503, 'SHUTTING_DOWN', 'The gateway is shutting down.'), { connection: 'close' });
      return;
    }
    route(req, res, url)
      .catch((error: unknown) => {
        // Nothing was stored when the database could not answer: 503 + Retry-After, and the caller (a bank
        // provider, a portal) tries again.
        if (error instanceof DatabaseUnavailableError) {
          log.warn('database unavailable', { method: req.method, path: url.pathname, error: error.message });
          error = Object.assign(new ApiError(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was stored. Retry later.'), { retryAfter: 5 });
        }
        const apiError = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL', 'Internal error.');
        if (!(error instanceof ApiError))
          log.error('request failed', { method: req.method, path: url.pathname, error: (error as Error)?.stack ?? String(error) });
        if (res.headersSent) return void res.end();
        const retryAfter = (error as { retryAfter?: number }).retryAfter;
        sendError(res, apiError, { ...corsHeaders(req), ...(retryAfter ? { 'retry-after': String(retryAfter) } : {}) });
      })
      .finally(() => {
        // The path only: query strings may carry survey tokens.
        if (!res.getHeader('content-type')?.toString().startsWith('text/event-stream'))
          log.info('request', { method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) });
      });
  };

  let sweepTimer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    try {
      const { expired, reset } = await store.sweep();
      if (expired || reset) log.info('sweep', { expired, reset });
    } catch (error) {
      if (!closing) log.warn('sweep failed', { error: (error as Error).message });
    }
    if (!closing) sweepTimer = setTimeout(sweep, config.sweepIntervalMs);
  };
  await store.sweep().catch(() => {});
  sweepTimer = setTimeout(sweep, config.sweepIntervalMs);

  // Slow clients are cut off (408): headers within headersTimeoutMs, the whole request (body included)
  // within requestTimeoutMs, checked every second. Neither limits a response: event streams stay open.
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, config.headersTimeoutMs || 1_000, config.requestTimeoutMs || 1_000)),
    },
    handler,
  );
  server.maxConnections = 100_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  selfUrl = `http://${host}:${port}`;
  log.info('gateway started', { url: selfUrl, database: db.kind });

  let closed: Promise<void> | undefined;
  return {
    url: selfUrl,
    port,
    handler,
    close() {
      closed ??= (async () => {
        closing = true;
        clearTimeout(sweepTimer);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        hub.close();
        server.closeIdleConnections();
        const forced = setTimeout(() => server.closeAllConnections(), 5_000);
        await stopped;
        clearTimeout(forced);
        limiter.close();
        await db.close();
        log.info('gateway stopped');
      })();
      return closed;
    },
  };
}

/** `trustProxy` as a number of reverse proxies in front of the gateway: `true` is one, `false` none. */
export const trustedProxyHops = (trustProxy: boolean | number): number =>
  trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, Math.floor(trustProxy));

/**
 * The client's address behind `hops` trusted reverse proxies. Each proxy appends the address it
 * received the request from to `X-Forwarded-For`, so only the last `hops` entries (the nearest proxy's
 * being the socket's peer) are written by proxies we trust; anything to their left was written by the
 * client and may be forged. The client is the entry `hops` places from the right of
 * `[...X-Forwarded-For, socket peer]`; with fewer entries, the leftmost one (a proxy added it).
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, hops: number): string {
  if (!hops) return peer;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...entries, peer];
  return chain[Math.max(0, chain.length - 1 - hops)]!;
}

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));
const notFound = (message: string) => new ApiError(404, 'NOT_FOUND', message);
const methodNotAllowed = () => new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.');

function sendCsv(res: ServerResponse, filename: string, csv: string, headers: Record<string, string>): void {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(csv);
}

/** The memo inside a payment's VietQR (field 62.08): what a bank app sends. */
function memoOf(qr: string): string | undefined {
  try {
    return decodeVietQR(qr).purpose;
  } catch {
    return undefined;
  }
}
