import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '@motcua/core';

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

/** Reads the raw body (needed as-is for webhook signatures), refusing more than `maxBytes` (413). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      req.resume();
      reject(new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${maxBytes} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new ApiError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON object body; anything else is a 400. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'MALFORMED_JSON', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/**
 * What no stored text may hold: NUL (PostgreSQL text and jsonb refuse it) and lone UTF-16 surrogates
 * (not Unicode: refused by jsonb, silently replaced in text).
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` can be stored as PostgreSQL text or jsonb as it is. */
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** Field readers that throw a 400 naming the field. */
export const field = {
  string(body: Record<string, unknown>, name: string, { max = 200, min = 1, pattern }: { max?: number; min?: number; pattern?: RegExp } = {}): string {
    const value = body[name];
    if (typeof value !== 'string' || value.length < min || value.length > max || (pattern && !pattern.test(value)) || !isStorableText(value))
      throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be a string of ${min}–${max} characters${pattern ? ` matching ${pattern}` : ''}.`);
    return value;
  },
  optionalString(body: Record<string, unknown>, name: string, options: { max?: number; pattern?: RegExp } = {}): string | undefined {
    return body[name] === undefined || body[name] === null ? undefined : field.string(body, name, options);
  },
  integer(body: Record<string, unknown>, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
    const raw = body[name];
    const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be an integer from ${min} to ${max}.`);
    return value;
  },
};

/**
 * A query parameter read as an integer in [min, max] (absent: `fallback`); anything else — `-1`,
 * `1.5`, `1e3`, `abc` — is a 400 naming it.
 */
export function queryInteger(params: URLSearchParams, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be an integer from ${min} to ${max}.`);
  return value;
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
    throw new ApiError(400, 'INVALID_FIELD', `"${name}" must be ${kind === 'day' ? 'a calendar day YYYY-MM-DD' : 'a month YYYY-MM'} from 1970 to 9999.`);
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
