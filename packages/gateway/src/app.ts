import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { type GatewayConfig, unitsOf } from './config.js';
import { safeEqual } from './crypto.js';
import { DatabaseUnavailableError, type Database } from './db.js';
import { DomainError, httpStatusOf, NotFound } from './errors.js';
import { ApiError, parseJsonObject, RateLimiter, sendError } from './http.js';
import type { Logger } from './log.js';
import { bankNotificationRoutes } from './routes/bank-notifications.js';
import type { App, RequestAuth, RouteContext } from './routes/context.js';
import { counterRoutes } from './routes/counters.js';
import { deskRoutes } from './routes/desk.js';
import { devBankRoutes } from './routes/dev-bank.js';
import { healthRoutes } from './routes/health.js';
import { paymentRoutes } from './routes/payments.js';
import { reportRoutes } from './routes/reports.js';
import { surveyRoutes } from './routes/surveys.js';
import { webhookRoutes } from './routes/webhooks.js';
import { CounterState, ErrorBody, PaymentResource } from './schemas.js';
import type { EventHub } from './sse.js';
import { serveStatic } from './static-files.js';
import type { Store } from './store.js';
import type { WebhookWorker } from './webhooks.js';
import { validationFailure, validatorCompiler } from './validation.js';

export interface AppParts {
  config: GatewayConfig;
  db: Database;
  store: Store;
  hub: EventHub;
  log: Logger;
  webhooks: WebhookWorker;
  /** Whether the gateway is shutting down (new requests get 503). */
  closing(): boolean;
  selfUrl(): string;
}

export interface HttpApp {
  app: App;
  /** Fastify's request handler, to mount in another `node:http` server (after `app.ready()`). */
  handler(req: IncomingMessage, res: ServerResponse): void;
  limiter: RateLimiter;
  /** Every route it answers (Fastify's registrations; CORS preflights aside). */
  routes: ReadonlyArray<{ method: string; url: string }>;
}

const PACKAGE_VERSION = '0.1.0';

/**
 * The HTTP edge: Fastify with the route modules (routes/), the TypeBox schemas validating requests
 * (validation.ts) and describing them (`GET /api/openapi.json`), CORS (@fastify/cors), and the
 * mapping of every error to a status and `{error: {code, message}}`. Everything below it (store,
 * providers, rating rules) knows nothing of HTTP.
 */
export async function createHttpApp(parts: AppParts): Promise<HttpApp> {
  const { config, db, store, hub, log } = parts;
  const { units, provinceKeys } = unitsOf(config);
  let routing: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const app: App = Fastify({
    logger: false,
    bodyLimit: config.maxBodyBytes,
    // Our own 503 SHUTTING_DOWN (onRequest below), with our error body.
    return503OnClosing: false,
    // HEAD is answered for static files only (as before); the API is GET and POST.
    exposeHeadRoutes: false,
    // Slow clients are cut off (408): headers within headersTimeoutMs, the whole request (body included)
    // within requestTimeoutMs, checked every second. Neither limits a response: event streams stay open.
    serverFactory: (handler) => {
      routing = handler;
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
      return server;
    },
    // A URL find-my-way cannot decode: our 400, not Fastify's body.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.code(400).send({ error: { code: 'BAD_REQUEST', message: error.code === 'FST_ERR_BAD_URL' ? 'Malformed URL.' : error.message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSchemaErrorFormatter((errors, context) => validationFailure(context, errors));
  // Responses are written as the handlers build them (JSON.stringify): the response schemas document
  // them; serialising through them could drop or reshape a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Every body is read as bytes (up to bodyLimit, 413 beyond), whatever its Content-Type: bank
  // notifications are authenticated over exactly those bytes; JSON routes parse them below.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Every key with whom it speaks for: a unit, or the province (null).
  const keys = [
    ...units.flatMap((unit) => unit.apiKeys.map((key) => ({ key, unit: unit.id as string | null }))),
    ...provinceKeys.map((key) => ({ key, unit: null })),
  ];
  const authenticate = (request: FastifyRequest): RequestAuth => {
    const bearer = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    const presented = bearer ?? (request.headers['x-api-key'] as string | undefined);
    // Compare against every key (no early exit), so timing does not tell which one nearly matched.
    const match = presented
      ? keys.reduce<(typeof keys)[number] | undefined>((found, candidate) => (safeEqual(presented, candidate.key) ? candidate : found), undefined)
      : undefined;
    if (!match) throw new ApiError(401, 'UNAUTHORIZED', 'A valid API key is required (Authorization: Bearer <key>).');
    return match.unit === null ? { kind: 'province' } : { kind: 'api-key', unit: match.unit };
  };
  const limiter = new RateLimiter();
  const proxyHops = trustedProxyHops(config.trustProxy);
  const clientIp = (req: IncomingMessage): string => clientAddress(req.socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for'], proxyHops);
  // Open event streams per client address (a per-address cap: 429 beyond).
  const streams = new Map<string, number>();

  const ctx: RouteContext = {
    config,
    db,
    store,
    hub,
    webhooks: parts.webhooks,
    log,
    limiter,
    clientIp,
    limited: (bucket, perMinute) => async (request) => {
      const wait = limiter.take(`${bucket}:${clientIp(request.raw)}`, perMinute);
      if (wait) throw Object.assign(new ApiError(429, 'RATE_LIMITED', `Too many requests; retry in ${wait} s.`), { retryAfter: wait });
    },
    async requireApiKey(request) {
      request.auth = authenticate(request);
      if (request.auth.kind === 'province')
        throw new ApiError(403, 'PROVINCE_KEY_READ_ONLY', 'A province key reads reports only; this route needs a unit’s key.');
    },
    async requireReportKey(request) {
      request.auth = authenticate(request);
    },
    unitOf(request) {
      if (request.auth.kind !== 'api-key') throw new Error('unitOf() before requireApiKey');
      return request.auth.unit;
    },
    openStream(request, reply) {
      const ip = clientIp(request.raw);
      const open = streams.get(ip) ?? 0;
      if (config.maxStreamsPerAddress && open >= config.maxStreamsPerAddress)
        throw Object.assign(new ApiError(429, 'TOO_MANY_STREAMS', `At most ${config.maxStreamsPerAddress} event streams per address.`), {
          retryAfter: Math.ceil(config.sseRetryMs / 1000) || 1,
        });
      streams.set(ip, open + 1);
      reply.raw.once('close', () => {
        const left = (streams.get(ip) ?? 1) - 1;
        if (left > 0) streams.set(ip, left);
        else streams.delete(ip);
      });
    },
    async stream(reply, channel, lastEventId, eventName, current) {
      // The stream is written by the hub from now on; the headers set so far (CORS) go with it.
      const headers = Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));
      delete headers['cache-control'];
      reply.hijack();
      try {
        await hub.open(channel, reply.raw, lastEventId, eventName, current, headers);
      } catch (error) {
        log.warn('event stream failed', { channel, error: (error as Error).message });
        reply.raw.end();
      }
    },
    selfUrl: parts.selfUrl,
  };

  app.decorateRequest('auth', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.auth = { kind: 'public' };
    if (parts.closing()) {
      void reply.header('connection', 'close');
      throw new ApiError(503, 'SHUTTING_DOWN', 'The gateway is shutting down.');
    }
    void reply.header('cache-control', 'no-store');
  });
  await app.register(cors, {
    origin: (origin, callback) => callback(null, !!origin && (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin))),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'Authorization', 'X-Api-Key', 'X-Screen-Key'],
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
    // A preflight without Origin gets 204 (without CORS headers), as before.
    strictPreflight: false,
  });
  // JSON routes get their body as an object (400 MALFORMED_JSON otherwise) before their schema checks it.
  app.addHook('preValidation', async (request) => {
    const body = request.routeOptions.schema?.body as Record<string, unknown> | undefined;
    if (body && !body['x-raw-body']) request.body = parseJsonObject((request.body as Buffer | undefined) ?? Buffer.alloc(0));
  });
  app.addHook('onResponse', async (request, reply) => {
    // The path only: query strings may carry survey tokens.
    log.info('request', { method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply: FastifyReply) => {
    let apiError: ApiError;
    if (error instanceof DomainError) apiError = new ApiError(httpStatusOf(error), error.code, error.message);
    else if (error instanceof ApiError) apiError = error;
    else if (error instanceof DatabaseUnavailableError) {
      // Nothing was stored when the database could not answer: 503 + Retry-After, and the caller (a bank
      // provider, a portal) tries again.
      log.warn('database unavailable', { method: request.method, path: request.url.split('?')[0], error: error.message });
      apiError = Object.assign(new ApiError(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; nothing was stored. Retry later.'), { retryAfter: 5 });
    } else if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      apiError = new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${config.maxBodyBytes} bytes.`);
    else if ((error as FastifyError).statusCode && (error as FastifyError).statusCode! < 500)
      apiError = new ApiError((error as FastifyError).statusCode!, 'BAD_REQUEST', error.message);
    else {
      log.error('request failed', { method: request.method, path: request.url.split('?')[0], error: error.stack ?? String(error) });
      apiError = new ApiError(500, 'INTERNAL', 'Internal error.');
    }
    const retryAfter = (apiError as { retryAfter?: number }).retryAfter;
    if (retryAfter) void reply.header('retry-after', String(retryAfter));
    return reply.code(apiError.status).send({ error: { code: apiError.code, message: apiError.message } });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'motcua gateway',
        version: PACKAGE_VERSION,
        description:
          'Payments (VietQR), bank notifications, live status (Server-Sent Events), satisfaction ratings and reports. ' +
          'Errors are `{error: {code, message}}`; the wire protocol the widgets speak is docs/wire-protocol.md.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'A unit’s portal backend key (`apiKeys` of the unit, or `MOTCUA_API_KEYS`), or on report routes a province key (`provinceKeys`).',
          },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same key in `X-Api-Key`.' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `schema${i}`) },
  });
  for (const schema of [ErrorBody, PaymentResource, CounterState]) app.addSchema(schema);

  // Paths served, for 405 on the wrong method (Fastify alone would say 404).
  const routes: Array<{ method: string; url: string; pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*') return;
    const pattern = new RegExp(`^${route.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, pattern });
  });

  app.get(
    '/api/openapi.json',
    { schema: { summary: 'This document (OpenAPI 3.1)', tags: ['operations'], response: { 200: { type: 'object', description: 'OpenAPI 3.1' } } } },
    async () => app.swagger(),
  );
  healthRoutes(app, ctx);
  paymentRoutes(app, ctx);
  counterRoutes(app, ctx);
  bankNotificationRoutes(app, ctx);
  surveyRoutes(app, ctx);
  reportRoutes(app, ctx);
  webhookRoutes(app, ctx);
  deskRoutes(app, ctx);
  if (config.devBank) devBankRoutes(app, ctx);

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const pathname = request.url.split('?')[0]!;
    if (routes.some(({ pattern, method }) => method !== request.method && pattern.test(pathname)))
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.');
    if (config.staticRoot && (request.method === 'GET' || request.method === 'HEAD') && !pathname.startsWith('/api/') && !pathname.startsWith('/dev/')) {
      reply.hijack();
      if (await serveStatic(config.staticRoot, request.raw, reply.raw, pathname)) return;
      return sendError(reply.raw, new ApiError(404, 'NOT_FOUND', 'Not found.'), headersOf(reply));
    }
    throw new NotFound('Not found.');
  });

  await app.ready();
  return { app, handler: (req, res) => routing(req, res), limiter, routes: routes.map(({ method, url }) => ({ method, url })) };
}

const headersOf = (reply: FastifyReply): Record<string, string> =>
  Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));

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
