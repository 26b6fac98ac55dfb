import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayConfig } from '../config.js';
import type { Database } from '../db.js';
import type { RateLimiter } from '../http.js';
import type { Logger } from '../log.js';
import type { EventHub } from '../sse.js';
import type { GatewayEvent, Store } from '../store.js';
import type { WebhookWorker } from '../webhooks.js';

/** The Fastify instance the route modules register on: its schemas type the handlers. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What every route module gets: the gateway's parts, and the per-request guards. */
export interface RouteContext {
  config: GatewayConfig;
  db: Database;
  store: Store;
  hub: EventHub;
  /** Delivers the webhook outbox (`wake()` after a redelivery). */
  webhooks: WebhookWorker;
  log: Logger;
  limiter: RateLimiter;
  /** The client's address (behind `trustProxy` hops). */
  clientIp(req: IncomingMessage): string;
  /** An onRequest hook: 429 (with Retry-After) past `perMinute` requests of this client in `bucket` (before the body is read). */
  limited(bucket: string, perMinute: number): (request: FastifyRequest) => Promise<void>;
  /**
   * An onRequest hook: 401 without a valid API key (before the body is read), 403 for a province key
   * (it reads reports only); sets `request.auth` to the key's unit.
   */
  requireApiKey(request: FastifyRequest): Promise<void>;
  /** An onRequest hook of the report routes: a unit's key or a province key (401 otherwise); sets `request.auth`. */
  requireReportKey(request: FastifyRequest): Promise<void>;
  /** The unit of the request's key (after {@link requireApiKey}). */
  unitOf(request: FastifyRequest): string;
  /** Counts an event stream of this client (429 past the cap); released when the response closes. */
  openStream(request: FastifyRequest, reply: FastifyReply): void;
  /**
   * Answers with an event stream of `channel` (the reply is taken over: Fastify sends nothing more).
   * `current()` reads the state to send first when memory does not know it.
   */
  stream(
    reply: FastifyReply,
    channel: string,
    lastEventId: number,
    eventName: GatewayEvent['type'],
    current: () => Promise<{ version: number }>,
  ): Promise<void>;
  /** The gateway's own URL (the dev bank posts to it). */
  selfUrl(): string;
}

/**
 * Who is calling, set by the guards: `public` (no credential), `api-key` (a unit's portal backend: it
 * sees and changes that unit's data only), `province` (reads every unit's reports, creates nothing).
 */
export type RequestAuth = { kind: 'public' } | { kind: 'api-key'; unit: string } | { kind: 'province' };

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

/** The security requirement of keyed routes, as the OpenAPI document names it. */
export const API_KEY_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
