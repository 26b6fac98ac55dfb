/** Options of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay of the first retry, ms. Default 2000. */
  baseMs?: number;
  /** Cap, ms. Default 10000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * `equal` (default): half the capped delay plus a random half — never hammers, never waits long.
   * `full`: anywhere between 0 and the capped delay (AWS "full jitter"), for many clients retrying at once.
   * `none`: the capped delay itself.
   */
  jitter?: 'equal' | 'full' | 'none';
  /** Source of randomness in [0, 1); injectable for tests. Default Math.random. */
  random?: () => number;
}

/**
 * Capped exponential backoff with jitter: the delay before retry number `attempt` (0-based).
 * The one backoff helper of motcua: the payment widget's polling and the survey queue's retries use it.
 *
 * @example
 * setTimeout(poll, backoffDelay(failures, { baseMs: 2000, maxMs: 10000 }));
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 2000, maxMs = 10_000, factor = 2, jitter = 'equal', random = Math.random } = options;
  const exponent = Math.max(0, Math.min(Math.floor(attempt) || 0, 64));
  const capped = Math.min(maxMs, baseMs * factor ** exponent);
  switch (jitter) {
    case 'none':
      return capped;
    case 'full':
      return Math.round(random() * capped);
    default:
      return Math.round(capped / 2 + (random() * capped) / 2);
  }
}
