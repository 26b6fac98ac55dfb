import type { SurveySubmission } from '@motcua/core';
import { canonicalJson, randomId, sha256Hex } from './crypto.js';
import { Conflict, InvalidInput, Unauthenticated, Unprocessable } from './errors.js';
import { calendarDate } from './http.js';
import type { SurveyBody } from './schemas.js';
import type { Store } from './store.js';
import { checkSurveyToken, type SurveyTokenClaims } from './survey-token.js';
import { unknownCounter } from './units.js';
import { enqueueEvent } from './webhooks.js';

const KEY_PATTERN = /^[\x21-\x7e]{8,200}$/;
/** `submittedAt` is kept as timestamptz: from 2000 to before 2100, so no client clock can break the insert. */
const SUBMITTED_RANGE = [Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1)] as const;

/** A `SurveySubmission` as received: `counter` may be left out when a token names it. */
export type ParsedSubmission = Omit<SurveySubmission, 'counter'> & { counter?: string; unit?: string };

/**
 * Reads a rating body its schema (`SurveyBody`: types, lengths, characters, the ISO 8601 form) has
 * validated: what a schema cannot say is checked here ({@link InvalidInput} naming the field) — the
 * day of `submittedAt` exists and falls in 2000–2099. `null` is absent; `contact` is never kept.
 */
export function parseSubmission(body: SurveyBody): ParsedSubmission {
  const { submittedAt } = body;
  // Date.parse rolls 2026-02-30 over to March: the day must exist as written.
  calendarDate('submittedAt', submittedAt.slice(0, 10), 'day');
  const instant = Date.parse(submittedAt);
  if (Number.isNaN(instant) || instant < SUBMITTED_RANGE[0] || instant >= SUBMITTED_RANGE[1])
    throw new InvalidInput('INVALID_FIELD', '"submittedAt" must be an ISO 8601 date-time from 2000 to 2099.');
  const present = <K extends 'counter' | 'unit' | 'officer' | 'dossier' | 'token' | 'comment'>(name: K) =>
    body[name] == null ? {} : ({ [name]: body[name] } as { [P in K]: string });
  return {
    surveyId: body.surveyId,
    ...present('counter'),
    ...present('unit'),
    answers: body.answers,
    locale: body.locale,
    submittedAt,
    ...present('officer'),
    ...present('dossier'),
    ...present('token'),
    ...present('comment'),
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
  body: SurveyBody,
): Promise<{ status: 200 | 201; body: { id: string } }> {
  if (!idempotencyKey || !KEY_PATTERN.test(idempotencyKey))
    throw new InvalidInput('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header of 8–200 printable ASCII characters.');
  const submission = parseSubmission(body);
  // The contact field is personal data: never stored, and not part of what makes two requests "the same".
  const { contact: _contact, ...hashed } = body;
  const bodyHash = sha256Hex(canonicalJson(hashed));
  let claims: SurveyTokenClaims | undefined;
  if (submission.token) {
    // A rating queued offline may arrive after its token expired: it counts if it was made in time.
    const late = { submittedAt: Date.parse(submission.submittedAt), windowMs: lateWindowSeconds * 1000 };
    const check = await checkSurveyToken(store.db, submission.token, secret, Date.now(), late);
    if (!check.ok)
      throw new Unauthenticated(check.reason, check.reason === 'TOKEN_EXPIRED' ? 'The survey link has expired.' : 'The survey token is not valid.');
    claims = check.claims;
    if (submission.unit !== undefined && submission.unit !== (claims.unit ?? store.soleUnit))
      throw new InvalidInput('INVALID_FIELD', '"unit" does not match the survey token.');
    // The token says who and what is rated; the body may repeat it (the widgets do) but never change it.
    if (submission.counter !== undefined && claims.counter !== submission.counter)
      throw new InvalidInput('INVALID_FIELD', '"counter" does not match the survey token.');
    if (submission.dossier !== undefined && submission.dossier !== claims.dossier)
      throw new InvalidInput('INVALID_FIELD', '"dossier" does not match the survey token.');
    if (submission.officer !== undefined && submission.officer !== claims.officer)
      throw new InvalidInput('INVALID_FIELD', '"officer" does not match the survey token.');
  } else {
    if (submission.counter === undefined) throw new InvalidInput('INVALID_FIELD', '"counter" is required without a survey token.');
    // Without a token anyone could rate someone else's dossier (and block the citizen's own rating)
    // or an officer by name: a tokenless rating (a kiosk of its own) rates the counter only.
    if (submission.dossier !== undefined) throw new InvalidInput('INVALID_FIELD', '"dossier" may only come with a survey token.');
    if (submission.officer !== undefined) throw new InvalidInput('INVALID_FIELD', '"officer" may only come with a survey token.');
  }
  // The token names the unit (the former signed tokens: the implicit unit); a tokenless rating names it in a province.
  const unit = claims?.unit ?? submission.unit ?? store.soleUnit;
  if (unit === undefined || !store.hasUnit(unit))
    throw new InvalidInput('INVALID_FIELD', unit === undefined ? '"unit" is required without a survey token.' : '"unit" names no unit.');
  // A token's counter was the payment's (checked then); a kiosk names its own.
  if (!claims && submission.counter !== undefined && !store.hasCounter(unit, submission.counter)) throw unknownCounter(unit, submission.counter, 'field');
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
        if (previous!.body_hash !== bodyHash) throw new Unprocessable('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body.');
        if (!previous!.status) throw new Conflict('REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed.');
        const response = typeof previous!.response === 'string' ? JSON.parse(previous!.response) : previous!.response;
        return { status: 200, body: response as { id: string } };
      }
      const dossier = claims?.dossier ?? null;
      const already = await tx.query(`SELECT 1 FROM ratings WHERE token_id = $1 OR (unit = $3 AND dossier = $2) LIMIT 1`, [claims?.tid ?? null, dossier, unit]);
      if (already.length) throw new Conflict('ALREADY_RATED', 'This dossier has already been rated (Hồ sơ đã được đánh giá).');
      const id = randomId();
      await tx.query(
        `INSERT INTO ratings (id, survey_id, counter, officer, procedure, dossier, token_id, answers, comment, locale, submitted_at, unit)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8::jsonb,$9,$10,$11,$12)`,
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
          unit,
        ],
      );
      await enqueueEvent(tx, {
        type: 'rating.created',
        unit,
        data: {
          rating: {
            id,
            surveyId: submission.surveyId,
            counter: claims?.counter ?? submission.counter,
            officer: claims?.officer ?? null,
            procedure: claims?.procedure ?? null,
            dossier,
            answers: submission.answers,
            comment: submission.comment ?? null,
            locale: submission.locale,
            submittedAt: new Date(submission.submittedAt).toISOString(),
          },
        },
      });
      await tx.query(`UPDATE idempotency_keys SET status = 201, response = $2::jsonb WHERE scope = 'survey' AND key = $1`, [
        idempotencyKey,
        JSON.stringify({ id }),
      ]);
      if (claims) await store.surveyDone(tx, unit, claims.counter, claims.tid);
      return { status: 201, body: { id } };
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new Conflict('ALREADY_RATED', 'This dossier has already been rated (Hồ sơ đã được đánh giá).');
    throw error;
  }
}
