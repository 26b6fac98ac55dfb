// Talks to the test endpoint of wtr-plugins.mjs.

export interface EndpointStats {
  mode: string;
  requests: number;
  stored: number;
  keys: string[];
  bodies: Array<Record<string, unknown>>;
  log: Array<{ key: string | null; outcome: number | 'dropped' }>;
  overlaps: number;
}

let counter = 0;

/** A fresh endpoint (bucket) for one test. */
export function newEndpoint(): { url: string; name: string } {
  const name = `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { name, url: new URL(`/__test/survey/${name}/ratings`, location.href).href };
}

export interface ControlSettings {
  mode?: 'up' | 'down' | 'status';
  status?: number;
  delayMs?: number;
  /** What a `status` answer carries: the gateway's own error body (default), a proxy's HTML page, someone else's JSON, nothing. */
  body?: 'gateway' | 'html' | 'json' | 'none';
  /** The gateway body's `error.code` (default `HTTP_<status>`). */
  code?: string;
}

export async function control(name: string, settings: ControlSettings): Promise<void> {
  const response = await fetch(`/__test/survey/${name}/control`, { method: 'POST', body: JSON.stringify(settings) });
  if (response.status !== 204) throw new Error(`control ${response.status}`);
}

export async function stats(name: string): Promise<EndpointStats> {
  return (await fetch(`/__test/survey/${name}/stats`)).json() as Promise<EndpointStats>;
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8000, what = 'condition'): Promise<void> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** What a scenario made, what arrived once, what arrived more than once and what never arrived. */
export interface Counts {
  made: number;
  arrived: number;
  duplicated: number;
  lost: number;
}

/** Counts the keys made against what the endpoint stored, and prints one line for the report. */
export async function counts(scenario: string, name: string, made: string[]): Promise<Counts> {
  const server = await stats(name);
  const stored = new Set(server.keys);
  const result: Counts = {
    made: made.length,
    arrived: made.filter((key) => stored.has(key)).length,
    // A repeat the server had to de-duplicate (200): the same rating sent again after it was stored.
    duplicated: server.log.filter((entry) => entry.outcome === 200).length,
    lost: made.filter((key) => !stored.has(key)).length,
  };
  console.log(`[counts] ${scenario}: made ${result.made} / arrived ${result.arrived} / duplicated ${result.duplicated} / lost ${result.lost}`);
  return result;
}

/** Fills this origin's localStorage until it refuses, then frees about `leave` characters. Returns the cleanup. */
export function fillLocalStorage(leave: number): () => void {
  const keys: string[] = [];
  let chunk = 'x'.repeat(512 * 1024);
  while (chunk.length >= 16) {
    const key = `fill:${keys.length}`;
    try {
      localStorage.setItem(key, chunk);
      keys.push(key);
    } catch {
      chunk = chunk.slice(0, chunk.length / 2);
    }
  }
  // Free `leave` characters from the last fillers (keys count too, but are tiny).
  let freed = 0;
  while (freed < leave && keys.length) {
    const key = keys.pop()!;
    freed += localStorage.getItem(key)!.length + key.length;
    localStorage.removeItem(key);
  }
  const key = `fill:${keys.length}`;
  if (freed - leave > key.length) {
    localStorage.setItem(key, 'x'.repeat(freed - leave - key.length));
    keys.push(key);
  }
  return () => keys.forEach((key) => localStorage.removeItem(key));
}
