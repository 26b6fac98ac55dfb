// The persistent queue that makes a rating survive an offline counter, a 5xx, a reload or a browser
// restart, and never count twice: every rating carries the Idempotency-Key minted when it was made.
import type { SurveySubmission } from '@motcua/core';
import { backoffDelay } from '@motcua/core/runtime';

/** A rating waiting in (or passing through) the queue, as stored. */
export interface QueuedSubmission {
  /** The Idempotency-Key, minted with `crypto.randomUUID()` when the rating was made. */
  key: string;
  /** Absolute URL the rating is POSTed to. */
  endpoint: string;
  body: SurveySubmission;
  /** Epoch ms when the rating was made; the queue sends oldest first. */
  createdAt: number;
  /** Delivery attempts so far. */
  attempts: number;
  /** Why the last attempt failed (`network`, `timeout`, `HTTP 503`…). */
  lastError?: string;
}

/** Where the queue keeps its items. `memory` means persistence is lost (both stores failed). */
export type QueueStorageKind = 'indexeddb' | 'localstorage' | 'memory';

/** Options of {@link SubmissionQueue}. */
export interface SubmissionQueueOptions {
  /** IndexedDB database name / localStorage key prefix / Web Lock prefix. Default `motcua-survey`. */
  name?: string;
  /** Default `auto`: IndexedDB, else localStorage, else memory. */
  storage?: 'auto' | QueueStorageKind;
  /** Per-request timeout, ms. Default 10000. */
  timeoutMs?: number;
  /** First retry delay bound, ms (full jitter). Default 2000. */
  baseMs?: number;
  /** Retry delay cap, ms: once the server answers again, the next probe finds it within this. Default 10000. */
  maxMs?: number;
  /** Injectable for tests. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Injectable randomness for the jitter. Default Math.random. */
  random?: () => number;
}

/** `sent`: the server accepted the rating (201) or already had it (200, `repeat`). */
export interface SentDetail {
  item: QueuedSubmission;
  status: number;
  /** The stored rating's id, when the server returned `{id}`. */
  id?: string;
  repeat: boolean;
}
/** `queued`: the rating could not be sent now; it is kept and will be retried. */
export interface QueuedDetail {
  item: QueuedSubmission;
  /** Why it is waiting: `network`, `timeout`, `HTTP 503`, `HTTP 404` (an answer that is not the server's judgement)… */
  reason: string;
  /**
   * `true`: stored on this device (IndexedDB or localStorage), it survives a reload. `false`: neither
   * could keep it (blocked, full): it is held in this page's memory only and is lost if the page closes first.
   */
  persistent: boolean;
}
/**
 * `rejected`: the server judged *this rating* and refused it — 409 (already rated), 400/422, or 401
 * `INVALID_TOKEN`/`TOKEN_EXPIRED`, each with the server's own JSON error body. Removed from the queue.
 */
export interface RejectedDetail {
  item: QueuedSubmission;
  status: number;
  /** `error.code` of the server's body, e.g. `TOKEN_USED`, when there is one. */
  code?: string;
  message: string;
}
/** `storage`: the queue fell back from IndexedDB. */
export interface StorageDetail {
  kind: QueueStorageKind;
  reason: string;
}

/** The events a {@link SubmissionQueue} dispatches. */
export interface SubmissionQueueEventMap {
  sent: CustomEvent<SentDetail>;
  queued: CustomEvent<QueuedDetail>;
  rejected: CustomEvent<RejectedDetail>;
  storage: CustomEvent<StorageDetail>;
}

/** How one submission ended up after {@link SubmissionQueue.submit}. */
export type SubmitOutcome = 'sent' | 'queued' | 'rejected';

interface QueueStore {
  readonly kind: QueueStorageKind;
  all(): Promise<QueuedSubmission[]>;
  get(key: string): Promise<QueuedSubmission | undefined>;
  put(item: QueuedSubmission): Promise<void>;
  delete(key: string): Promise<void>;
  close(): void;
}

const STORE = 'submissions';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openIndexedDb(name: string): Promise<QueueStore> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is unavailable');
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
  const db = await request(open);
  const run = async <T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(STORE, mode);
    const result = await request(action(tx.objectStore(STORE)));
    if (mode === 'readwrite') {
      // Resolve only once the write is durable, so "stored" really means stored.
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    }
    return result;
  };
  return {
    kind: 'indexeddb',
    all: () => run('readonly', (s) => s.getAll() as IDBRequest<QueuedSubmission[]>),
    get: (key) => run('readonly', (s) => s.get(key) as IDBRequest<QueuedSubmission | undefined>),
    put: async (item) => void (await run('readwrite', (s) => s.put(item))),
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
    close: () => db.close(),
  };
}

function openLocalStorage(name: string): QueueStore {
  const storage = globalThis.localStorage;
  // One key per rating: one more rating needs only its own room, and a tab that writes one rating
  // never rewrites (nor brings back) another tab's.
  const prefix = `${name}:submission:`;
  const legacyKey = `${name}:submissions`;
  // Touch it now: a blocked localStorage throws here rather than on the first rating. A full one
  // (QuotaExceededError) is still used: a rating that does not fit is kept in memory and said so.
  try {
    storage.setItem(`${name}:probe`, '1');
    storage.removeItem(`${name}:probe`);
  } catch (error) {
    if ((error as Error)?.name !== 'QuotaExceededError') throw error;
  }
  const parse = (text: string | null): QueuedSubmission | undefined => {
    try {
      const item = JSON.parse(text ?? 'null') as QueuedSubmission | null;
      return item && typeof item.key === 'string' ? item : undefined;
    } catch {
      return undefined;
    }
  };
  // Ratings an earlier version left in one JSON value move to their own keys, one at a time (each move
  // frees what it takes), as far as there is room.
  try {
    const legacy = JSON.parse(storage.getItem(legacyKey) ?? '{}') as Record<string, QueuedSubmission>;
    for (const [key, item] of Object.entries(legacy)) {
      storage.setItem(prefix + key, JSON.stringify(item));
      delete legacy[key];
      if (Object.keys(legacy).length) storage.setItem(legacyKey, JSON.stringify(legacy));
      else storage.removeItem(legacyKey);
    }
  } catch {
    // No room to move the rest now; they stay where they are and are read from there.
  }
  const legacy = (): Record<string, QueuedSubmission> => {
    try {
      return JSON.parse(storage.getItem(legacyKey) ?? '{}') as Record<string, QueuedSubmission>;
    } catch {
      return {};
    }
  };
  return {
    kind: 'localstorage',
    all: async () => {
      const items = Object.values(legacy());
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        const item = key?.startsWith(prefix) ? parse(storage.getItem(key)) : undefined;
        if (item) items.push(item);
      }
      return items;
    },
    get: async (key) => parse(storage.getItem(prefix + key)) ?? legacy()[key],
    put: async (item) => storage.setItem(prefix + item.key, JSON.stringify(item)),
    delete: async (key) => {
      storage.removeItem(prefix + key);
      const items = legacy();
      if (key in items) {
        delete items[key];
        storage.setItem(legacyKey, JSON.stringify(items));
      }
    },
    close: () => {},
  };
}

function openMemory(): QueueStore {
  const items = new Map<string, QueuedSubmission>();
  return {
    kind: 'memory',
    all: async () => [...items.values()],
    get: async (key) => items.get(key),
    put: async (item) => void items.set(item.key, item),
    delete: async (key) => void items.delete(key),
    close: () => {},
  };
}

/** keepalive requests may carry 64 KiB in total; stay under it. */
const KEEPALIVE_BUDGET = 60_000;
/** Never retry in a tight loop, even when full jitter draws ~0. */
const MIN_RETRY_MS = 250;
/** A `Retry-After` longer than this is taken as this. */
const MAX_RETRY_AFTER_MS = 300_000;
/**
 * How long a tab that sent (or saw refused) a rating stored in localStorage holds a Web Lock saying
 * so. localStorage reaches other tabs a moment later; under the item's lock another tab checks this
 * lock, so it never sends a rating whose deletion it cannot see yet.
 */
const DONE_LOCK_MS = 30_000;
/** The gateway's error codes (`{ error: { code, message } }`) that judge the rating's own token. */
const TOKEN_REFUSALS = ['INVALID_TOKEN', 'TOKEN_EXPIRED'];

type AttemptResult = SubmitOutcome | 'gone' | 'locked';

/** A server's verdict that is about the rating itself, from its own JSON error body; else undefined. */
async function judgement(response: Response): Promise<{ code: string; message: string } | undefined> {
  const { status } = response;
  if (status !== 400 && status !== 401 && status !== 409 && status !== 422) return undefined;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '')) return undefined;
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = body?.error?.code;
  const message = body?.error?.message;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code) || typeof message !== 'string') return undefined;
  // 409 REQUEST_IN_PROGRESS: the same key is still being stored — not a verdict, ask again.
  if (status === 409 && code === 'REQUEST_IN_PROGRESS') return undefined;
  if (status === 401 && !TOKEN_REFUSALS.includes(code)) return undefined;
  return { code, message };
}

/** Retry-After, seconds or an HTTP date, as ms from now (0 when absent). */
function retryAfterMs(value: string | null): number {
  if (!value) return 0;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : 0;
}

const sharedQueues = new Map<string, SubmissionQueue>();

/** An endpoint that did not answer, or answered something other than a verdict: when to try it again. */
interface Outage {
  failures: number;
  /** Epoch ms of the next probe. */
  probeAt: number;
  /** Epoch ms before which nothing is sent at all (the server's Retry-After). */
  notBefore: number;
}

/**
 * A persistent, retrying outbox for ratings. Each rating is stored (IndexedDB, localStorage where
 * IndexedDB is unavailable) BEFORE it is sent, with the Idempotency-Key minted when it was made.
 *
 * A rating leaves the queue only when the server took it (2xx) or judged it (409, 400/422 and 401
 * `INVALID_TOKEN`/`TOKEN_EXPIRED` with its own JSON error body: `rejected`). Anything else — no
 * connection, a timeout, 5xx, 408, 429, or an answer that is not the server's verdict (401/403/404/405,
 * an HTML page, someone else's JSON: a proxy's maintenance page, a route not yet mounted) — pauses that
 * endpoint and keeps everything. A paused endpoint is probed with ONE request (the least-tried rating)
 * after a capped backoff, at once on `online` / page visible / a new rating, never before `Retry-After`;
 * when the probe gets through, the rest is sent at once, oldest first. Waiting ratings are also sent
 * with `fetch(…, { keepalive: true })` when the page is being hidden.
 *
 * Two tabs never send the same item at once (a Web Lock per item), and the server's idempotency makes
 * any other repeat harmless.
 *
 * @example
 * const queue = SubmissionQueue.shared();
 * queue.addEventListener('sent', (e) => console.log('stored', e.detail.id));
 * queue.start();
 * await queue.submit('/api/surveys', submission);
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface of the same name only types addEventListener for the queue's events.
export class SubmissionQueue extends EventTarget {
  /** The queue every `<qr-survey>` on the page uses unless given its own. */
  static shared(name = 'motcua-survey'): SubmissionQueue {
    let queue = sharedQueues.get(name);
    if (!queue) sharedQueues.set(name, (queue = new SubmissionQueue({ name })));
    return queue;
  }

  readonly name: string;
  private readonly _options: Required<Omit<SubmissionQueueOptions, 'name' | 'fetch'>> & { fetch?: typeof fetch };
  private _store?: Promise<QueueStore>;
  /** What this tab knows is waiting: read synchronously by the keepalive send on pagehide. */
  private readonly _pending = new Map<string, QueuedSubmission>();
  /** Ratings no store could keep (blocked, full): this page's memory is all they have. */
  private readonly _unsaved = new Map<string, QueuedSubmission>();
  /** Whether the open store outlives the page (IndexedDB, localStorage); read synchronously on pagehide. */
  private _persistent = false;
  /** `submit()` calls waiting for their rating's outcome. */
  private readonly _awaiting = new Map<string, (outcome: SubmitOutcome) => void>();
  /** Keys already reported as sent by this tab. */
  private readonly _reported = new Set<string>();
  private readonly _outages = new Map<string, Outage>();
  private _flushing?: Promise<void>;
  private _flushAgain = false;
  private _lastError = '';
  private _timer?: ReturnType<typeof setTimeout>;
  private _started = false;

  constructor(options: SubmissionQueueOptions = {}) {
    super();
    this.name = options.name ?? 'motcua-survey';
    this._options = {
      storage: options.storage ?? 'auto',
      timeoutMs: options.timeoutMs ?? 10_000,
      baseMs: options.baseMs ?? 2000,
      maxMs: options.maxMs ?? 10_000,
      random: options.random ?? Math.random,
      fetch: options.fetch,
    };
  }

  /** Where items are kept; resolves once the store is open. */
  async storageKind(): Promise<QueueStorageKind> {
    return (await this._open()).kind;
  }

  /**
   * Listens to `online`, `visibilitychange` and `pagehide`, and sends what an earlier page left.
   * Idempotent.
   */
  start(): this {
    if (this._started) return this;
    this._started = true;
    globalThis.addEventListener?.('online', this._handleOnline);
    globalThis.addEventListener?.('pagehide', this._handlePageHide);
    globalThis.document?.addEventListener('visibilitychange', this._handleVisibility);
    void this.flush();
    return this;
  }

  /** Stops listening and retrying (items stay stored) and closes the store. */
  stop(): void {
    this._started = false;
    clearTimeout(this._timer);
    this._timer = undefined;
    globalThis.removeEventListener?.('online', this._handleOnline);
    globalThis.removeEventListener?.('pagehide', this._handlePageHide);
    globalThis.document?.removeEventListener('visibilitychange', this._handleVisibility);
    const store = this._store;
    this._store = undefined;
    void store?.then(
      (s) => s.close(),
      () => {},
    );
  }

  /**
   * Stores a rating, then tries to send it at once. Resolves with what happened: `sent`,
   * `queued` (kept, will be retried: see the `queued` event's `persistent`) or `rejected`.
   *
   * @param key The Idempotency-Key; mint it when the rating is made (default: a new UUID).
   */
  async submit(endpoint: string, body: SurveySubmission, key: string = crypto.randomUUID()): Promise<SubmitOutcome> {
    const item: QueuedSubmission = { key, endpoint, body, createdAt: Date.now(), attempts: 0 };
    const store = await this._open();
    try {
      await store.put(item);
    } catch {
      // Full or failing store: keep it in memory, try it now, and say it is not kept on the device.
      this._unsaved.set(key, item);
    }
    this._pending.set(key, item);
    const outcome = new Promise<SubmitOutcome>((resolve) => this._awaiting.set(key, resolve));
    // A fresh rating is also the best probe: it is tried now, first, even when a retry is scheduled.
    const settled = await Promise.race([outcome, this.flush().then(() => undefined)]);
    this._awaiting.delete(key);
    if (settled) return settled;
    const stored = (await this._get(store, key)) ?? item;
    this._emit('queued', { item: stored, reason: stored.lastError ?? (this._lastError || 'waiting'), persistent: this._kept(key) });
    return 'queued';
  }

  /** Items waiting to be sent, oldest first. */
  async items(): Promise<QueuedSubmission[]> {
    const items = await this._list(await this._open());
    return items.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Sends what is waiting now: one probe per paused endpoint, everything once it answers. Concurrent calls share a pass. */
  flush(): Promise<void> {
    if (this._flushing) {
      this._flushAgain = true;
      return this._flushing;
    }
    clearTimeout(this._timer);
    this._timer = undefined;
    this._flushing = (async () => {
      try {
        do {
          this._flushAgain = false;
          await this._flushOnce();
        } while (this._flushAgain);
      } finally {
        this._flushing = undefined;
      }
      await this._schedule();
    })();
    return this._flushing;
  }

  private async _list(store: QueueStore): Promise<QueuedSubmission[]> {
    const items = new Map((await store.all()).map((item) => [item.key, this._latest(item)]));
    for (const [key, item] of this._unsaved) items.set(key, item);
    return [...items.values()];
  }

  private async _get(store: QueueStore, key: string): Promise<QueuedSubmission | undefined> {
    const item = this._unsaved.get(key) ?? (await store.get(key));
    return item && this._latest(item);
  }

  /** The stored item with the attempts this tab counted since (not always written back: see _keep). */
  private _latest(item: QueuedSubmission): QueuedSubmission {
    const known = this._pending.get(item.key);
    return known && known.attempts > item.attempts ? { ...item, attempts: known.attempts, lastError: known.lastError } : item;
  }

  private async _flushOnce(): Promise<void> {
    const store = await this._open();
    // Fresh ratings (a submit() waiting, not tried yet) first, then oldest first. A submit() waits for the
    // whole flush, a second pass included: its rating, once tried, is not fresh there (not sent twice in a row).
    const fresh = (item: QueuedSubmission) => (this._awaiting.has(item.key) && item.attempts === 0 ? 0 : 1);
    const items = (await this.items()).sort((a, b) => fresh(a) - fresh(b));
    for (const endpoint of new Set(items.map((item) => item.endpoint))) {
      const waiting = items.filter((item) => item.endpoint === endpoint);
      const outage = this._outages.get(endpoint);
      if (outage) {
        if (Date.now() < outage.notBefore) continue;
        // One request tells whether it is back: a fresh rating, else the least-tried one (so no rating
        // is sent over and over as the probe).
        const probe = waiting.reduce((best, item) =>
          fresh(item) < fresh(best) || (fresh(item) === fresh(best) && item.attempts < best.attempts) ? item : best,
        );
        const result = await this._withItemLock(store, probe.key, () => this._attempt(store, probe.key));
        if (result === 'queued' || result === 'locked') continue;
        waiting.splice(waiting.indexOf(probe), 1);
      }
      for (const item of waiting) {
        const result = await this._withItemLock(store, item.key, () => this._attempt(store, item.key));
        if (result === 'queued') break;
      }
    }
  }

  private async _schedule(): Promise<void> {
    if (!this._started || this._timer) return;
    const remaining = this._store ? (await this._list(await this._store)).length : 0;
    if (!remaining) return;
    const next = Math.min(...[...this._outages.values()].map((outage) => Math.max(outage.probeAt, outage.notBefore)));
    // No outage: items held by another tab's lock — look again soon.
    const delay = Number.isFinite(next) ? Math.max(MIN_RETRY_MS, next - Date.now()) : this._options.baseMs;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      void this.flush();
    }, delay);
  }

  private async _withItemLock(store: QueueStore, key: string, attempt: () => Promise<AttemptResult>): Promise<AttemptResult> {
    const locks = globalThis.navigator?.locks;
    if (!locks) return attempt();
    const done = `${this.name}:done:${key}`;
    return locks.request(`${this.name}:${key}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return 'locked';
      if (store.kind === 'localstorage' && (await locks.query()).held?.some((held) => held.name === done)) {
        // Another tab sent it; its deletion has not reached this tab's localStorage yet.
        this._pending.delete(key);
        return 'gone';
      }
      const result = await attempt();
      if (store.kind === 'localstorage' && (result === 'sent' || result === 'rejected')) {
        // Held (granted before the item's lock is released) for a while after the deletion.
        await new Promise<void>((granted) => {
          void locks.request(done, () => {
            granted();
            return new Promise((resolve) => setTimeout(resolve, DONE_LOCK_MS));
          });
        });
      }
      return result;
    });
  }

  private async _attempt(store: QueueStore, key: string): Promise<AttemptResult> {
    // Re-read under the lock: another tab may have sent it since this pass listed it.
    const item = await this._get(store, key);
    if (!item) {
      this._pending.delete(key);
      return 'gone';
    }
    item.attempts += 1;
    let response: Response;
    try {
      response = await this._fetch(item, { signal: AbortSignal.timeout(this._options.timeoutMs) });
    } catch (error) {
      const reason = (error as Error)?.name === 'TimeoutError' ? 'timeout' : 'network';
      return this._keep(store, item, reason, 0);
    }
    return this._settle(store, item, response);
  }

  private _fetch(item: QueuedSubmission, init: RequestInit): Promise<Response> {
    const fetchFn = this._options.fetch ?? globalThis.fetch;
    return fetchFn(item.endpoint, {
      ...init,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': item.key },
      body: JSON.stringify(item.body),
    });
  }

  private async _settle(store: QueueStore, item: QueuedSubmission, response: Response): Promise<SubmitOutcome> {
    const { status } = response;
    const verdict = response.ok ? undefined : await judgement(response);
    if (!response.ok && !verdict) {
      const retryAfter = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after')) : 0;
      return this._keep(store, item, `HTTP ${status}`, retryAfter);
    }
    const body = response.ok ? ((await response.json().catch(() => undefined)) as { id?: unknown } | undefined) : undefined;
    await this._delete(store, item.key);
    this._outages.delete(item.endpoint);
    if (!verdict) {
      this._awaiting.get(item.key)?.('sent');
      // A keepalive send and a flush may both land: report the rating once per tab.
      if (!this._reported.has(item.key)) {
        this._reported.add(item.key);
        this._emit('sent', { item, status, id: typeof body?.id === 'string' ? body.id : undefined, repeat: status === 200 });
      }
      return 'sent';
    }
    this._awaiting.get(item.key)?.('rejected');
    this._emit('rejected', { item, status, code: verdict.code, message: verdict.message });
    return 'rejected';
  }

  private async _delete(store: QueueStore, key: string): Promise<void> {
    this._pending.delete(key);
    this._unsaved.delete(key);
    await store.delete(key);
  }

  /** Keeps the item (with its attempt counted) and pauses its endpoint until the next probe. */
  private async _keep(store: QueueStore, item: QueuedSubmission, reason: string, retryAfter: number): Promise<'queued'> {
    item.lastError = reason;
    this._lastError = reason;
    const { baseMs, maxMs, random } = this._options;
    const failures = (this._outages.get(item.endpoint)?.failures ?? 0) + 1;
    const now = Date.now();
    this._outages.set(item.endpoint, {
      failures,
      probeAt: now + Math.max(MIN_RETRY_MS, backoffDelay(failures - 1, { jitter: 'full', baseMs, maxMs, random })),
      notBefore: now + retryAfter,
    });
    if (this._unsaved.has(item.key)) this._unsaved.set(item.key, item);
    else if (store.kind !== 'localstorage') {
      // Only the attempt count would be lost if this write fails: the rating itself is stored.
      await store.put(item).catch(() => {});
    }
    // On localStorage the count stays in memory: a rewrite must not take the room the next rating needs.
    this._pending.set(item.key, item);
    return 'queued';
  }

  /**
   * Fire-and-forget keepalive sends of what is waiting, for a page that is going away (or only
   * hidden: a tab switched, a phone's app left). To an endpoint known to be down, only what this
   * page alone holds (memory, a full store) and one probe go: the stored backlog waits for the next
   * page or for this one's next probe, not re-sent whole at every hide.
   */
  private _sendKeepalive(): void {
    let budget = KEEPALIVE_BUDGET;
    const probed = new Set<string>();
    for (const item of [...this._pending.values()].sort((a, b) => a.createdAt - b.createdAt)) {
      if (this._outages.has(item.endpoint) && this._kept(item.key)) {
        if (probed.has(item.endpoint)) continue;
        probed.add(item.endpoint);
      }
      const size = JSON.stringify(item.body).length;
      if (size > budget) break;
      budget -= size;
      this._fetch(item, { keepalive: true }).then(
        async (response) => {
          // Only when the page survived (it was merely hidden) does the answer come back.
          if (response.ok && this._store) await this._settle(await this._store, item, response);
        },
        () => {},
      );
    }
  }

  // The network is back: every paused endpoint is probed now (a server's Retry-After still holds).
  private readonly _handleOnline = () => void this.flush();
  private readonly _handlePageHide = () => this._sendKeepalive();
  private readonly _handleVisibility = () => {
    if (document.visibilityState === 'hidden') this._sendKeepalive();
    else void this.flush();
  };

  /** Whether the rating outlives this page: in a store that does (not memory), not only in `_unsaved`. */
  private _kept(key: string): boolean {
    return this._persistent && !this._unsaved.has(key);
  }

  private _open(): Promise<QueueStore> {
    this._store ??= this._openStore().then(async (store) => {
      this._persistent = store.kind !== 'memory';
      for (const item of await store.all()) this._pending.set(item.key, item);
      return store;
    });
    return this._store;
  }

  private async _openStore(): Promise<QueueStore> {
    const { storage } = this._options;
    const failures: string[] = [];
    if (storage === 'auto' || storage === 'indexeddb') {
      try {
        return await openIndexedDb(this.name);
      } catch (error) {
        failures.push(`IndexedDB: ${(error as Error)?.message ?? error}`);
      }
    }
    if (storage === 'auto' || storage === 'localstorage') {
      try {
        const store = openLocalStorage(this.name);
        if (storage === 'auto') this._emit('storage', { kind: store.kind, reason: failures.join('; ') });
        return store;
      } catch (error) {
        failures.push(`localStorage: ${(error as Error)?.message ?? error}`);
      }
    }
    const store = openMemory();
    if (storage !== 'memory') this._emit('storage', { kind: store.kind, reason: failures.join('; ') });
    return store;
  }

  private _emit<K extends keyof SubmissionQueueEventMap>(type: K, detail: SubmissionQueueEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export interface SubmissionQueue {
  addEventListener<K extends keyof SubmissionQueueEventMap>(
    type: K,
    listener: (event: SubmissionQueueEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SubmissionQueueEventMap>(
    type: K,
    listener: (event: SubmissionQueueEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
