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

export async function control(name: string, settings: { mode?: 'up' | 'down' | 'status'; status?: number; delayMs?: number }): Promise<void> {
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
