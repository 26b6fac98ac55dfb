import { Type } from 'typebox';
import { errors, IdempotencyHeaders, SurveyBody, UNKNOWN_COUNTER_FIELD } from '../schemas.js';
import { submitRating } from '../surveys.js';
import type { App, RouteContext } from './context.js';

/** `POST /api/surveys`: a satisfaction rating (public; one per survey token and dossier). */
export function surveyRoutes(app: App, ctx: RouteContext): void {
  const { config, store } = ctx;
  app.post(
    '/api/surveys',
    {
      schema: {
        summary: 'Submit a rating',
        tags: ['surveys'],
        headers: IdempotencyHeaders,
        body: SurveyBody,
        response: {
          200: Type.Object({ id: Type.String() }, { description: 'A repeat of a stored rating (same Idempotency-Key and body): its id.' }),
          201: Type.Object({ id: Type.String() }, { description: 'Stored.' }),
          ...errors(UNKNOWN_COUNTER_FIELD, 401, 409, 413, 422, 429, 503),
        },
      },
      onRequest: ctx.limited('survey', config.surveyRateLimitPerMinute),
    },
    async (request, reply) => {
      const result = await submitRating(
        store,
        { secret: config.surveyTokenSecret, lateWindowSeconds: config.surveyLateWindowSeconds },
        request.headers['idempotency-key'],
        request.body,
      );
      return reply.code(result.status).send(result.body);
    },
  );
}
