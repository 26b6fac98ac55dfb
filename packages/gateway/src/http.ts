import type { ServerResponse } from 'node:http';
import type { ApiErrorBody } from '@motcua/core';
import { InvalidInput } from './errors.js';

/** An API failure: becomes `{error: {code, message}}` with `status`. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
  sendJson(res, error.status, body, headers);
}

/** Parses a JSON object body; anything else is a 400. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidInput('MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInput('MALFORMED_JSON', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A calendar day `YYYY-MM-DD` (or month `YYYY-MM`) that exists, from year 1970 to 9999: `2026-02-30`
 * and `0000-01-01` are a 400 naming the field, not a database error.
 */
export function calendarDate(name: string, value: string, kind: 'day' | 'month'): string {
  const match = (kind === 'day' ? /^(\d{4})-(\d{2})-(\d{2})$/ : /^(\d{4})-(\d{2})$/).exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), match[3] === undefined ? 1 : Number(match[3])] : [0, 0, 0];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (!match || year < 1970 || day < 1 || day > days)
    throw new InvalidInput('INVALID_FIELD', `"${name}" must be ${kind === 'day' ? 'a calendar day YYYY-MM-DD' : 'a month YYYY-MM'} from 1970 to 9999.`);
  return value;
}

/** Simple fixed-window limiter per key (client IP + bucket); memory only, nothing about the client is stored. */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly windowMs = 60_000) {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    }, windowMs).unref();
  }

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string, limit: number): number {
    if (limit <= 0) return 0;
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > limit ? Math.ceil((window.resetAt - now) / 1000) : 0;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
