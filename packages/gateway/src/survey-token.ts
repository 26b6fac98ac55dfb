import { hmacHex, randomId, safeEqual } from './crypto.js';

/** What a one-time survey token vouches for. Signed (HMAC-SHA256), so the gateway stores nothing until it is used. */
export interface SurveyTokenClaims {
  /** Token id: stored with the rating, so the token can be used once. */
  tid: string;
  counter: string;
  dossier?: string;
  officer?: string;
  procedure?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export function signSurveyToken(claims: Omit<SurveyTokenClaims, 'tid'>, secret: string): { token: string; claims: SurveyTokenClaims } {
  const full: SurveyTokenClaims = { tid: randomId(12), ...claims };
  const body = Buffer.from(JSON.stringify(full)).toString('base64url');
  return { token: `${body}.${hmacHex(secret, body)}`, claims: full };
}

export type SurveyTokenCheck = { ok: true; claims: SurveyTokenClaims } | { ok: false; reason: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' };

export function verifySurveyToken(token: string, secret: string, now = Date.now()): SurveyTokenCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || !safeEqual(signature, hmacHex(secret, body))) return { ok: false, reason: 'INVALID_TOKEN' };
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
