import type { FastifyRequest } from 'fastify';

/** The version a reconnecting client already has: `Last-Event-ID` (or `?lastEventId=`); anything unreadable is none (-1). */
export function lastEventId(request: FastifyRequest): number {
  const raw = request.headers['last-event-id'] ?? (request.query as { lastEventId?: string } | undefined)?.lastEventId;
  const value = Number(raw);
  return raw !== undefined && raw !== null && raw !== '' && Number.isSafeInteger(value) ? value : -1;
}
