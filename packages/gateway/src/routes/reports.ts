import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { unitsOf } from '../config.js';
import { InvalidInput, NotFound } from '../errors.js';
import { ApiError, calendarDate } from '../http.js';
import {
  provinceReconciliation,
  provinceReconciliationCsv,
  provinceSatisfaction,
  provinceSatisfactionCsv,
  reconciliation,
  reconciliationCsv,
  satisfaction,
  satisfactionCsv,
} from '../reports.js';
import { DateQuery, errors, ID_PATTERN, MonthQuery } from '../schemas.js';
import { vietnamMonth, vietnamToday } from '../vietnam-time.js';
import { API_KEY_SECURITY, type App, type RouteContext } from './context.js';

const csvResponse = {
  description: 'The report as JSON, or as CSV with `?format=csv` or `Accept: text/csv`',
  content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) }, 'text/csv': { schema: Type.String() } },
};
const unitQuery = {
  unit: Type.Optional(
    Type.String({ pattern: ID_PATTERN, description: 'The unit: required with a province key; a unit’s key reads its own (another unit: 404).' }),
  ),
};

/**
 * `/api/reports/…`: a unit's day reconciliation and month satisfaction (its key, or a province key
 * naming `?unit=`); `/api/province/reports/…`: every unit's, with the province's totals and the
 * ranking on the official indicators (province keys only). JSON or CSV.
 */
export function reportRoutes(app: App, ctx: RouteContext): void {
  const { db } = ctx;
  const { units } = unitsOf(ctx.config);
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const wantsCsv = (request: FastifyRequest, format: string | undefined) => format === 'csv' || /\btext\/csv\b/.test(String(request.headers.accept ?? ''));
  const sendCsv = (reply: FastifyReply, filename: string, csv: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  /** The unit a report is of: the key's own, or the one a province key names. */
  const reportUnit = (request: FastifyRequest, named: string | undefined) => {
    const { auth } = request;
    if (auth.kind === 'api-key') {
      if (named !== undefined && named !== auth.unit) throw new NotFound('No such unit.');
      return byId.get(auth.unit)!;
    }
    if (named === undefined) throw new InvalidInput('INVALID_FIELD', '"unit" is required with a province key (or read /api/province/reports/…).');
    const unit = byId.get(named);
    if (!unit) throw new NotFound('No such unit.');
    return unit;
  };
  const requireProvinceKey = async (request: FastifyRequest) => {
    await ctx.requireReportKey(request);
    if (request.auth.kind !== 'province') throw new ApiError(403, 'PROVINCE_KEY_REQUIRED', 'The province reports need a province key.');
  };

  app.get(
    '/api/reports/reconciliation',
    {
      schema: {
        summary: 'A unit’s day: transfers classified for the treasury (Vietnam’s calendar day)',
        tags: ['reports'],
        security: API_KEY_SECURITY,
        querystring: Type.Object({ ...DateQuery.properties, ...unitQuery }),
        response: { 200: csvResponse, ...errors(400, 401, 404, 503) },
      },
      onRequest: ctx.requireReportKey,
    },
    async (request, reply) => {
      const unit = reportUnit(request, request.query.unit);
      const date = calendarDate('date', request.query.date ?? vietnamToday(), 'day');
      const report = await reconciliation(db, date, unit.id);
      return wantsCsv(request, request.query.format) ? sendCsv(reply, `reconciliation-${unit.id}-${date}.csv`, reconciliationCsv(report)) : report;
    },
  );

  app.get(
    '/api/reports/satisfaction',
    {
      schema: {
        summary: 'A unit’s month: ratings by counter, officer and procedure',
        tags: ['reports'],
        security: API_KEY_SECURITY,
        querystring: Type.Object({ ...MonthQuery.properties, ...unitQuery }),
        response: { 200: csvResponse, ...errors(400, 401, 404, 503) },
      },
      onRequest: ctx.requireReportKey,
    },
    async (request, reply) => {
      const unit = reportUnit(request, request.query.unit);
      const month = calendarDate('month', request.query.month ?? vietnamMonth(), 'month');
      const report = await satisfaction(db, month, unit.id, unit.counters);
      return wantsCsv(request, request.query.format) ? sendCsv(reply, `satisfaction-${unit.id}-${month}.csv`, satisfactionCsv(report)) : report;
    },
  );

  app.get(
    '/api/province/reports/reconciliation',
    {
      schema: {
        summary: 'The province’s day: each unit’s reconciliation totals, transfers into no unit’s account, and the sums (province key)',
        tags: ['reports'],
        security: API_KEY_SECURITY,
        querystring: DateQuery,
        response: { 200: csvResponse, ...errors(400, 401, 403, 503) },
      },
      onRequest: requireProvinceKey,
    },
    async (request, reply) => {
      const date = calendarDate('date', request.query.date ?? vietnamToday(), 'day');
      const report = await provinceReconciliation(db, date, units);
      return wantsCsv(request, request.query.format) ? sendCsv(reply, `province-reconciliation-${date}.csv`, provinceReconciliationCsv(report)) : report;
    },
  );

  app.get(
    '/api/province/reports/satisfaction',
    {
      schema: {
        summary: 'The province’s month: each unit ranked on the official indicators (province key)',
        tags: ['reports'],
        security: API_KEY_SECURITY,
        querystring: MonthQuery,
        response: { 200: csvResponse, ...errors(400, 401, 403, 503) },
      },
      onRequest: requireProvinceKey,
    },
    async (request, reply) => {
      const month = calendarDate('month', request.query.month ?? vietnamMonth(), 'month');
      const report = await provinceSatisfaction(db, month, units);
      return wantsCsv(request, request.query.format) ? sendCsv(reply, `province-satisfaction-${month}.csv`, provinceSatisfactionCsv(report)) : report;
    },
  );
}
