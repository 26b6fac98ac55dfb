import { backoffDelay } from '@motcua/core/runtime';
import type { Database, Queryable, Row } from './db.js';
import { NotFound } from './errors.js';
import { randomId } from './crypto.js';
import type { Logger } from './log.js';
import { SIGNATURE_HEADER, webhookSignatureHeader } from './verify-webhook.js';

/** The events the portal's backend hears of (`type` of an event). */
export const WEBHOOK_EVENT_TYPES = [
  'payment.created',
  'payment.paid',
  'payment.underpaid',
  'payment.expired',
  'payment.cancelled',
  'transaction.unmatched',
  'rating.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The id of the implicit single unit (the env-only configuration). */
export const DEFAULT_UNIT = 'default';

/** Where one unit's events are posted. `secret`: an array while rotating (the header then carries one `v1=` per secret). */
export interface WebhookEndpoint {
  url: string;
  secret: string | string[];
}

/** The retry schedule: the first retry after `firstDelayMs` (with jitter, between half and all of it), doubling up to `maxDelayMs`; none after `giveUpAfterMs` from the event. */
export interface WebhookRetry {
  firstDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { firstDelayMs: 5_000, maxDelayMs: 3_600_000, giveUpAfterMs: 3 * 86_400_000 };

/** An event as sent and as `/api/events` returns it. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  created: string;
  unit: string;
  data: Record<string, unknown>;
}

/** What {@link enqueueEvent} writes: `data` is `{payment}`, `{transaction}` or `{rating}`; `paymentId` orders delivery. */
export interface NewWebhookEvent {
  type: WebhookEventType;
  unit: string;
  data: Record<string, unknown>;
  paymentId?: string | null | undefined;
}

/**
 * Writes an event to the outbox, in the caller's transaction (so it exists exactly when the change it
 * reports commits), with one pending delivery per endpoint of its unit — one statement.
 */
export async function enqueueEvent(tx: Queryable, event: NewWebhookEvent): Promise<void> {
  const outbox = outboxWrite(event, 1);
  await tx.query(`WITH ${outbox.sql} SELECT 1`, outbox.params);
}

/**
 * {@link enqueueEvent}'s writes as two CTEs (`outbox_event`, `outbox_deliveries`) for a statement of the
 * caller's, so the outbox row goes in the same round trip as the change it reports. Its parameters are
 * numbered from `$first`. `onlyIf`: the name of an earlier CTE of that statement — the event is written
 * once if that CTE returns a row (it must return at most one), not at all if it returns none.
 */
export function outboxWrite(event: NewWebhookEvent, first: number, onlyIf?: string): { sql: string; params: unknown[] } {
  const id = `evt_${randomId()}`;
  const body = JSON.stringify({ id, type: event.type, created: new Date().toISOString(), unit: event.unit, data: event.data });
  const [eventId, type, unit, paymentId, text] = [0, 1, 2, 3, 4].map((i) => `$${first + i}::text`);
  return {
    sql: `outbox_event AS (
       INSERT INTO webhook_events (event_id, type, unit, payment_id, body) SELECT ${eventId}, ${type}, ${unit}, ${paymentId}, ${text}${onlyIf ? ` FROM ${onlyIf}` : ''}
       RETURNING id),
     outbox_deliveries AS (
       INSERT INTO webhook_deliveries (event, event_id, type, unit, url, payment_id)
       SELECT e.id, ${eventId}, ${type}, ${unit}, w.url, ${paymentId} FROM outbox_event e, webhook_endpoints w WHERE w.unit = ${unit} AND w.active)`,
    params: [id, event.type, event.unit, event.paymentId ?? null, body],
  };
}

/**
 * Reads `MOTCUA_WEBHOOKS`-shaped input: `[{url, secret}]`. Throws naming the field
 * (`MOTCUA_WEBHOOKS[1].url …`) — a bad configuration stops start-up.
 */
export function parseWebhookEndpoints(name: string, value: unknown): WebhookEndpoint[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new Error(`${name} must be JSON: [{"url": "https://…", "secret": "…"}]`);
    }
  }
  if (!Array.isArray(list)) throw new Error(`${name} must be a list of {url, secret}`);
  return list.map((item: unknown, index) => {
    const { url, secret } = (item ?? {}) as { url?: unknown; secret?: unknown };
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(url));
    } catch {}
    if (typeof url !== 'string' || !parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password)
      throw new Error(`${name}[${index}].url must be an http(s) URL without credentials`);
    const secrets = Array.isArray(secret) ? secret : [secret];
    if (!secrets.length || secrets.some((s) => typeof s !== 'string' || s.length < 16 || s.length > 200))
      throw new Error(`${name}[${index}].secret must be a string of 16–200 characters (or a list of them, while rotating)`);
    return { url, secret: Array.isArray(secret) ? (secrets as string[]) : (secret as string) };
  });
}

/** Makes the database's list of a unit's endpoints the configured one (new deliveries go to these only). */
export async function registerEndpoints(db: Database, unit: string, endpoints: readonly WebhookEndpoint[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('UPDATE webhook_endpoints SET active = false WHERE unit = $1 AND NOT (url = ANY($2::text[]))', [unit, endpoints.map((e) => e.url)]);
    for (const { url } of endpoints)
      await tx.query('INSERT INTO webhook_endpoints (unit, url, active) VALUES ($1, $2, true) ON CONFLICT (unit, url) DO UPDATE SET active = true', [
        unit,
        url,
      ]);
  });
}

/** One try of one delivery. */
export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status; null when there was no answer (refused, timed out). */
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** An event's delivery to one endpoint, as `GET /api/webhooks/deliveries` lists it. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  type: WebhookEventType;
  unit: string;
  url: string;
  /** `pending` (not yet delivered: waiting, or in order behind an earlier event of its payment), `delivered`, `failed` (given up). */
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

interface DeliveryRow extends Row {
  id: string | number;
  event_id: string;
  type: WebhookEventType;
  unit: string;
  url: string;
  status: WebhookDelivery['status'];
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
  tries: DeliveryAttempt[] | string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

const DELIVERY_SELECT = `SELECT d.*, coalesce((SELECT json_agg(json_build_object('at', a.attempted_at, 'status', a.status, 'durationMs', a.duration_ms, 'error', a.error) ORDER BY a.id)
  FROM webhook_attempts a WHERE a.delivery = d.id), '[]'::json) AS tries FROM webhook_deliveries d`;

const toDelivery = (row: DeliveryRow): WebhookDelivery => {
  const tries = (typeof row.tries === 'string' ? JSON.parse(row.tries) : row.tries) as DeliveryAttempt[];
  return {
    id: String(row.id),
    eventId: row.event_id,
    type: row.type,
    unit: row.unit,
    url: row.url,
    status: row.status,
    attempts: tries.map((attempt) => ({ ...attempt, at: iso(attempt.at)! })),
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    deliveredAt: iso(row.delivered_at),
    createdAt: iso(row.created_at)!,
  };
};

/** A unit's deliveries, newest first, by event type, event id and status. */
export async function listDeliveries(
  db: Queryable,
  filter: { unit: string; type?: string | undefined; eventId?: string | undefined; status?: string | undefined; limit: number },
): Promise<WebhookDelivery[]> {
  const rows = await db.query<DeliveryRow>(
    `${DELIVERY_SELECT} WHERE d.unit = $1 AND ($2::text IS NULL OR d.type = $2) AND ($3::text IS NULL OR d.event_id = $3) AND ($4::text IS NULL OR d.status = $4)
     ORDER BY d.id DESC LIMIT $5`,
    [filter.unit, filter.type ?? null, filter.eventId ?? null, filter.status ?? null, filter.limit],
  );
  return rows.map(toDelivery);
}

/** Sends a delivery again, now (the same event id and body); a 404 for another unit's or an unknown id. */
export async function redeliver(db: Queryable, unit: string, id: string): Promise<WebhookDelivery> {
  const updated = await db.query(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), leased_until = NULL WHERE id = $1::int8 AND unit = $2 RETURNING id`,
    [id, unit],
  );
  if (!updated.length) throw new NotFound('No such delivery.');
  const [row] = await db.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1::int8`, [id]);
  return toDelivery(row!);
}

/**
 * Gives the outbox's committed events their place in the event stream (`seq`, the `/api/events`
 * cursor), in the order this finds them committed. An event's own id comes from a sequence whose
 * values are taken before commit, so a transaction committing late could slip a lower id behind a
 * reader's cursor; `seq` is handed out only to committed rows, by one caller at a time, so it only grows.
 */
export async function sequenceEvents(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(7311003) AS locked');
    if (!lock?.locked) return;
    await tx.query(
      `UPDATE webhook_events e SET seq = s.seq FROM (
         SELECT id, nextval('webhook_events_seq') AS seq FROM (SELECT id FROM webhook_events WHERE seq IS NULL ORDER BY id LIMIT 1000) t ORDER BY id) s
       WHERE e.id = s.id`,
    );
  });
}

/**
 * Retention: deletes events older than `retentionDays` that no endpoint still waits for (every
 * delivery `delivered`, or `failed` once given up), with their deliveries and tries, oldest first,
 * at most `limit` events a call. A pending delivery keeps its event, however old; an event not yet
 * sequenced is kept too. Past the window, `/api/events` no longer returns them. Returns how many went.
 */
export async function pruneWebhookEvents(db: Database, retentionDays: number, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const doomed = await tx.query<{ id: string }>(
      `SELECT e.id FROM webhook_events e
       WHERE e.created_at < now() - make_interval(days => $1) AND e.seq IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = e.id AND d.status = 'pending')
       ORDER BY e.created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [retentionDays, limit],
    );
    if (!doomed.length) return 0;
    const ids = `{${doomed.map(({ id }) => id).join(',')}}`;
    await tx.query('DELETE FROM webhook_attempts WHERE delivery IN (SELECT id FROM webhook_deliveries WHERE event = ANY($1::int8[]))', [ids]);
    await tx.query('DELETE FROM webhook_deliveries WHERE event = ANY($1::int8[])', [ids]);
    await tx.query('DELETE FROM webhook_events WHERE id = ANY($1::int8[])', [ids]);
    return doomed.length;
  });
}

/** `GET /api/events?after=<cursor>`: a unit's events after the cursor, oldest first, and the cursor to ask from next. */
export async function listEvents(db: Database, filter: { unit: string; after: number; limit: number }): Promise<{ events: WebhookEventBody[]; next: string }> {
  await sequenceEvents(db);
  const rows = await db.query<{ seq: string | number; body: string }>(
    'SELECT seq, body FROM webhook_events WHERE unit = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [filter.unit, filter.after, filter.limit],
  );
  return { events: rows.map((row) => JSON.parse(row.body) as WebhookEventBody), next: String(rows.at(-1)?.seq ?? filter.after) };
}

export interface WebhookWorkerOptions {
  db: Database;
  log: Logger;
  /** unit → its endpoints (their secrets are never stored in the database). */
  endpoints: Record<string, readonly WebhookEndpoint[]>;
  retry: WebhookRetry;
  /** Longest wait for the receiver's answer (headers and body), ms. */
  timeoutMs: number;
  /** How often the outbox is looked at when nothing woke the worker, ms. */
  pollMs: number;
  /** Most bytes of the receiver's answer read (the rest is not read; the first 200 characters are logged on failure). */
  maxResponseBytes?: number;
  /** Deliveries claimed at once. */
  batchSize?: number;
}

interface ClaimedRow extends Row {
  id: string | number;
  unit: string;
  url: string;
  event_id: string;
  body: string;
  event_created_at: Date;
  attempts: number;
}

/** The answer of one try: `status` null when there was none. */
interface TryResult {
  status: number | null;
  error: string | null;
}

const MAX_REDIRECTS = 3;

/**
 * Delivers the outbox: claims due deliveries (`FOR UPDATE SKIP LOCKED` and a lease, so one instance
 * sends each however many run, and a crashed instance's claims come back once the lease ends), posts
 * them signed, logs every try, and schedules the next try with backoff. Within one payment an event
 * waits until the ones before it are delivered (or given up), so the receiver sees them in order.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly keys: string[];

  constructor(private readonly options: WebhookWorkerOptions) {
    this.keys = Object.entries(options.endpoints).flatMap(([unit, list]) => list.map((endpoint) => `${unit} ${endpoint.url}`));
  }

  start(): void {
    if (this.keys.length) this.wake();
  }

  /** Looks at the outbox now (after a commit that may have written to it). */
  wake(): void {
    if (this.stopped || !this.keys.length) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), this.options.pollMs);
    });
  }

  /** Stops claiming; tries in flight are cut short (logged, retried by whichever instance runs next). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort(new Error('the gateway is shutting down'));
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        const claimed = await this.claim();
        await Promise.all(claimed.map((row) => this.deliver(row)));
        if (claimed.length < (this.options.batchSize ?? 16) || this.stopped) return;
      }
    } catch (error) {
      if (!this.stopped) this.options.log.warn('webhook delivery failed', { error: (error as Error).message });
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const { db, timeoutMs, batchSize = 16 } = this.options;
    // The lease outlasts a try (timeout, redirects) with margin; a crashed instance's claims come back after it.
    const leaseSeconds = Math.ceil((timeoutMs * (MAX_REDIRECTS + 1)) / 1000) + 30;
    return db.query<ClaimedRow>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.leased_until IS NULL OR d.leased_until <= now())
           AND d.unit || ' ' || d.url = ANY($1::text[])
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries p
             WHERE p.payment_id = d.payment_id AND p.unit = d.unit AND p.url = d.url AND p.status = 'pending' AND p.event < d.event)
         ORDER BY d.event LIMIT $2 FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d SET leased_until = now() + make_interval(secs => $3), attempts = d.attempts + 1
       FROM due, webhook_events e WHERE d.id = due.id AND e.id = d.event
       RETURNING d.id, d.unit, d.url, d.event_id, d.attempts, e.body, e.created_at AS event_created_at`,
      [this.keys, batchSize, leaseSeconds],
    );
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { db, log, retry } = this.options;
    const endpoint = this.options.endpoints[row.unit]?.find((candidate) => candidate.url === row.url);
    if (!endpoint) return;
    const started = performance.now();
    const result = await this.post(endpoint, row.body);
    const durationMs = Math.round(performance.now() - started);
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    await db.query('INSERT INTO webhook_attempts (delivery, status, duration_ms, error) VALUES ($1, $2, $3, $4)', [
      row.id,
      result.status,
      durationMs,
      result.error,
    ]);
    if (ok) {
      await db.query(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), leased_until = NULL WHERE id = $1`, [row.id]);
      log.info('webhook delivered', { event: row.event_id, url: row.url, status: result.status, ms: durationMs });
      return;
    }
    const delayMs = backoffDelay(Math.max(0, Number(row.attempts) - 1), { baseMs: retry.firstDelayMs, maxMs: retry.maxDelayMs });
    const giveUp = Date.now() + delayMs > new Date(row.event_created_at).getTime() + retry.giveUpAfterMs;
    await db.query(
      `UPDATE webhook_deliveries SET leased_until = NULL, status = CASE WHEN $2 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = now() + make_interval(secs => $3::int8 / 1000.0) WHERE id = $1`,
      [row.id, giveUp, delayMs],
    );
    log.warn(giveUp ? 'webhook given up' : 'webhook try failed', {
      event: row.event_id,
      url: row.url,
      status: result.status,
      error: result.error,
      ms: durationMs,
    });
  }

  /** One signed POST; redirects are followed only to the same origin (307/308, keeping the method and body). */
  private async post(endpoint: WebhookEndpoint, body: string): Promise<TryResult> {
    const { timeoutMs, maxResponseBytes = 4_096 } = this.options;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs)]);
    let url = new URL(endpoint.url);
    try {
      for (let hop = 0; ; hop++) {
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          signal,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'motcua-gateway-webhooks',
            [SIGNATURE_HEADER]: webhookSignatureHeader(endpoint.secret, timestamp, body),
          },
          body,
        });
        const answer = await readLimited(response, maxResponseBytes);
        if (response.status >= 300 && response.status < 400) {
          const location = response.headers.get('location');
          const next = location ? new URL(location, url) : undefined;
          if (!next || next.origin !== url.origin || ![307, 308].includes(response.status) || hop >= MAX_REDIRECTS)
            return { status: response.status, error: `redirect to ${next?.origin === url.origin ? next.pathname : (next?.origin ?? 'nowhere')} not followed` };
          url = next;
          continue;
        }
        return { status: response.status, error: response.ok ? null : `HTTP ${response.status}: ${answer.slice(0, 200)}` };
      }
    } catch (error) {
      const reason = signal.reason as Error | undefined;
      if (signal.aborted && reason?.name === 'TimeoutError') return { status: null, error: `no answer within ${timeoutMs} ms` };
      if (signal.aborted) return { status: null, error: reason?.message ?? 'aborted' };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: null, error: cause?.code ?? cause?.message ?? (error as Error).message };
    }
  }
}

/** Reads at most `maxBytes` of the answer (a receiver cannot make the gateway buffer more), then lets the rest go. */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= maxBytes) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
