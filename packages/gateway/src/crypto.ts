import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison (hashing first, so different lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

export const hmacHex = (key: string, data: string | Buffer): string => createHmac('sha256', key).update(data).digest('hex');

/** An unguessable identifier (128 bits, base64url). */
export const randomId = (bytes = 16): string => randomBytes(bytes).toString('base64url');

/** JSON with object keys sorted at every level, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
