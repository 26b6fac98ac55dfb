import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why {@link verifyWebhook} refused a request. */
export type WebhookVerificationCode = 'MALFORMED_HEADER' | 'SIGNATURE_MISMATCH' | 'TIMESTAMP_OUT_OF_TOLERANCE';

/** A webhook request that is not from the gateway, was altered, or is too old to be trusted (a replay). */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookVerificationCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyWebhookOptions {
  /** How far `t` may be from now, seconds (both ways: clocks drift). Default 300. */
  toleranceSeconds?: number;
  /** Now, ms since the epoch; injectable for tests. Default `Date.now()`. */
  now?: number;
}

/** The name of the header the gateway signs every webhook with. */
export const SIGNATURE_HEADER = 'Motcua-Signature';

/** `<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: what one `v1=` carries. */
export const webhookSignature = (secret: string, timestamp: number, rawBody: string | Uint8Array): string =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

/**
 * The `Motcua-Signature` header for `rawBody` at `timestamp` (unix seconds): `t=<t>,v1=<hex>`, with
 * one `v1=` per secret (several while a secret is being rotated).
 */
export const webhookSignatureHeader = (secrets: string | readonly string[], timestamp: number, rawBody: string | Uint8Array): string =>
  [`t=${timestamp}`, ...(typeof secrets === 'string' ? [secrets] : secrets).map((secret) => `v1=${webhookSignature(secret, timestamp, rawBody)}`)].join(',');

const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a webhook the gateway sent: `rawBody` exactly as received (before any JSON parsing), the
 * `Motcua-Signature` header, and the endpoint's secret. Accepts the request when one of the header's
 * `v1=` signatures (several while the gateway rotates secrets) is the HMAC-SHA256 of `"<t>.<rawBody>"`
 * — compared in constant time — and `t` is within `toleranceSeconds` of now. Otherwise throws a
 * {@link WebhookVerificationError} whose `code` says why.
 *
 * @example
 * const { timestamp } = verifyWebhook(rawBody, req.headers['motcua-signature'], process.env.MOTCUA_WEBHOOK_SECRET);
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | readonly string[] | null | undefined,
  secret: string,
  { toleranceSeconds = 300, now = Date.now() }: VerifyWebhookOptions = {},
): { timestamp: number } {
  if (typeof secret !== 'string' || !secret) throw new TypeError('verifyWebhook: the secret must be a non-empty string.');
  const text = Array.isArray(header) ? header.join(',') : header;
  if (typeof text !== 'string' || !text) throw new WebhookVerificationError('MALFORMED_HEADER', `No ${SIGNATURE_HEADER} header.`);
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of text.split(',')) {
    const separator = part.indexOf('=');
    const [key, value] = [part.slice(0, separator).trim(), part.slice(separator + 1).trim()];
    if (separator < 1) throw new WebhookVerificationError('MALFORMED_HEADER', `${SIGNATURE_HEADER} is not "t=<seconds>,v1=<hex>".`);
    if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) throw new WebhookVerificationError('MALFORMED_HEADER', `${SIGNATURE_HEADER} has a malformed "t".`);
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) throw new WebhookVerificationError('MALFORMED_HEADER', `${SIGNATURE_HEADER} has a malformed "v1".`);
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future v2) are skipped, so the gateway can add one without breaking receivers.
  }
  if (timestamp === undefined || !signatures.length)
    throw new WebhookVerificationError('MALFORMED_HEADER', `${SIGNATURE_HEADER} needs "t" and at least one "v1".`);
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody), 'hex');
  // Every v1 is compared (no early exit), each in constant time.
  const matched = signatures.reduce((found, signature) => timingSafeEqual(signature, expected) || found, false);
  if (!matched) throw new WebhookVerificationError('SIGNATURE_MISMATCH', 'No signature matches the body and the secret.');
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds)
    throw new WebhookVerificationError('TIMESTAMP_OUT_OF_TOLERANCE', `The signature's timestamp is more than ${toleranceSeconds} s from now.`);
  return { timestamp };
}
