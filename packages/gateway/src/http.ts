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
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
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

/** Field readers that throw a 400 naming the field. */
export const field = {
  string(body: Record<string, unknown>, name: string, { max = 200, min = 1, pattern }: { max?: number; min?: number; pattern?: RegExp } = {}): string {
    const value = body[name];
    if (typeof value !== 'string' || value.length < min || value.length > max || (pattern && !pattern.test(value)))
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
