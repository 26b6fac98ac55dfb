import { createHash } from 'node:crypto';
import { hmacHex, randomId, safeEqual } from './crypto.js';
import type { Queryable } from './db.js';

/** What a one-time survey token vouches for. */
export interface SurveyTokenClaims {
  /** Token id: stored with the rating (`ratings.token_id`, unique), so the token can be used once. */
  tid: string;
  /** The unit of the counter (absent in tokens of the former signed form: the implicit unit's). */
  unit?: string;
  counter: string;
  dossier?: string;
  officer?: string;
  procedure?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type SurveyTokenCheck = { ok: true; claims: SurveyTokenClaims } | { ok: false; reason: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' };

/**
 * A survey token: 16 random bytes, base64url — 22 characters, 128 bits, so the phone QR stays small.
 * The claims live server-side in `survey_tokens`, keyed by the token's SHA-256 (the token itself is
 * never stored: a copy of the database does not hold usable links).
 */
export const SURVEY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** The row key (and `tid`) of a short token: base64url SHA-256, 43 characters. */
export const surveyTokenId = (token: string): string => createHash('sha256').update(token).digest('base64url');

interface SurveyTokenRow {
  id: string;
  unit: string;
  counter: string;
  dossier: string | null;
  officer: string | null;
  procedure: string | null;
  expires_at: Date | string;
  created_at: Date | string;
}

/** A rating made while its token was valid, arriving late (queued offline): accepted within `windowMs` after the expiry. */
export interface LateRating {
  /** The rating's `submittedAt`, ms since the epoch. */
  submittedAt: number;
  windowMs: number;
}

/** Creates a token for these claims, stored in the caller's transaction (it exists only if that commits). */
export async function issueSurveyToken(
  tx: Queryable,
  claims: Omit<SurveyTokenClaims, 'tid' | 'unit'> & { unit: string },
): Promise<{ token: string; claims: SurveyTokenClaims }> {
  const token = randomId(16);
  const tid = surveyTokenId(token);
  await tx.query(`INSERT INTO survey_tokens (id, counter, dossier, officer, procedure, expires_at, unit) VALUES ($1,$2,$3,$4,$5,$6,$7)`, [
    tid,
    claims.counter,
    claims.dossier ?? null,
    claims.officer ?? null,
    claims.procedure ?? null,
    new Date(claims.exp * 1000).toISOString(),
    claims.unit,
  ]);
  return { token, claims: { tid, ...claims } };
}

/**
 * Checks a survey token: a short one against `survey_tokens`; a signed one issued before short tokens
 * existed (`<base64url claims>.<hex HMAC>`) by its signature, until it expires. Use (once) is enforced
 * where the rating is stored. With `late`, an expired short token still vouches for a rating made
 * while it was valid — `submittedAt` from its issue to its expiry, never after `now` — that arrives
 * at most `late.windowMs` after the expiry (a rating queued offline through an outage).
 */
export async function checkSurveyToken(db: Queryable, token: string, secret: string, now = Date.now(), late?: LateRating): Promise<SurveyTokenCheck> {
  if (token.includes('.')) return verifySurveyToken(token, secret, now);
  if (!SURVEY_TOKEN_PATTERN.test(token)) return { ok: false, reason: 'INVALID_TOKEN' };
  const [row] = await db.query<SurveyTokenRow & Record<string, unknown>>(
    'SELECT id, unit, counter, dossier, officer, procedure, expires_at, created_at FROM survey_tokens WHERE id = $1',
    [surveyTokenId(token)],
  );
  if (!row) return { ok: false, reason: 'INVALID_TOKEN' };
  const expiresAt = new Date(row.expires_at).getTime();
  if (expiresAt < now && !madeInTime(late, new Date(row.created_at).getTime(), expiresAt, now)) return { ok: false, reason: 'TOKEN_EXPIRED' };
  return {
    ok: true,
    claims: {
      tid: row.id,
      unit: row.unit,
      counter: row.counter,
      ...(row.dossier !== null ? { dossier: row.dossier } : {}),
      ...(row.officer !== null ? { officer: row.officer } : {}),
      ...(row.procedure !== null ? { procedure: row.procedure } : {}),
      exp: Math.floor(expiresAt / 1000),
    },
  };
}

/** A late rating counts if it was made while the token was valid, is not from the future, and comes within the window. */
function madeInTime(late: LateRating | undefined, issuedAt: number, expiresAt: number, now: number): boolean {
  if (!late) return false;
  // Timestamps are stored to the microsecond; the token's issue second counts whole.
  const issued = Math.floor(issuedAt / 1000) * 1000;
  return late.submittedAt >= issued && late.submittedAt <= expiresAt && late.submittedAt <= now && now - expiresAt <= late.windowMs;
}

/**
 * The former long form: the claims themselves, signed (HMAC-SHA256). No longer issued by the gateway;
 * kept so that links handed out before the change work until they expire.
 */
export function signSurveyToken(claims: Omit<SurveyTokenClaims, 'tid'>, secret: string): { token: string; claims: SurveyTokenClaims } {
  const full: SurveyTokenClaims = { tid: randomId(12), ...claims };
  const body = Buffer.from(JSON.stringify(full)).toString('base64url');
  return { token: `${body}.${hmacHex(secret, body)}`, claims: full };
}

/** Verifies a long-form (signed) token: constant-time signature compare, then the expiry. */
export function verifySurveyToken(token: string, secret: string, now = Date.now()): SurveyTokenCheck {
  const [body, signature, extra] = token.split('.');
  // Without a secret anyone could sign: no signed token is accepted then.
  if (!secret || !body || !signature || extra !== undefined || !safeEqual(signature, hmacHex(secret, body))) return { ok: false, reason: 'INVALID_TOKEN' };
  let claims: SurveyTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SurveyTokenClaims;
  } catch {
    return { ok: false, reason: 'INVALID_TOKEN' };
  }
  if (typeof claims.tid !== 'string' || typeof claims.counter !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'INVALID_TOKEN' };
  if (claims.exp * 1000 < now) return { ok: false, reason: 'TOKEN_EXPIRED' };
  return { ok: true, claims };
}
