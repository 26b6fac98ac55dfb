import type { CounterState } from '@motcua/core';
import { safeEqual } from './crypto.js';
import { Unauthenticated } from './errors.js';

/** The id of a unit's counter in event channels (`counter:<unit>/<counter>`, `counter-public:…`): unit ids have no `/`. */
export const counterChannel = (unit: string, counter: string): string => `${unit}/${counter}`;

/** A screen key: 16–200 URL-safe characters (it travels in a query parameter). */
export const SCREEN_KEY_PATTERN = /^[A-Za-z0-9._~-]{16,200}$/;

/**
 * Whether the request comes from the counter's paired citizen screen: it presents the counter's
 * screen key as `?key=` (EventSource cannot send headers) or `X-Screen-Key`. No key: a public
 * reader. A wrong key, or a key for a counter without one, is a 401 — a misconfigured screen should
 * say so, not silently show less.
 */
export function isPairedScreen(queryKey: string | undefined, headerKey: string | undefined, counter: string, screenKeys: Record<string, string>): boolean {
  const presented = queryKey ?? headerKey;
  if (presented === undefined || presented === null) return false;
  const expected = Object.hasOwn(screenKeys, counter) ? screenKeys[counter] : undefined;
  if (!expected || !safeEqual(presented, expected)) throw new Unauthenticated('INVALID_SCREEN_KEY', `This screen key is not the one of counter ${counter}.`);
  return true;
}

/**
 * What anyone may see of a counter: the same states and versions, except that the rating prompt
 * (its one-time token and phone link) is the paired screen's alone. A public reader sees the paid
 * payment where the screen shows the rating, and idle when there is no payment to show.
 */
export function publicCounterState(state: CounterState): CounterState {
  if (state.state !== 'survey') return state;
  const { counter, counterName, version, payment } = state;
  const base = { counter, ...(counterName !== undefined ? { counterName } : {}), version };
  return payment ? { ...base, state: 'payment', payment, paymentSrc: `/api/payments/${payment.id}` } : { ...base, state: 'idle' };
}

/** Checks configured screen keys at start: every one long and URL-safe. */
export function checkScreenKeys(screenKeys: Record<string, string>): void {
  for (const [counter, key] of Object.entries(screenKeys)) {
    if (!SCREEN_KEY_PATTERN.test(key))
      throw new Error(`The screen key of counter ${counter} (MOTCUA_SCREEN_KEYS) must be 16–200 characters from A–Z a–z 0–9 . _ ~ -`);
  }
}
