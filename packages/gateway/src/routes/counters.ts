import type { FastifyRequest } from 'fastify';
import { counterChannel, isPairedScreen, publicCounterState } from '../counter-screens.js';
import { unitsOf } from '../config.js';
import { unknownCounter } from '../units.js';
import { NotFound } from '../errors.js';
import { CounterParams, CounterStateRef, CounterStreamQuery, errors, ScreenKeyQuery, UNKNOWN_COUNTER_PATH, UnitCounterParams } from '../schemas.js';
import { API_KEY_SECURITY, type App, type RouteContext } from './context.js';
import { lastEventId } from './streams.js';

/**
 * `/api/units/:unit/counters/:counter…`: the citizen screen's state (public, or in full for its paired
 * screen), its stream, and the officer's reset (the unit's key; another unit's counter is not found).
 * `/api/counters/:counter…`: the same for the implicit single unit (a province names the unit).
 */
export function counterRoutes(app: App, ctx: RouteContext): void {
  const { config, store } = ctx;
  const screenKeys = new Map(unitsOf(config).units.map((unit) => [unit.id, unit.screenKeys]));
  const paired = (request: FastifyRequest, unit: string, counter: string) =>
    isPairedScreen((request.query as { key?: string }).key, request.headers['x-screen-key'] as string | undefined, counter, screenKeys.get(unit) ?? {});
  /** The unit the URL names: `:unit`, or the implicit single unit's for the unit-less paths. */
  const unitOfPath = (params: { counter: string } | { unit: string; counter: string }): string => {
    const unit = 'unit' in params ? params.unit : store.soleUnit;
    if (unit === undefined) throw new NotFound('Not found: this gateway serves several units; use /api/units/:unit/counters/:counter.');
    if (!store.hasUnit(unit)) throw new NotFound('No such unit.');
    return unit;
  };
  /** The counter the URL names, if it is the unit's: a counter the unit does not list has no state to read, watch or reset. */
  const counterOfPath = (unit: string, counter: string): string => {
    if (!store.hasCounter(unit, counter)) throw unknownCounter(unit, counter, 'path');
    return counter;
  };

  for (const [base, params, scope] of [
    ['/api/units/:unit/counters/:counter', UnitCounterParams, 'the unit’s'],
    ['/api/counters/:counter', CounterParams, 'the single unit’s (a gateway of several units: 404)'],
  ] as const) {
    app.get(
      base,
      {
        schema: {
          summary: `What the counter’s citizen screen shows (the rating prompt only with its screen key): ${scope} counter`,
          tags: ['counters'],
          params,
          querystring: ScreenKeyQuery,
          response: { 200: CounterStateRef, ...errors(401, UNKNOWN_COUNTER_PATH, 429, 503) },
        },
        onRequest: ctx.limited('public', config.rateLimitPerMinute),
      },
      async (request) => {
        const unit = unitOfPath(request.params);
        const counter = counterOfPath(unit, request.params.counter);
        const state = await store.counterState(unit, counter);
        return paired(request, unit, counter) ? state : publicCounterState(state);
      },
    );

    app.get(
      `${base}/events`,
      {
        schema: {
          summary: `Watch the counter (Server-Sent Events: \`event: counter\`, \`id: <version>\`, and \`ping\`): ${scope} counter`,
          tags: ['counters'],
          params,
          querystring: CounterStreamQuery,
          response: {
            200: {
              description: 'The stream: the current state first, then every newer version',
              content: { 'text/event-stream': { schema: CounterStateRef } },
            },
            ...errors(401, UNKNOWN_COUNTER_PATH, 429, 503),
          },
        },
        onRequest: ctx.limited('public', config.rateLimitPerMinute),
      },
      async (request, reply) => {
        const unit = unitOfPath(request.params);
        const counter = counterOfPath(unit, request.params.counter);
        ctx.openStream(request, reply);
        const channel = counterChannel(unit, counter);
        if (paired(request, unit, counter))
          await ctx.stream(reply, `counter:${channel}`, lastEventId(request), 'counter', () => store.counterState(unit, counter));
        else
          await ctx.stream(reply, `counter-public:${channel}`, lastEventId(request), 'counter', async () =>
            publicCounterState(await store.counterState(unit, counter)),
          );
      },
    );

    app.post(
      `${base}/idle`,
      {
        schema: {
          summary: `Put the counter’s citizen screen back to idle: ${scope} counter`,
          tags: ['counters'],
          security: API_KEY_SECURITY,
          params,
          response: { 200: CounterStateRef, ...errors(401, 403, UNKNOWN_COUNTER_PATH, 503) },
        },
        onRequest: ctx.requireApiKey,
      },
      async (request) => {
        const unit = unitOfPath(request.params);
        // Another unit's counter is not found (its existence is not revealed).
        if (unit !== ctx.unitOf(request)) throw new NotFound('No such counter.');
        return store.resetCounter(unit, counterOfPath(unit, request.params.counter));
      },
    );
  }
}
