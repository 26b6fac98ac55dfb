// What every test app shares: the page's config and a log of the elements' events that the test reads.

export interface InteropConfig {
  /** URL of the live payment (wire protocol). */
  payment: string;
  /** Dossier code of the rating. */
  dossier: string;
  /** The static payment's attributes. */
  static: { bank: string; account: string; accountName: string; amount: string; purpose: string };
}

export const config = JSON.parse(document.getElementById('interop-config')!.textContent!) as InteropConfig;

interface Log {
  events: Array<{ via: string; type: string; target: string; detail: unknown }>;
}
const log: Log = ((window as unknown as { __interop?: Log }).__interop ??= { events: [] });

/** Records an element's event as the framework delivered it (`via` names the binding used). */
export function record(via: string, event: Event): void {
  const detail = (event as CustomEvent).detail;
  log.events.push({ via, type: event.type, target: (event.target as Element | null)?.id ?? '', detail: JSON.parse(JSON.stringify(detail ?? {})) });
}
