// Shared helpers for the browser tests: talk to the test server of test/wtr-plugins.mjs.
import type { PaymentResource } from '@motcua/core';

export const SERVER = '/__test/payment';

export interface ServerLog {
  gets: number;
  inFlight: number;
  maxInFlight: number;
  eventConnections: number;
  lastEventIds: (string | null)[];
  /** SSE streams open now. */
  openStreams: number;
}

export interface ControlBody {
  create?: { amount?: number; status?: string; expiresInMs?: number; purpose?: string; version?: number };
  mode?: 'ok' | '500' | 'hang' | 'malformed' | 'other-id' | 'invalid';
  sse?: 'ok' | 'block' | 'drop' | '500';
  update?: Partial<PaymentResource>;
  pushStale?: Partial<PaymentResource>;
  pushOtherId?: boolean;
  pushMalformed?: boolean;
  dropSse?: boolean;
  pingEvery?: number;
  silent?: boolean;
}

/** A fresh payment on the test server, with its scenario; returns its URL and resource. */
export async function newPayment(body: ControlBody = {}): Promise<{ id: string; src: string; resource: PaymentResource }> {
  const id = `t${crypto.randomUUID().slice(0, 12).replace(/-/g, '')}`;
  const { resource } = await control(id, { create: {}, ...body });
  return { id, src: `${SERVER}/${id}`, resource };
}

export async function control(id: string, body: ControlBody): Promise<{ resource: PaymentResource }> {
  const response = await fetch(`${SERVER}/${id}/control`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`control failed: ${response.status}`);
  return response.json() as Promise<{ resource: PaymentResource }>;
}

export async function serverLog(id: string): Promise<ServerLog> {
  return (await fetch(`${SERVER}/${id}/log`)).json() as Promise<ServerLog>;
}

/** Resolves once `predicate` holds (checked every 10 ms); rejects with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Pretends the page is hidden or visible, and tells listeners. Tests that poll pin it to visible:
 * with two test files running at once, the runner's background tab really is hidden.
 */
export function setPageHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Undoes {@link setPageHidden}. */
export function restorePageVisibility(): void {
  delete (document as { visibilityState?: unknown }).visibilityState;
  delete (document as { hidden?: unknown }).hidden;
}
