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
  /** Retry delay cap, ms. Default 60000. */
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
/** `queued`: the rating could not be sent now; it is stored and will be retried. */
export interface QueuedDetail {
  item: QueuedSubmission;
  reason: string;
}
/** `rejected`: a 4xx other than 408/429. Not retried; removed from the queue. */
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
  const storageKey = `${name}:submissions`;
  const storage = globalThis.localStorage;
  // Touch it now: a blocked localStorage throws here rather than on the first rating.
  storage.setItem(`${name}:probe`, '1');
  storage.removeItem(`${name}:probe`);
  const read = (): Record<string, QueuedSubmission> => {
    try {
      return JSON.parse(storage.getItem(storageKey) ?? '{}') as Record<string, QueuedSubmission>;
    } catch {
      return {};
    }
  };
  const write = (items: Record<string, QueuedSubmission>) => storage.setItem(storageKey, JSON.stringify(items));
  return {
    kind: 'localstorage',
    all: async () => Object.values(read()),
    get: async (key) => read()[key],
    put: async (item) => write({ ...read(), [item.key]: item }),
    delete: async (key) => {
      const items = read();
      delete items[key];
      write(items);
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

type AttemptResult = SubmitOutcome | 'gone' | 'locked';

const sharedQueues = new Map<string, SubmissionQueue>();

/**
 * A persistent, retrying outbox for ratings. Each rating is stored (IndexedDB, localStorage where
 * IndexedDB is unavailable) BEFORE it is sent, with the Idempotency-Key minted when it was made;
 * failures (offline, timeout, 5xx, 408, 429) are retried with full-jitter backoff and on `online` /
 * page visible, and sent with `fetch(…, { keepalive: true })` when the page is being hidden. A 4xx
 * other than 408/429 is not retried: it is reported as `rejected`. Two tabs on one queue never send
 * the same item at once (a Web Lock per item), and the server's idempotency makes any other repeat
 * harmless.
 *
 * @example
 * const queue = SubmissionQueue.shared();
 * queue.addEventListener('sent', (e) => console.log('stored', e.detail.id));
 * queue.start();
 * await queue.submit('/api/surveys', submission);
 */
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
  /** Keys whose `submit()` call is waiting for its outcome, and those outcomes. */
  private readonly _awaiting = new Set<string>();
  private readonly _outcomes = new Map<string, SubmitOutcome>();
  /** Keys already reported as sent by this tab. */
  private readonly _reported = new Set<string>();
  private _flushing?: Promise<void>;
  private _flushAgain = false;
  private _failures = 0;
  private _retryAfterMs = 0;
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
      maxMs: options.maxMs ?? 60_000,
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
    void store?.then((s) => s.close(), () => {});
  }

  /**
   * Stores a rating, then tries to send it at once. Resolves with what happened: `sent`,
   * `queued` (stored, will be retried) or `rejected` (4xx). Events say the same.
   *
   * @param key The Idempotency-Key; mint it when the rating is made (default: a new UUID).
   */
  async submit(endpoint: string, body: SurveySubmission, key: string = crypto.randomUUID()): Promise<SubmitOutcome> {
    const item: QueuedSubmission = { key, endpoint, body, createdAt: Date.now(), attempts: 0 };
    const store = await this._open();
    await store.put(item);
    this._pending.set(key, item);
    this._awaiting.add(key);
    // A fresh rating is also the best probe: try now even when a retry is scheduled.
    await this.flush();
    const outcome = this._outcomes.get(key);
    this._awaiting.delete(key);
    this._outcomes.delete(key);
    if (outcome) return outcome;
    const stored = (await store.get(key)) ?? item;
    this._emit('queued', { item: stored, reason: stored.lastError ?? (this._lastError || 'waiting') });
    return 'queued';
  }

  /** Items waiting to be sent, oldest first. */
  async items(): Promise<QueuedSubmission[]> {
    const items = await (await this._open()).all();
    return items.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Sends every waiting item now (one pass per call; concurrent calls share it). */
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

  private async _flushOnce(): Promise<void> {
    const store = await this._open();
    const down = new Set<string>();
    for (const item of await this.items()) {
      if (down.has(item.endpoint)) continue;
      const result = await this._withItemLock(item.key, () => this._attempt(store, item.key));
      // An unreachable endpoint is skipped for the rest of the pass: one probe, not a hundred.
      if (result === 'queued') down.add(item.endpoint);
    }
  }

  private async _schedule(): Promise<void> {
    if (!this._started || this._timer) return;
    const remaining = this._store ? (await (await this._store).all()).length : 0;
    if (!remaining) return;
    const { baseMs, maxMs, random } = this._options;
    const delay = this._failures
      ? Math.max(MIN_RETRY_MS, this._retryAfterMs, backoffDelay(this._failures - 1, { jitter: 'full', baseMs, maxMs, random }))
      : baseMs; // items held by another tab's lock: look again soon
    this._timer = setTimeout(() => {
      this._timer = undefined;
      void this.flush();
    }, delay);
  }

  private async _withItemLock(key: string, attempt: () => Promise<AttemptResult>): Promise<AttemptResult> {
    const locks = globalThis.navigator?.locks;
    if (!locks) return attempt();
    return locks.request(`${this.name}:${key}`, { ifAvailable: true }, (lock) => (lock ? attempt() : 'locked'));
  }

  private async _attempt(store: QueueStore, key: string): Promise<AttemptResult> {
    // Re-read under the lock: another tab may have sent it since this pass listed it.
    const item = await store.get(key);
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
      return this._transient(store, item, reason, 0);
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
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return this._transient(store, item, `HTTP ${status}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
    }
    const body = (await response.json().catch(() => undefined)) as { id?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
    await store.delete(item.key);
    this._pending.delete(item.key);
    this._failures = 0;
    this._retryAfterMs = 0;
    if (response.ok) {
      if (this._awaiting.has(item.key)) this._outcomes.set(item.key, 'sent');
      // A keepalive send and a flush may both land: report the rating once per tab.
      if (!this._reported.has(item.key)) {
        this._reported.add(item.key);
        this._emit('sent', { item, status, id: typeof body?.id === 'string' ? body.id : undefined, repeat: status === 200 });
      }
      return 'sent';
    }
    if (this._awaiting.has(item.key)) this._outcomes.set(item.key, 'rejected');
    this._emit('rejected', {
      item,
      status,
      code: typeof body?.error?.code === 'string' ? body.error.code : undefined,
      message: typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${status}`,
    });
    return 'rejected';
  }

  private async _transient(store: QueueStore, item: QueuedSubmission, reason: string, retryAfterMs: number): Promise<'queued'> {
    item.lastError = reason;
    this._lastError = reason;
    this._failures += 1;
    this._retryAfterMs = Math.min(retryAfterMs, this._options.maxMs);
    await store.put(item);
    this._pending.set(item.key, item);
    return 'queued';
  }

  /** Fire-and-forget keepalive sends of what is waiting, for a page that is going away. */
  private _sendKeepalive(): void {
    let budget = KEEPALIVE_BUDGET;
    for (const item of [...this._pending.values()].sort((a, b) => a.createdAt - b.createdAt)) {
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

  private readonly _handleOnline = () => void this.flush();
  private readonly _handlePageHide = () => this._sendKeepalive();
  private readonly _handleVisibility = () => {
    if (document.visibilityState === 'hidden') this._sendKeepalive();
    else void this.flush();
  };

  private _open(): Promise<QueueStore> {
    this._store ??= this._openStore().then(async (store) => {
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
