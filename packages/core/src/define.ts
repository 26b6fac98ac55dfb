// Guarded custom-element registration. Core has no DOM dependency: this touches
// `globalThis.customElements` only when it exists, so it is a no-op in Node.

// Isomorphic: only what both Node and browsers have (console).
declare const console: { warn(...data: unknown[]): void };

interface ElementRegistry {
  get(name: string): unknown;
  define(name: string, elementClass: unknown): void;
}

/** Marks a constructor with the motcua version that defined it. */
export const MOTCUA_VERSION_KEY = '__motcuaVersion';

/**
 * Registers `elementClass` as `tag` unless the tag is already defined — as happens when a CDN copy
 * and an npm copy of a widget are both on one page. Two copies must not crash the page: the first
 * wins, and a warning names both versions when they differ.
 *
 * @returns true when this call defined the element.
 * @example
 * defineElement('qr-payment', QrPayment, '0.1.0');
 */
export function defineElement(tag: string, elementClass: object, version: string): boolean {
  const registry = (globalThis as { customElements?: ElementRegistry }).customElements;
  if (!registry) return false;
  const existing = registry.get(tag) as Record<string, unknown> | undefined;
  if (existing) {
    const existingVersion = existing[MOTCUA_VERSION_KEY];
    if (existing !== elementClass && existingVersion !== version) {
      console.warn(`<${tag}> is already defined (motcua ${String(existingVersion ?? 'unknown')}); this copy (${version}) is not registered.`);
    }
    return false;
  }
  Object.defineProperty(elementClass, MOTCUA_VERSION_KEY, { value: version, configurable: true });
  registry.define(tag, elementClass);
  return true;
}
