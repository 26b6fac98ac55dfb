import type { SurveySubmission } from '@motcua/core';
import { canonicalJson, randomId, sha256Hex } from './crypto.js';
import { ApiError, calendarDate, field, isStorableText } from './http.js';
import type { Store } from './store.js';
import { checkSurveyToken, type SurveyTokenClaims } from './survey-token.js';

const KEY_PATTERN = /^[\x21-\x7e]{8,200}$/;
/** One line of printable text (no control characters). */
const LINE = /^[^\x00-\x1f\x7f]*$/;
/** A comment may span lines; no other control characters. */
const COMMENT = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$/;
const COUNTER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** `submittedAt` is kept as timestamptz: from 2000 to before 2100, so no client clock can break the insert. */
const SUBMITTED_RANGE = [Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1)] as const;

/** A `SurveySubmission` as received: `counter` may be left out when a token names it. */
export type ParsedSubmission = Omit<SurveySubmission, 'counter'> & { counter?: string };

/** Validates a `SurveySubmission` body (400 naming the field). `contact` is accepted but never stored. */
export function parseSubmission(body: Record<string, unknown>): ParsedSubmission {
  const answers = body.answers;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers))
    throw new ApiError(400, 'INVALID_FIELD', '"answers" must be an object of question id → option value.');
  const entries = Object.entries(answers as Record<string, unknown>);
  if (!entries.length || entries.length > 50) throw new ApiError(400, 'INVALID_FIELD', '"answers" must hold 1–50 answers.');
  for (const [question, value] of entries) {
    if (
      !question ||
      question.length > 64 ||
      !LINE.test(question) ||
      !isStorableText(question) ||
      typeof value !== 'string' ||
      !value ||
      value.length > 64 ||
      !LINE.test(value) ||
      !isStorableText(value)
    )
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `"answers.${question.slice(0, 64).replace(/[^\x20-\x7e]/g, '?')}" must be a non-empty line of at most 64 characters.`,
      );
  }
  const submittedAt = field.string(body, 'submittedAt', { max: 40, pattern: ISO_INSTANT });
  // Date.parse rolls 2026-02-30 over to March: the day must exist as written.
  calendarDate('submittedAt', submittedAt.slice(0, 10), 'day');
  const instant = Date.parse(submittedAt);
  if (Number.isNaN(instant) || instant < SUBMITTED_RANGE[0] || instant >= SUBMITTED_RANGE[1])
    throw new ApiError(400, 'INVALID_FIELD', '"submittedAt" must be an ISO 8601 date-time from 2000 to 2099.');
  const optional = (name: string, max = 100, pattern = LINE) => {
    const value = field.optionalString(body, name, { max, pattern });
    return value === undefined ? {} : { [name]: value };
  };
  return {
    surveyId: field.string(body, 'surveyId', { max: 64, pattern: LINE }),
    ...optional('counter', 64, COUNTER_ID),
    answers: answers as Record<string, string>,
    locale: field.string(body, 'locale', { max: 16, pattern: LINE }),
    submittedAt,
    ...optional('officer'),
    ...optional('dossier'),
    ...optional('token', 2000),
    ...optional('comment', 1000, COMMENT),
  };
}

/** `secret`: of former signed tokens; `lateWindowSeconds`: how long after a token's expiry a rating made before it still counts. */
export interface RatingOptions {
  secret: string;
  lateWindowSeconds: number;
}

/**
 * Stores one rating. Idempotent by `Idempotency-Key` (a repeat returns the first result with 200;
 * the same key with another body is a 422); one rating per token and per dossier (409).
 */
export async function submitRating(
  store: Store,
  { secret, lateWindowSeconds }: RatingOptions,
  idempotencyKey: string | undefined,
  body: Record<string, unknown>,
): Promise<{ status: number; body: { id: string } }> {
  if (!idempotencyKey || !KEY_PATTERN.test(idempotencyKey))
    throw new ApiError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header of 8–200 printable ASCII characters.');
  const submission = parseSubmission(body);
  // The contact field is personal data: never stored, and not part of what makes two requests "the same".
  const { contact: _contact, ...hashed } = body;
  const bodyHash = sha256Hex(canonicalJson(hashed));
  let claims: SurveyTokenClaims | undefined;
  if (submission.token) {
    // A rating queued offline may arrive after its token expired: it counts if it was made in time.
    const late = { submittedAt: Date.parse(submission.submittedAt), windowMs: lateWindowSeconds * 1000 };
    const check = await checkSurveyToken(store.db, submission.token, secret, Date.now(), late);
    if (!check.ok) throw new ApiError(401, check.reason, check.reason === 'TOKEN_EXPIRED' ? 'The survey link has expired.' : 'The survey token is not valid.');
    claims = check.claims;
    // The token says who and what is rated; the body may repeat it (the widgets do) but never change it.
    if (submission.counter !== undefined && claims.counter !== submission.counter)
      throw new ApiError(400, 'INVALID_FIELD', '"counter" does not match the survey token.');
    if (submission.dossier !== undefined && submission.dossier !== claims.dossier)
      throw new ApiError(400, 'INVALID_FIELD', '"dossier" does not match the survey token.');
    if (submission.officer !== undefined && submission.officer !== claims.officer)
      throw new ApiError(400, 'INVALID_FIELD', '"officer" does not match the survey token.');
  } else {
    if (submission.counter === undefined) throw new ApiError(400, 'INVALID_FIELD', '"counter" is required without a survey token.');
    // Without a token anyone could rate someone else's dossier (and block the citizen's own rating)
    // or an officer by name: a tokenless rating (a kiosk of its own) rates the counter only.
    if (submission.dossier !== undefined) throw new ApiError(400, 'INVALID_FIELD', '"dossier" may only come with a survey token.');
    if (submission.officer !== undefined) throw new ApiError(400, 'INVALID_FIELD', '"officer" may only come with a survey token.');
  }
  try {
    return await store.transaction(async (tx) => {
      const [fresh] = await tx.query(
        `INSERT INTO idempotency_keys (scope, key, body_hash, status, response) VALUES ('survey', $1, $2, 0, 'null'::jsonb)
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [idempotencyKey, bodyHash],
      );
      if (!fresh) {
        const [previous] = await tx.query<{ body_hash: string; status: number; response: unknown }>(
          `SELECT body_hash, status, response FROM idempotency_keys WHERE scope = 'survey' AND key = $1`,
          [idempotencyKey],
        );
        if (previous!.body_hash !== bodyHash) throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body.');
        if (!previous!.status) throw new ApiError(409, 'REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed.');
        const response = typeof previous!.response === 'string' ? JSON.parse(previous!.response) : previous!.response;
        return { status: 200, body: response as { id: string } };
      }
      const dossier = claims?.dossier ?? null;
      const already = await tx.query(`SELECT 1 FROM ratings WHERE token_id = $1 OR dossier = $2 LIMIT 1`, [claims?.tid ?? null, dossier]);
      if (already.length) throw new ApiError(409, 'ALREADY_RATED', 'This dossier has already been rated (Hồ sơ đã được đánh giá).');
      const id = randomId();
      await tx.query(
        `INSERT INTO ratings (id, survey_id, counter, officer, procedure, dossier, token_id, answers, comment, locale, submitted_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10,$11)`,
        [
          id,
          submission.surveyId,
          claims?.counter ?? submission.counter,
          claims?.officer ?? null,
          claims?.procedure ?? null,
          dossier,
          claims?.tid ?? null,
          JSON.stringify(submission.answers),
          submission.comment ?? null,
          submission.locale,
          new Date(submission.submittedAt).toISOString(),
        ],
      );
      await tx.query(`UPDATE idempotency_keys SET status = 201, response = $2::jsonb WHERE scope = 'survey' AND key = $1`, [
        idempotencyKey,
        JSON.stringify({ id }),
      ]);
      if (claims) await store.surveyDone(tx, claims.counter, claims.tid);
      return { status: 201, body: { id } };
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new ApiError(409, 'ALREADY_RATED', 'This dossier has already been rated (Hồ sơ đã được đánh giá).');
    throw error;
  }
}
